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
 * Reading rollouts back: the history to resume with, and finding
 * sessions by cwd or by id.  A crash can leave a torn last line and other
 * versions of Codex write line types we do not know; both are skipped
 * with a warning rather than refusing the whole session.
 */

#include <sys/stat.h>
#include <sys/types.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <jansson.h>

#include "agent/rollout.h"

#define ROLLOUT_HEAD_MAX	(4 * 1024 * 1024)

static void
rd_warn(struct rollout_data *rd, const char *fmt, ...)
	__attribute__((__format__(__printf__, 2, 3)));

static void
rd_warn(struct rollout_data *rd, const char *fmt, ...)
{
	va_list	 ap;
	char	 msg[512];

	if (rd->warn == NULL)
		return;
	va_start(ap, fmt);
	/* A warning cut short still says what happened. */
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	rd->warn(rd->warnarg, msg);
}

static int
read_all(const char *path, char **bufp, size_t *lenp)
{
	struct stat	 sb;
	char		*buf;
	size_t		 off = 0;
	ssize_t		 n;
	int		 fd, e;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	if (fstat(fd, &sb) == -1)
		e = errno;
	else if (!S_ISREG(sb.st_mode))
		e = EINVAL;
	else
		e = 0;
	if (e != 0) {
		(void)close(fd);
		errno = e;
		return -1;
	}
	if ((buf = malloc((size_t)sb.st_size + 1)) == NULL) {
		(void)close(fd);
		return -1;
	}
	/* A file still growing is read up to the size seen at open. */
	while (off < (size_t)sb.st_size) {
		n = read(fd, buf + off, (size_t)sb.st_size - off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			e = errno;
			free(buf);
			(void)close(fd);
			errno = e;
			return -1;
		}
		if (n == 0)
			break;
		off += n;
	}
	(void)close(fd);
	buf[off] = '\0';
	*bufp = buf;
	*lenp = off;
	return 0;
}

/* The first input_text of a user message, or NULL. */
static const char *
user_text(json_t *item)
{
	json_t	*c;
	size_t	 i;

	if (!json_is_string(json_object_get(item, "role")) ||
	    strcmp(json_string_value(json_object_get(item, "role")),
	    "user") != 0)
		return NULL;
	json_array_foreach(json_object_get(item, "content"), i, c)
		if (json_is_string(json_object_get(c, "text")))
			return json_string_value(json_object_get(c, "text"));
	return NULL;
}

/*
 * A message the user typed, as opposed to the context Codex and we wrap
 * in user messages (environment, AGENTS.md instructions).
 */
static int
is_real_user_message(json_t *item)
{
	const char	*t, *wrap[] = { "<environment_context>",
	    "<user_instructions>", "# AGENTS.md instructions", "<INSTRUCTIONS>" };
	size_t		 i;

	if ((t = user_text(item)) == NULL)
		return 0;
	for (i = 0; i < sizeof(wrap) / sizeof(wrap[0]); i++)
		if (strncmp(t, wrap[i], strlen(wrap[i])) == 0)
			return 0;
	return 1;
}

/*
 * A compacted line.  With a replacement history (Codex since late 2025
 * and us) that history is the new start.  An old-style line has only the
 * summary: keep the user's own messages and add the summary after them.
 */
static int
apply_compacted(struct rollout_data *rd, json_t *payload)
{
	json_t	*repl, *items, *it, *msg;
	size_t	 i;

	if ((items = json_array()) == NULL)
		return -1;
	repl = json_object_get(payload, "replacement_history");
	if (json_is_array(repl)) {
		if (json_array_extend(items, repl) == -1)
			goto fail;
	} else {
		json_array_foreach(rd->items, i, it)
			if (is_real_user_message(it) &&
			    json_array_append(items, it) == -1)
				goto fail;
		msg = json_pack("{s:s, s:s, s:[{s:s, s:s}]}", "type", "message",
		    "role", "user", "content", "type", "input_text", "text",
		    json_is_string(json_object_get(payload, "message")) ?
		    json_string_value(json_object_get(payload, "message")) : "");
		if (msg == NULL || json_array_append_new(items, msg) == -1)
			goto fail;
	}
	json_decref(rd->items);
	rd->items = items;
	return 0;
fail:
	json_decref(items);
	return -1;
}

/* thread_rolled_back: forget the newest num_turns user turns. */
static int
apply_rollback(struct rollout_data *rd, json_t *payload)
{
	json_int_t	 n;
	size_t		 i;

	n = json_integer_value(json_object_get(payload, "num_turns"));
	if (n <= 0)
		return 0;
	for (i = json_array_size(rd->items); i > 0; i--) {
		if (!is_real_user_message(json_array_get(rd->items, i - 1)))
			continue;
		if (--n == 0)
			break;
	}
	while (json_array_size(rd->items) > (i > 0 ? i - 1 : 0))
		if (json_array_remove(rd->items,
		    json_array_size(rd->items) - 1) == -1)
			return -1;
	return 0;
}

static int
apply_line(struct rollout_data *rd, const char *type, json_t *payload)
{
	const char	*ev;

	if (strcmp(type, ROLLOUT_RESPONSE_ITEM) == 0) {
		rd->nresponse++;
		return json_array_append(rd->items, payload);
	}
	if (strcmp(type, ROLLOUT_EVENT_MSG) == 0) {
		rd->nevent++;
		ev = json_string_value(json_object_get(payload, "type"));
		if (ev != NULL && strcmp(ev, "thread_rolled_back") == 0)
			return apply_rollback(rd, payload);
		return 0;
	}
	if (strcmp(type, ROLLOUT_TURN_CONTEXT) == 0) {
		rd->nturn++;
		json_decref(rd->turn_context);
		rd->turn_context = json_incref(payload);
		return 0;
	}
	if (strcmp(type, ROLLOUT_COMPACTED) == 0) {
		rd->ncompacted++;
		return apply_compacted(rd, payload);
	}
	if (strcmp(type, ROLLOUT_SESSION_META) != 0)
		rd->nunknown++;
	return 0;
}

static int
is_blank(const char *s, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++)
		if (!isspace((unsigned char)s[i]))
			return 0;
	return 1;
}

/*
 * One line.  Returns 0 when it was used or skipped, -1 with errbuf set
 * when the file cannot be a rollout.  last says the line had no newline.
 */
static int
read_line(struct rollout_data *rd, const char *path, size_t lineno,
    const char *s, size_t len, int last, char *errbuf, size_t errlen)
{
	json_error_t	 jerr;
	json_t		*j, *payload;
	const char	*type;
	int		 rv = 0;

	if (is_blank(s, len)) {
		rd->nblank++;
		return 0;
	}
	j = json_loadb(s, len, 0, &jerr);
	type = json_string_value(json_object_get(j, "type"));
	payload = json_object_get(j, "payload");
	if (rd->meta == NULL) {
		if (type == NULL || strcmp(type, ROLLOUT_SESSION_META) != 0 ||
		    !json_is_object(payload)) {
			(void)snprintf(errbuf, errlen, "%s: not a rollout file "
			    "(line %zu is not session_meta)", path, lineno);
			json_decref(j);
			return -1;
		}
		rd->meta = json_incref(payload);
	}
	if (type == NULL || !json_is_object(payload)) {
		if (last) {
			rd->torn = 1;
			rd_warn(rd, "%s: line %zu: torn last line skipped",
			    path, lineno);
		} else {
			rd->nbad++;
			rd_warn(rd, "%s: line %zu: skipped, not a rollout line",
			    path, lineno);
		}
	} else {
		rd->nlines++;
		if (apply_line(rd, type, payload) == -1) {
			(void)snprintf(errbuf, errlen, "%s: out of memory",
			    path);
			rv = -1;
		}
	}
	json_decref(j);
	return rv;
}

/*
 * Read a whole rollout into rd (whose warn fields the caller may set).
 * On failure rd holds nothing and errbuf says why.
 */
int
rollout_read(const char *path, struct rollout_data *rd, char *errbuf,
    size_t errlen)
{
	char	*buf, *p, *nl, *end;
	size_t	 len, lineno = 0;
	int	 rv = 0;

	rd->meta = rd->turn_context = NULL;
	rd->nlines = rd->nresponse = rd->nevent = rd->nturn = 0;
	rd->ncompacted = rd->nunknown = rd->nblank = rd->nbad = 0;
	rd->torn = 0;
	if ((rd->items = json_array()) == NULL) {
		(void)snprintf(errbuf, errlen, "%s: out of memory", path);
		return -1;
	}
	if (read_all(path, &buf, &len) == -1) {
		(void)snprintf(errbuf, errlen, "%s: %s", path,
		    strerror(errno));
		rollout_data_free(rd);
		return -1;
	}
	end = buf + len;
	for (p = buf; rv == 0 && p < end; p = nl + 1) {
		lineno++;
		if ((nl = memchr(p, '\n', end - p)) == NULL)
			nl = end;
		rv = read_line(rd, path, lineno, p, nl - p, nl == end,
		    errbuf, errlen);
	}
	free(buf);
	if (rv == 0 && rd->meta == NULL) {
		(void)snprintf(errbuf, errlen, "%s: not a rollout file "
		    "(no session_meta)", path);
		rv = -1;
	}
	if (rv == -1)
		rollout_data_free(rd);
	return rv;
}

void
rollout_data_free(struct rollout_data *rd)
{
	json_decref(rd->meta);
	json_decref(rd->items);
	json_decref(rd->turn_context);
	rd->meta = rd->items = rd->turn_context = NULL;
}

/*
 * Listing.  The tree is sessions/YYYY/MM/DD/rollout-<stamp>-<uuid>.jsonl
 * and names sort by time, so walking each level in reverse name order
 * visits sessions newest first without reading any file.
 */

static int
digits_filter(const struct dirent *de, size_t n)
{
	return strlen(de->d_name) == n &&
	    strspn(de->d_name, "0123456789") == n;
}

static int
year_filter(const struct dirent *de)
{
	return digits_filter(de, 4);
}

static int
day_filter(const struct dirent *de)
{
	return digits_filter(de, 2);
}

/* rollout-YYYY-MM-DDThh-mm-ss-<36 character uuid>.jsonl */
static int
name_filter(const struct dirent *de)
{
	const char	*n = de->d_name;

	return strlen(n) == 8 + 19 + 1 + 36 + 6 &&
	    strncmp(n, "rollout-", 8) == 0 && n[18] == 'T' && n[27] == '-' &&
	    strcmp(n + 64, ".jsonl") == 0;
}

/* Visit dir's entries newest first; level 3 is the files themselves. */
static int
walk_level(const char *dir, int level,
    int (*cb)(const char *, const char *, void *), void *arg)
{
	int		(*filter[])(const struct dirent *) = { year_filter,
	    day_filter, day_filter, name_filter };
	struct dirent	**de;
	char		 path[PATH_MAX];
	int		 i, n, rv = 0;

	if ((n = scandir(dir, &de, filter[level], alphasort)) == -1)
		return errno == ENOENT || errno == ENOTDIR ? 0 : -1;
	for (i = n - 1; i >= 0; i--) {
		/* A name too long for PATH_MAX cannot be opened; skip it. */
		if (rv == 0 && snprintf(path, sizeof(path), "%s/%s", dir,
		    de[i]->d_name) < (int)sizeof(path)) {
			if (level == 3)
				rv = cb(path, de[i]->d_name, arg);
			else
				rv = walk_level(path, level + 1, cb, arg);
		}
		free(de[i]);
	}
	free(de);
	return rv;
}

static int
walk_sessions(const char *home,
    int (*cb)(const char *, const char *, void *), void *arg)
{
	char	 dir[PATH_MAX];
	int	 n;

	n = snprintf(dir, sizeof(dir), "%s/sessions", home);
	if (n < 0 || (size_t)n >= sizeof(dir)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return walk_level(dir, 0, cb, arg) == -1 ? -1 : 0;
}

/* The first line of a file, parsed; only the head is read. */
static json_t *
read_head(const char *path)
{
	json_error_t	 jerr;
	json_t		*j;
	char		*buf = NULL, *t;
	size_t		 len = 0, cap = 0;
	ssize_t		 n;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) == -1)
		return NULL;
	for (;;) {
		if (len == cap) {
			if (cap >= ROLLOUT_HEAD_MAX ||
			    (t = realloc(buf, cap ? cap * 2 : 16384)) == NULL)
				break;
			buf = t;
			cap = cap ? cap * 2 : 16384;
		}
		if ((n = read(fd, buf + len, cap - len)) <= 0)
			break;
		if ((t = memchr(buf + len, '\n', n)) != NULL) {
			len = t - buf;
			break;
		}
		len += n;
	}
	(void)close(fd);
	j = buf != NULL ? json_loadb(buf, len, 0, &jerr) : NULL;
	free(buf);
	return j;
}

struct list_state {
	const char		*cwd;
	size_t			 max;
	size_t			 scanned;
	size_t			 found;
	struct rollout_entries	*list;
};

static int
list_one(const char *path, const char *name, void *arg)
{
	struct list_state	*ls = arg;
	struct rollout_entry	*e;
	json_t			*head, *meta;
	const char		*cwd, *src, *type;

	if (++ls->scanned > ROLLOUT_LIST_SCAN_MAX)
		return 1;
	head = read_head(path);
	meta = json_object_get(head, "payload");
	type = json_string_value(json_object_get(head, "type"));
	cwd = json_string_value(json_object_get(meta, "cwd"));
	src = json_string_value(json_object_get(meta, "source"));
	if (type == NULL || strcmp(type, ROLLOUT_SESSION_META) != 0 ||
	    cwd == NULL ||
	    (ls->cwd != NULL && strcmp(ls->cwd, cwd) != 0)) {
		json_decref(head);
		return 0;
	}
	if ((e = calloc(1, sizeof(*e))) == NULL ||
	    (e->path = strdup(path)) == NULL ||
	    (e->cwd = strdup(cwd)) == NULL ||
	    (src != NULL && (e->source = strdup(src)) == NULL)) {
		if (e != NULL) {
			free(e->path);
			free(e->cwd);
		}
		free(e);
		json_decref(head);
		return -1;
	}
	json_decref(head);
	memcpy(e->stamp, name + 8, 19);
	memcpy(e->id, name + 28, 36);
	TAILQ_INSERT_TAIL(ls->list, e, entry);
	return ++ls->found == ls->max;
}

/*
 * Sessions newest first, those begun in cwd only unless cwd is NULL, at
 * most max of them (0: no limit) out of the newest
 * ROLLOUT_LIST_SCAN_MAX files.
 */
int
rollout_list(const char *home, const char *cwd, size_t max,
    struct rollout_entries *list)
{
	struct list_state	 ls;

	TAILQ_INIT(list);
	memset(&ls, 0, sizeof(ls));
	ls.cwd = cwd;
	ls.max = max;
	ls.list = list;
	if (walk_sessions(home, list_one, &ls) == -1) {
		rollout_list_free(list);
		return -1;
	}
	return 0;
}

void
rollout_list_free(struct rollout_entries *list)
{
	struct rollout_entry	*e, *t;

	TAILQ_FOREACH_SAFE(e, list, entry, t) {
		TAILQ_REMOVE(list, e, entry);
		free(e->path);
		free(e->cwd);
		free(e->source);
		free(e);
	}
}

struct find_state {
	const char	*id;
	size_t		 idlen;
	char		 match[PATH_MAX];
	char		 matchid[37];
	int		 nmatch;
};

static int
find_one(const char *path, const char *name, void *arg)
{
	struct find_state	*fs = arg;
	const char		*id = name + 28;

	if (strncasecmp(id, fs->id, fs->idlen) != 0)
		return 0;
	if (fs->nmatch > 0 && strncasecmp(fs->matchid, id, 36) == 0)
		return 0;
	if (fs->nmatch++ > 0)
		return 1;
	if (strlcpy(fs->match, path, sizeof(fs->match)) >= sizeof(fs->match))
		return -1;
	memcpy(fs->matchid, id, 36);
	return 0;
}

/*
 * The rollout of session id, given whole or as a prefix that only one
 * session has.  The path goes to path; errbuf says why not.
 */
int
rollout_find(const char *home, const char *id, char *path, size_t len,
    char *errbuf, size_t errlen)
{
	struct find_state	 fs;

	memset(&fs, 0, sizeof(fs));
	fs.id = id;
	fs.idlen = strlen(id);
	if (fs.idlen == 0 || fs.idlen > 36 ||
	    strspn(id, "0123456789abcdefABCDEF-") != fs.idlen) {
		(void)snprintf(errbuf, errlen, "%s: not a session id", id);
		return -1;
	}
	if (walk_sessions(home, find_one, &fs) == -1) {
		(void)snprintf(errbuf, errlen, "%s/sessions: %s", home,
		    strerror(errno));
		return -1;
	}
	if (fs.nmatch == 0) {
		(void)snprintf(errbuf, errlen, "no session %s", id);
		return -1;
	}
	if (fs.nmatch > 1) {
		(void)snprintf(errbuf, errlen, "session id %s is ambiguous",
		    id);
		return -1;
	}
	if (strlcpy(path, fs.match, len) >= len) {
		(void)snprintf(errbuf, errlen, "%s: path too long", fs.match);
		return -1;
	}
	return 0;
}
