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
 * The macOS Seatbelt (SBPL) profile for a policy: deny by default; read
 * everything; write only under the writable roots, each read-only
 * subpath excluded both as a literal (so it cannot be created) and as a
 * subpath; network only when the policy allows it.  Paths are written
 * into the profile as string literals rather than sandbox-exec
 * parameters, so that the printed profile is the whole truth.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sandbox/policy.h"

static const char base[] =
    "(version 1)\n"
    "(deny default)\n"
    "\n"
    "; Processes: run and fork, signal and inspect only our own.\n"
    "(allow process-exec)\n"
    "(allow process-fork)\n"
    "(allow signal (target same-sandbox))\n"
    "(allow process-info* (target same-sandbox))\n"
    "\n"
    "; What ordinary tools need from the system.\n"
    "(allow sysctl-read)\n"
    "(allow user-preference-read)\n"
    "(allow mach-lookup\n"
    "  (global-name \"com.apple.system.opendirectoryd.libinfo\")\n"
    "  (global-name \"com.apple.cfprefsd.daemon\")\n"
    "  (global-name \"com.apple.cfprefsd.agent\"))\n"
    "(allow ipc-posix-sem)\n"
    "(allow pseudo-tty)\n"
    "(allow file-read* file-write* file-ioctl (literal \"/dev/ptmx\"))\n"
    "(allow file-write-data\n"
    "  (require-all (path \"/dev/null\") (vnode-type CHARACTER-DEVICE)))\n";

static int	 lit(FILE *, const char *, const char *, const char *);
static int	 write_section(FILE *, const struct policy *, const char *);

/* An SBPL string literal: backslash and double quote escaped. */
static int
lit(FILE *fp, const char *pre, const char *s, const char *post)
{
	if (fputs(pre, fp) == EOF || fputc('"', fp) == EOF)
		return -1;
	for (; *s != '\0'; s++) {
		if ((*s == '"' || *s == '\\') && fputc('\\', fp) == EOF)
			return -1;
		if (fputc(*s, fp) == EOF)
			return -1;
	}
	return fputc('"', fp) == EOF || fputs(post, fp) == EOF ? -1 : 0;
}

static int
write_section(FILE *fp, const struct policy *p, const char *root)
{
	size_t	 i, rl = strlen(root);

	if (lit(fp, "(allow file-write*\n  (require-all (subpath ", root,
	    ")") == -1)
		return -1;
	for (i = 0; i < p->nro; i++) {
		if (strncmp(p->ro[i].path, root, rl) != 0 ||
		    p->ro[i].path[rl] != '/')
			continue;
		if (lit(fp, "\n    (require-not (literal ", p->ro[i].path,
		    "))") == -1 ||
		    lit(fp, "\n    (require-not (subpath ", p->ro[i].path,
		    "))") == -1)
			return -1;
	}
	return fputs("))\n", fp) == EOF ? -1 : 0;
}

char *
seatbelt_profile(const struct policy *p)
{
	char	*buf = NULL;
	size_t	 len = 0, i;
	FILE	*fp;
	int	 rc = 0;

	if ((fp = open_memstream(&buf, &len)) == NULL)
		return NULL;
	if (fputs(base, fp) == EOF ||
	    fputs("\n; Reading: the whole file system.\n(allow file-read*)\n",
	    fp) == EOF)
		rc = -1;
	if (rc == 0 && fprintf(fp, "\n; Writing: %s.\n",
	    p->mode == POLICY_FULL_ACCESS ? "everywhere" :
	    p->mode == POLICY_READ_ONLY ? "nowhere" :
	    "the writable roots, less their read-only subpaths") < 0)
		rc = -1;
	if (rc == 0 && p->mode == POLICY_FULL_ACCESS &&
	    fputs("(allow file-write* (regex #\"^/\"))\n", fp) == EOF)
		rc = -1;
	if (p->mode == POLICY_WORKSPACE_WRITE)
		for (i = 0; rc == 0 && i < p->nroots; i++)
			rc = write_section(fp, p, p->roots[i]);
	if (rc == 0 && fprintf(fp, "\n; Network: %s.\n%s",
	    p->network || p->mode == POLICY_FULL_ACCESS ? "allowed" :
	    "denied", p->network || p->mode == POLICY_FULL_ACCESS ?
	    "(allow network-outbound)\n(allow network-inbound)\n"
	    "(allow system-socket)\n" : "") < 0)
		rc = -1;
	if (fclose(fp) == EOF)
		rc = -1;
	if (rc == -1) {
		free(buf);
		return NULL;
	}
	return buf;
}
