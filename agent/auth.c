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
 * Credentials, parent side.  The parent reads the key once (the
 * provider's env_key, else auth.json's OPENAI_API_KEY, else the ChatGPT
 * tokens), hands it to netproc and wipes its copy; it alone writes
 * auth.json: `ocodex login --with-api-key`, `ocodex logout`, and the
 * tokens netproc refreshed.
 */

#include <sys/types.h>
#include <sys/stat.h>

#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "agent/agent.h"
#include "agent/config.h"
#include "agent/model.h"
#include "imsg/log.h"
#include "imsg/proc.h"
#include "imsg/proto.h"

#define AUTH_FILE	"auth.json"
#define AUTH_MAX	(1024 * 1024)
#define KEY_MAX		4096

static void	 zfree(void *);
static json_t	*auth_load(const char *, int *);
static int	 auth_write(const char *, json_t *);
static int	 auth_path(const char *, const char *, char *, size_t);
static char	*key_mask(const char *, char *, size_t);
static int	 cred_set(struct cred *, int, const char *);
static __dead void login_status(void);
static char	*key_stdin(void);

/*
 * jansson frees the strings it copied (keys and tokens among them)
 * without clearing them; with this allocator every block the parent's
 * JSON code frees is wiped first.
 */
static void
zfree(void *p)
{
	if (p == NULL)
		return;
	explicit_bzero(p, malloc_usable_size(p));
	free(p);
}

void
auth_init(void)
{
	json_set_alloc_funcs(malloc, zfree);
}

static int
auth_path(const char *home, const char *name, char *buf, size_t len)
{
	int	n;

	n = snprintf(buf, len, "%s/%s", home, name);
	if (n < 0 || (size_t)n >= len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

/* auth.json as JSON; NULL with *missing set when there is none. */
static json_t *
auth_load(const char *home, int *missing)
{
	char		 path[PATH_MAX], *buf;
	json_t		*j;
	ssize_t		 n;
	size_t		 len = 0;
	int		 fd;

	*missing = 0;
	if (auth_path(home, AUTH_FILE, path, sizeof(path)) == -1)
		return NULL;
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1) {
		*missing = errno == ENOENT;
		return NULL;
	}
	if ((buf = malloc(AUTH_MAX + 1)) == NULL)
		fatal(NULL);
	while (len < AUTH_MAX && (n = read(fd, buf + len, AUTH_MAX - len)) >
	    0)
		len += n;
	(void)close(fd);
	j = json_loadb(buf, len, 0, NULL);
	freezero(buf, AUTH_MAX + 1);
	if (j == NULL)
		log_warnx("%s is not valid JSON; ignoring it", path);
	return j;
}

/* Write auth.json whole: a 0600 temporary file renamed over it. */
static int
auth_write(const char *home, json_t *j)
{
	char	 path[PATH_MAX], tmp[PATH_MAX], *s;
	size_t	 len;
	int	 fd, rc = 0;

	if (auth_path(home, AUTH_FILE, path, sizeof(path)) == -1 ||
	    auth_path(home, ".auth.json.XXXXXXXXXX", tmp, sizeof(tmp)) == -1)
		return -1;
	if ((s = json_dumps(j, JSON_INDENT(2))) == NULL)
		return -1;
	len = strlen(s);
	if ((fd = mkstemp(tmp)) == -1) {
		freezero(s, len);
		return -1;
	}
	if (fchmod(fd, 0600) == -1 || write(fd, s, len) != (ssize_t)len ||
	    write(fd, "\n", 1) != 1 || fsync(fd) == -1)
		rc = -1;
	freezero(s, len);
	if (close(fd) == -1)
		rc = -1;
	if (rc == 0 && rename(tmp, path) == -1)
		rc = -1;
	if (rc == -1)
		(void)unlink(tmp);
	return rc;
}

void
auth_wipe_cred(struct cred *c)
{
	if (c->secret != NULL)
		freezero(c->secret, c->len + 1);
	c->secret = NULL;
	c->len = 0;
	c->kind = -1;
}

static int
cred_set(struct cred *c, int kind, const char *s)
{
	c->kind = kind;
	if ((c->secret = strdup(s)) == NULL)
		fatal(NULL);
	c->len = strlen(s);
	return 0;
}

/*
 * The credential of provider p: its env_key variable, else (for
 * providers that use OpenAI's sign-in) auth.json's API key, else its
 * ChatGPT tokens.  A provider that needs neither gets none.  Return -1
 * with a message when p cannot work without one.
 */
int
auth_read(const struct provider *p, const char *home, struct cred *c,
    char *err, size_t errlen)
{
	const char	*v;
	json_t		*j, *t, *sent;
	char		*s;
	int		 missing;

	c->kind = -1;
	c->secret = NULL;
	c->len = 0;
	if (p->env_key != NULL && (v = getenv(p->env_key)) != NULL &&
	    v[strspn(v, " \t\r\n")] != '\0')
		return cred_set(c, CRED_API_KEY, v);
	if (!p->requires_openai_auth) {
		if (p->env_key == NULL)
			return 0;
		(void)snprintf(err, errlen, "Missing environment variable: "
		    "`%s`.%s%s", p->env_key, p->env_key_instructions != NULL ?
		    " " : "", p->env_key_instructions != NULL ?
		    p->env_key_instructions : "");
		return -1;
	}
	if ((j = auth_load(home, &missing)) != NULL) {
		v = json_string_value(json_object_get(j, "OPENAI_API_KEY"));
		t = json_object_get(j, "tokens");
		if (v != NULL && *v != '\0')
			cred_set(c, CRED_API_KEY, v);
		else if (json_is_string(json_object_get(t, "access_token"))) {
			/* netproc needs no id_token; it keeps messages small. */
			sent = json_pack("{s:O, s:O?, s:O?}", "access_token",
			    json_object_get(t, "access_token"),
			    "refresh_token", json_object_get(t,
			    "refresh_token"), "account_id",
			    json_object_get(t, "account_id"));
			if (sent == NULL ||
			    (s = json_dumps(sent, JSON_COMPACT)) == NULL)
				fatalx("auth.json tokens");
			cred_set(c, CRED_CHATGPT, s);
			freezero(s, strlen(s));
			json_decref(sent);
		}
		json_decref(j);
	}
	if (c->kind != -1)
		return 0;
	(void)snprintf(err, errlen, "not logged in: set %s, or run `ocodex "
	    "login --with-api-key` and give it the key on standard input",
	    p->env_key != NULL ? p->env_key : "OPENAI_API_KEY");
	return -1;
}

/* Send netproc every provider's credential, and forget them. */
void
auth_send(struct peer *np, const struct config *cfg, const char *home)
{
	const struct provider	*p;
	struct msg_credential	 mc;
	struct cred		 c;
	char			 err[512], *buf;
	size_t			 n;

	TAILQ_FOREACH(p, &cfg->providers, entry) {
		if (auth_read(p, home, &c, err, sizeof(err)) == -1 ||
		    c.kind == -1)
			continue;
		memset(&mc, 0, sizeof(mc));
		mc.kind = c.kind;
		if (strlcpy(mc.provider, p->id, sizeof(mc.provider)) >=
		    sizeof(mc.provider)) {
			auth_wipe_cred(&c);
			continue;
		}
		n = sizeof(mc) + c.len;
		if ((buf = malloc(n)) == NULL)
			fatal(NULL);
		memcpy(buf, &mc, sizeof(mc));
		memcpy(buf + sizeof(mc), c.secret, c.len);
		peer_compose(np, IMSG_NET_CREDENTIAL, 0, -1, buf, n);
		freezero(buf, n);
		auth_wipe_cred(&c);
	}
}

/*
 * IMSG_NET_TOKENS: netproc refreshed a ChatGPT sign-in.  Merge the new
 * tokens into auth.json and note when.
 */
void
auth_store_tokens(struct peer *p, struct imsg *imsg)
{
	json_t		*j, *auth, *tokens, *v;
	const char	*k;
	char		*data, when[64];
	size_t		 len;
	time_t		 now = time(NULL);
	struct tm	 tm;
	int		 missing;

	if (peer_big_recv(p, imsg, &data, &len) == 0)
		return;
	j = json_loadb(data, len, 0, NULL);
	freezero(data, len + 1);
	if (j == NULL || !json_is_object(json_object_get(j, "tokens")))
		fatalx("netproc sent malformed tokens");
	if ((auth = auth_load(opts.codex_home, &missing)) == NULL &&
	    (auth = json_object()) == NULL)
		fatal(NULL);
	if (!json_is_object(tokens = json_object_get(auth, "tokens"))) {
		tokens = json_object();
		json_object_set_new(auth, "tokens", tokens);
	}
	json_object_foreach(json_object_get(j, "tokens"), k, v)
		json_object_set(tokens, k, v);
	if (gmtime_r(&now, &tm) != NULL && strftime(when, sizeof(when),
	    "%Y-%m-%dT%H:%M:%SZ", &tm) != 0)
		json_object_set_new(auth, "last_refresh", json_string(when));
	if (auth_write(opts.codex_home, auth) == -1)
		log_warn("cannot write the refreshed tokens to %s/%s",
		    opts.codex_home, AUTH_FILE);
	json_decref(auth);
	json_decref(j);
}

/* Codex shows a key as its first 8 and last 5 characters. */
static char *
key_mask(const char *key, char *buf, size_t len)
{
	size_t	n = strlen(key);

	if (n <= 13)
		(void)strlcpy(buf, "***", len);
	else
		(void)snprintf(buf, len, "%.8s***%s", key, key + n - 5);
	return buf;
}

static __dead void
login_status(void)
{
	json_t		*j;
	const char	*key;
	char		 m[32];
	int		 missing;

	if ((j = auth_load(opts.codex_home, &missing)) != NULL) {
		key = json_string_value(json_object_get(j, "OPENAI_API_KEY"));
		if (key != NULL && *key != '\0') {
			(void)printf("Logged in using an API key - %s\n",
			    key_mask(key, m, sizeof(m)));
			exit(0);
		}
		if (json_is_object(json_object_get(j, "tokens"))) {
			(void)printf("Logged in using ChatGPT\n");
			exit(0);
		}
	}
	(void)printf("Not logged in\n");
	exit(1);
}

/* The key from standard input, without surrounding white space. */
static char *
key_stdin(void)
{
	char	*buf, *s, *e;
	size_t	 len = 0;
	ssize_t	 n;

	if ((buf = calloc(1, KEY_MAX + 1)) == NULL)
		fatal(NULL);
	while (len < KEY_MAX && (n = read(STDIN_FILENO, buf + len,
	    KEY_MAX - len)) > 0)
		len += n;
	for (s = buf; isspace((unsigned char)*s); s++)
		;
	for (e = buf + len; e > s && isspace((unsigned char)e[-1]); e--)
		;
	*e = '\0';
	if (*s == '\0' || len == KEY_MAX || strpbrk(s, " \t\r\n") != NULL) {
		freezero(buf, KEY_MAX + 1);
		errx(1, "no API key on standard input (pipe it in, for "
		    "example: printenv OPENAI_API_KEY | ocodex login "
		    "--with-api-key)");
	}
	memmove(buf, s, strlen(s) + 1);
	return buf;
}

/*
 * `ocodex login --with-api-key` (key on standard input) and `ocodex
 * login status`.  The ChatGPT browser sign-in is not offered.
 */
__dead void
auth_login(int argc, char **argv)
{
	json_t	*j;
	char	*key;

	auth_init();
	if (argc == 2 && strcmp(argv[1], "status") == 0)
		login_status();
	if (argc == 3 && strcmp(argv[1], "--api-key") == 0)
		errx(1, "--api-key is gone: pipe the key in instead, e.g. "
		    "printenv OPENAI_API_KEY | ocodex login --with-api-key");
	if (argc != 2 || strcmp(argv[1], "--with-api-key") != 0)
		errx(2, "usage: ocodex login --with-api-key < key\n"
		    "       ocodex login status\n"
		    "(signing in with ChatGPT in a browser is not supported; "
		    "copy an auth.json made by codex login instead)");
	key = key_stdin();
	j = json_pack("{s:s, s:s}", "auth_mode", "apikey", "OPENAI_API_KEY",
	    key);
	freezero(key, KEY_MAX + 1);
	if (j == NULL)
		errx(1, "out of memory");
	if (auth_write(opts.codex_home, j) == -1)
		err(1, "cannot write %s/%s", opts.codex_home, AUTH_FILE);
	json_decref(j);
	(void)printf("Successfully logged in\n");
	exit(0);
}

/* `ocodex logout`: remove auth.json. */
__dead void
auth_logout(int argc, char **argv)
{
	char	path[PATH_MAX];

	(void)argv;
	if (argc != 1)
		errx(2, "usage: ocodex logout");
	if (auth_path(opts.codex_home, AUTH_FILE, path, sizeof(path)) == -1)
		err(1, "%s", opts.codex_home);
	if (unlink(path) == -1) {
		if (errno != ENOENT)
			err(1, "%s", path);
		(void)printf("Not logged in\n");
		exit(0);
	}
	(void)printf("Successfully logged out\n");
	exit(0);
}
