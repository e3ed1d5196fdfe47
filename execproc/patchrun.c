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

#include <sys/types.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include <errno.h>
#include <event.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "execproc/exec.h"
#include "execproc/patch.h"
#include "imsg/imsg.h"
#include "imsg/log.h"
#include "imsg/proc.h"
#include "sandbox/policy.h"
#include "sandbox/sandbox.h"

/* The largest result a child may report (a data URL of 20 MiB). */
#define PATCH_RESULT_MAX	(28 * 1024 * 1024)

/* A patch being applied by a sandboxed child. */
struct prun {
	uint32_t	 id;
	pid_t		 pid;
	int		 fd;		/* the child's report */
	struct event	 ev;
	char		*buf;
	size_t		 len;
};

static void	 prun_read(int, short, void *);
static void	 prun_reply(struct prun *, int, const char *);
static int	 prun_child(const char *, const char *,
		    const struct policy *, const struct policy *, int);
static int	 image_read(const char *, char *, size_t, int);
static int	 prun_policy(json_t *, struct policy *, char *, size_t);

static struct peer		*parent;
static const struct policy	*widest;

void
patchrun_init(struct peer *p, const struct policy *w)
{
	parent = p;
	widest = w;
}

/*
 * IMSG_EXEC_PATCH: {"patch", "workdir", "mode", "network", "roots"}.  A
 * child confined exactly as a command with that policy applies the patch
 * beneath the working directory, all or nothing, and reports on a pipe;
 * execproc itself never writes a byte of the project.  With "image"
 * instead of "patch" the child reads that image file and reports it as
 * a data URL (view_image), so the parent reads nothing of the project
 * that the sandbox would not let a command read.
 */
void
patchrun_msg(struct peer *p, struct imsg *imsg)
{
	struct policy	 pol;
	struct prun	*r;
	json_error_t	 jerr;
	json_t		*req;
	char		*data, err[1024];
	size_t		 len;
	int		 fds[2], st;

	if (peer_big_recv(p, imsg, &data, &len) == 0)
		return;
	if ((r = calloc(1, sizeof(*r))) == NULL)
		fatal(NULL);
	r->id = imsg_get_id(imsg);
	r->fd = -1;
	req = json_loadb(data, len, 0, &jerr);
	freezero(data, len + 1);
	if (req == NULL || prun_policy(req, &pol, err, sizeof(err)) == -1) {
		prun_reply(r, 0, req == NULL ? "malformed patch request" :
		    err);
		json_decref(req);
		return;
	}
	if (pipe2(fds, O_CLOEXEC) == -1 || (r->pid = fork()) == -1)
		fatal("patch child");
	if (r->pid == 0) {
		(void)close(fds[0]);
		st = prun_child(json_string_value(json_object_get(req,
		    "patch")), json_string_value(json_object_get(req,
		    "image")), &pol, widest, fds[1]);
		/*
		 * Free what the child took over from this call before it
		 * ends, so that a leak checker (regress/valgrind) can tell
		 * a leak in parsing or applying from memory merely left
		 * behind by _exit.
		 */
		policy_free(&pol);
		json_decref(req);
		free(r);
		_exit(st);
	}
	(void)close(fds[1]);
	policy_free(&pol);
	json_decref(req);
	r->fd = fds[0];
	event_set(&r->ev, r->fd, EV_READ | EV_PERSIST, prun_read, r);
	if (event_add(&r->ev, NULL) == -1)
		fatal("event_add");
}

static int
prun_policy(json_t *req, struct policy *pol, char *err, size_t len)
{
	json_t		*roots, *v;
	const char	*wd, *patch;
	json_int_t	 mode;
	size_t		 i;

	wd = json_string_value(json_object_get(req, "workdir"));
	patch = json_string_value(json_object_get(req, "patch"));
	if (patch == NULL)
		patch = json_string_value(json_object_get(req, "image"));
	mode = json_integer_value(json_object_get(req, "mode"));
	roots = json_object_get(req, "roots");
	if (wd == NULL || wd[0] != '/' || patch == NULL || mode < 0 ||
	    mode > POLICY_FULL_ACCESS || !json_is_array(roots)) {
		(void)snprintf(err, len, "malformed patch request");
		return -1;
	}
	if (policy_init(pol, (int)mode, wd) == -1)
		fatal("policy_init");
	pol->network = json_is_true(json_object_get(req, "network"));
	pol->exclude_slash_tmp = pol->exclude_tmpdir_env_var = 1;
	json_array_foreach(roots, i, v)
		if (json_string_value(v) == NULL ||
		    policy_add_root(pol, json_string_value(v)) == -1) {
			(void)snprintf(err, len, "bad writable root");
			policy_free(pol);
			return -1;
		}
	if (policy_resolve(pol, NULL, err, len) == -1) {
		policy_free(pol);
		return -1;
	}
	return 0;
}

/* Write all of buf to fd, or give up quietly: the reader went away. */
static void
report(int fd, const char *buf, size_t len)
{
	ssize_t	 n;

	while (len > 0) {
		if ((n = write(fd, buf, len)) == -1) {
			if (errno == EINTR)
				continue;
			return;
		}
		buf += n;
		len -= n;
	}
}

/*
 * In the child: the sandbox of a command with this policy, then parse and
 * apply.  The report is "1" or "0" and the text for the model.  Returns
 * the child's exit status, having freed all it allocated.
 */
static int
prun_child(const char *text, const char *image, const struct policy *pol,
    const struct policy *w, int out)
{
	struct patch_result	 res;
	struct patch		*pt;
	char			 err[4096], *msg;
	int			 dfd, rc;

	(void)prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (dup2(out, 3) == -1)
		return 1;
	closefrom(4);
	out = 3;
	if (policy_sandboxed(pol) && !sandbox_disabled() &&
	    !policy_sandboxed(w) && nsbind_enter(pol, err, sizeof(err)) == -1)
		goto fail;
	if (!sandbox_disabled() &&
	    cmdsandbox_apply(pol, 1, err, sizeof(err)) == -1)
		goto fail;
	if ((dfd = open(pol->cwd, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) ==
	    -1) {
		(void)snprintf(err, sizeof(err), "%s: %s", pol->cwd,
		    strerror(errno));
		goto fail;
	}
	if (image != NULL) {
		if (image_read(image, err, sizeof(err), out) == -1)
			goto fail;
		return 0;
	}
	if ((pt = patch_parse(text, strlen(text), err, sizeof(err))) == NULL)
		goto fail;
	patch_result_init(&res);
	rc = patch_apply(dfd, pt, &res, err, sizeof(err));
	msg = rc == 0 ? patch_result_render(&res) : NULL;
	patch_result_free(&res);
	patch_free(pt);
	if (rc == -1)
		goto fail;
	if (msg == NULL)
		return 1;
	report(out, "1", 1);
	report(out, msg, strlen(msg));
	free(msg);
	return 0;
 fail:
	report(out, "0", 1);
	report(out, err, strlen(err));
	return 0;
}

static void
prun_read(int fd, short ev, void *arg)
{
	struct prun	*r = arg;
	char		 buf[8192], *nb;
	ssize_t		 n;
	int		 st;

	(void)ev;
	if ((n = read(fd, buf, sizeof(buf))) == -1) {
		if (errno == EINTR || errno == EAGAIN)
			return;
		n = 0;
	}
	if (n > 0 && r->len + n <= PATCH_RESULT_MAX) {
		if ((nb = realloc(r->buf, r->len + n + 1)) == NULL)
			fatal(NULL);
		r->buf = nb;
		memcpy(r->buf + r->len, buf, n);
		r->len += n;
		r->buf[r->len] = '\0';
	}
	if (n > 0)
		return;
	(void)event_del(&r->ev);
	(void)close(r->fd);
	r->fd = -1;
	while (waitpid(r->pid, &st, 0) == -1 && errno == EINTR)
		;
	if (r->len == 0)
		prun_reply(r, 0, "apply_patch: the sandboxed child failed");
	else
		prun_reply(r, r->buf[0] == '1', r->buf + 1);
}

/* IMSG_EXEC_PATCH_END: {"success", "output"}. */
static void
prun_reply(struct prun *r, int ok, const char *text)
{
	json_t	*res;
	char	*s;

	if ((res = json_pack("{s:b, s:s}", "success", ok, "output",
	    text)) == NULL ||
	    (s = json_dumps(res, JSON_COMPACT)) == NULL)
		fatalx("patch result");
	peer_compose_big(parent, IMSG_EXEC_PATCH_END, r->id, s, strlen(s));
	free(s);
	json_decref(res);
	free(r->buf);
	free(r);
}

/* The image kinds a model takes, told by their first bytes. */
static const char *
image_mime(const unsigned char *b, size_t len)
{
	if (len >= 8 && memcmp(b, "\x89PNG\r\n\x1a\n", 8) == 0)
		return "image/png";
	if (len >= 3 && memcmp(b, "\xff\xd8\xff", 3) == 0)
		return "image/jpeg";
	if (len >= 6 && (memcmp(b, "GIF87a", 6) == 0 ||
	    memcmp(b, "GIF89a", 6) == 0))
		return "image/gif";
	if (len >= 12 && memcmp(b, "RIFF", 4) == 0 &&
	    memcmp(b + 8, "WEBP", 4) == 0)
		return "image/webp";
	return NULL;
}

/*
 * view_image in the sandboxed child: read the file (at most
 * IMAGE_MAX bytes), and report "1" and a data URL.
 */
#define IMAGE_MAX	(20 * 1024 * 1024)

static int
image_read(const char *path, char *err, size_t errlen, int out)
{
	static const char	 b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	unsigned char		*buf, *e;
	const char		*mime;
	char			*url, *u;
	size_t			 len = 0, i;
	ssize_t			 n;
	int			 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		(void)snprintf(err, errlen, "unable to read image %s: %s",
		    path, strerror(errno));
		return -1;
	}
	if ((buf = malloc(IMAGE_MAX + 1)) == NULL)
		_exit(1);
	while ((n = read(fd, buf + len, IMAGE_MAX + 1 - len)) > 0)
		len += n;
	if (n == -1 || len > IMAGE_MAX) {
		(void)snprintf(err, errlen, "unable to read image %s: %s",
		    path, n == -1 ? strerror(errno) : "larger than 20 MiB");
		free(buf);
		return -1;
	}
	if ((mime = image_mime(buf, len)) == NULL) {
		(void)snprintf(err, errlen, "%s is not a PNG, JPEG, GIF or "
		    "WebP image", path);
		free(buf);
		return -1;
	}
	if ((url = malloc(64 + (len + 2) / 3 * 4)) == NULL)
		_exit(1);
	u = url + snprintf(url, 64, "data:%s;base64,", mime);
	for (i = 0, e = buf; i + 2 < len; i += 3, e += 3) {
		*u++ = b64[e[0] >> 2];
		*u++ = b64[((e[0] & 3) << 4) | (e[1] >> 4)];
		*u++ = b64[((e[1] & 15) << 2) | (e[2] >> 6)];
		*u++ = b64[e[2] & 63];
	}
	if (len - i > 0) {
		*u++ = b64[e[0] >> 2];
		*u++ = b64[((e[0] & 3) << 4) | (len - i > 1 ? e[1] >> 4 : 0)];
		*u++ = len - i > 1 ? b64[(e[1] & 15) << 2] : '=';
		*u++ = '=';
	}
	*u = '\0';
	free(buf);
	report(out, "1", 1);
	report(out, url, u - url);
	free(url);
	return 0;
}
