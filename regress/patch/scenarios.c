/*
 * Copyright (c) 2026 The ocodex developers
 *
 * Permission to use, copy, modify, and distribute this software for any
 * purpose with or without fee is hereby granted, provided that the above
 * copyright notice and this permission notice appear in all copies.
 *
 * THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES
 * WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF
 * MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR
 * ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES
 * WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN
 * ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF
 * OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.
 */

/*
 * The upstream Codex apply_patch scenarios: copy input/ to a temporary
 * directory, apply patch.txt there, and compare the whole tree with
 * expected/.  Scenario 015 expects upstream's partial application;
 * ocodex is atomic, so there the tree must equal input/ instead.
 *
 * usage: scenarios [scenario-dir]
 * The default is ../shared/conformance/apply-patch seen from the
 * repository root (also tried from regress/patch).
 */

#include <sys/types.h>
#include <sys/stat.h>

#include <dirent.h>
#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "execproc/patch.h"
#include "util.h"

static const char *defaults[] = {
	"../shared/conformance/apply-patch",
	"../../../shared/conformance/apply-patch",
};

static int
is_dir(const char *path)
{
	struct stat	 st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int
scenario_dir(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

/* Apply; returns 0 on success, 1 on a parse error, 2 on an apply error. */
static int
apply_in(const char *work, const char *patchfile, char *msg, size_t msglen)
{
	struct patch_result	 res;
	struct patch		*p;
	char			*text;
	size_t			 len;
	int			 fd, rv = 0;

	if ((text = slurp(patchfile, &len)) == NULL)
		err(1, "%s missing", patchfile);
	p = patch_parse(text, len, msg, msglen);
	free(text);
	if (p == NULL)
		return 1;
	if ((fd = open(work, O_RDONLY | O_DIRECTORY)) == -1)
		err(1, "open %s", work);
	if (patch_apply(fd, p, &res, msg, msglen) == -1)
		rv = 2;
	patch_result_free(&res);
	patch_free(p);
	(void)close(fd);
	return rv;
}

static void
run_one(const char *root, const char *name, const char *tmp)
{
	char	*dir, *input, *expected, *patchfile, *work, *want;
	char	 msg[4096], why[8192];
	int	 atomic, rv;

	dir = path_join(root, name);
	input = path_join(dir, "input");
	expected = path_join(dir, "expected");
	patchfile = path_join(dir, "patch.txt");
	work = path_join(tmp, name);
	if (mkdir(work, 0755) == -1)
		err(1, "mkdir %s", work);
	if (is_dir(input))
		copy_tree(input, work);

	msg[0] = '\0';
	rv = apply_in(work, patchfile, msg, sizeof(msg));
	atomic = strncmp(name, "015_", 4) == 0;
	if (atomic) {
		tap_ok(rv == 2, "%s: the patch is rejected", name);
		want = input;
	} else
		want = expected;
	if (!is_dir(want))
		want = path_join(tmp, ".empty");
	else
		want = strdup(want);
	if (want == NULL)
		err(1, NULL);
	why[0] = '\0';
	if (!tap_ok(tree_equal(work, want, why, sizeof(why)), "%s%s", name,
	    atomic ? ": nothing changed (atomic)" : "")) {
		tap_diag("%s", why);
		tap_diag("apply returned %d: %s", rv, msg);
	}
	free(want);
	free(dir);
	free(input);
	free(expected);
	free(patchfile);
	free(work);
}

int
main(int argc, char *argv[])
{
	struct dirent	**v;
	const char	 *root = NULL;
	char		 *tmp, *empty;
	size_t		  i;
	int		  n, k;

	if (argc > 1)
		root = argv[1];
	for (i = 0; root == NULL && i < sizeof(defaults) / sizeof(*defaults);
	    i++)
		if (is_dir(defaults[i]))
			root = defaults[i];
	if (root == NULL || !is_dir(root)) {
		printf("Bail out! no scenario directory found\n");
		return 1;
	}
	if ((n = scandir(root, &v, scenario_dir, alphasort)) == -1)
		err(1, "scandir %s", root);
	tmp = tmp_root();
	empty = path_join(tmp, ".empty");
	if (mkdir(empty, 0755) == -1)
		err(1, "mkdir %s", empty);
	tap_ok(n >= 22, "found %d scenarios in %s", n, root);
	for (k = 0; k < n; k++) {
		run_one(root, v[k]->d_name, tmp);
		free(v[k]);
	}
	free(v);
	rm_rf(tmp);
	free(empty);
	free(tmp);
	return tap_done();
}
