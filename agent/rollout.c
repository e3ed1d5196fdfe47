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
 * The rollout writer.  Every line is serialised in memory and handed to
 * the kernel in one write(2) on an O_APPEND descriptor, so a reader (or a
 * resume after kill -9) sees whole lines and at most one torn line at the
 * very end.  A short write is undone with ftruncate(2) so that the file
 * stays line-complete even when the disk fills up.
 */

#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "agent/gitinfo.h"
#include "agent/rollout.h"

struct rollout {
	int			 fd;
	char			 path[PATH_MAX];
	off_t			 size;		/* line-complete length */
	uint64_t		 ordinal;	/* of the next line */
	enum rollout_syncpolicy	 policy;
	int			 dirty;		/* written since the last fsync */
	int			 dirsync;	/* the directory entry is new */
	uint64_t		 nsyncs;
	size_t			 repaired;	/* torn bytes dropped on open */
	size_t			 lost;		/* lines that could not be written */
};

#define ROLLOUT_READ_CHUNK	65536

static void
seterr(char *errbuf, size_t errlen, const char *fmt, const char *what,
    int e)
{
	if (errbuf == NULL || errlen == 0)
		return;
	/* The message is advice for a human; cutting it short is harmless. */
	(void)snprintf(errbuf, errlen, fmt, what, strerror(e));
}

/* "2026-11-27T20:08:00.526Z": UTC with milliseconds, as Codex writes. */
int
rollout_timestamp(const struct timespec *now, char *buf, size_t len)
{
	struct timespec	 ts;
	struct tm	 tm;
	int		 n;

	if (now == NULL) {
		if (clock_gettime(CLOCK_REALTIME, &ts) == -1)
			return -1;
		now = &ts;
	}
	if (gmtime_r(&now->tv_sec, &tm) == NULL)
		return -1;
	n = snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, now->tv_nsec / 1000000);
	if (n < 0 || (size_t)n >= len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

/* mkdir that accepts an existing directory but not anything else. */
static int
mkdir_one(const char *dir)
{
	struct stat	 sb;

	if (mkdir(dir, 0700) == 0)
		return 0;
	if (errno != EEXIST)
		return -1;
	if (stat(dir, &sb) == -1)
		return -1;
	if (!S_ISDIR(sb.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	return 0;
}

/*
 * Build sessions/YYYY/MM/DD under codex_home, creating what is missing
 * with mode 0700, and write the directory's path to dir.
 */
static int
make_daydir(const char *home, const struct tm *tm, char *dir, size_t len)
{
	const char	*fmt[] = { "%s", "%s/sessions", "%s/sessions/%04d",
	    "%s/sessions/%04d/%02d", "%s/sessions/%04d/%02d/%02d" };
	size_t		 i;
	int		 n;

	for (i = 0; i < sizeof(fmt) / sizeof(fmt[0]); i++) {
		n = snprintf(dir, len, fmt[i], home, tm->tm_year + 1900,
		    tm->tm_mon + 1, tm->tm_mday);
		if (n < 0 || (size_t)n >= len) {
			errno = ENAMETOOLONG;
			return -1;
		}
		if (mkdir_one(dir) == -1)
			return -1;
	}
	return 0;
}

static struct rollout *
rollout_alloc(int fd, const char *path)
{
	struct rollout	*r;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	if (strlcpy(r->path, path, sizeof(r->path)) >= sizeof(r->path)) {
		free(r);
		errno = ENAMETOOLONG;
		return NULL;
	}
	r->fd = fd;
	r->policy = ROLLOUT_SYNC_TURN;
	return r;
}

/*
 * Start a new session file for thread_id and write meta as its
 * session_meta line.  The name carries the local time of now (NULL: the
 * current time) so that listings sort by when the session began.
 */
struct rollout *
rollout_create(const char *home, const char *thread_id,
    const struct timespec *now, json_t *meta, char *errbuf, size_t errlen)
{
	struct timespec	 ts;
	struct tm	 tm;
	struct rollout	*r;
	char		 dir[PATH_MAX], path[PATH_MAX];
	int		 fd, n, e;

	if (now == NULL) {
		if (clock_gettime(CLOCK_REALTIME, &ts) == -1)
			return NULL;
		now = &ts;
	}
	if (strlen(thread_id) != 36 || strchr(thread_id, '/') != NULL) {
		seterr(errbuf, errlen, "%s: %s", "bad thread id", EINVAL);
		errno = EINVAL;
		return NULL;
	}
	if (localtime_r(&now->tv_sec, &tm) == NULL ||
	    make_daydir(home, &tm, dir, sizeof(dir)) == -1) {
		seterr(errbuf, errlen, "%s: %s", home, errno);
		return NULL;
	}
	n = snprintf(path, sizeof(path),
	    "%s/rollout-%04d-%02d-%02dT%02d-%02d-%02d-%s.jsonl", dir,
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, thread_id);
	if (n < 0 || (size_t)n >= sizeof(path)) {
		seterr(errbuf, errlen, "%s: %s", dir, ENAMETOOLONG);
		errno = ENAMETOOLONG;
		return NULL;
	}
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC |
	    O_NOFOLLOW, 0600);
	if (fd == -1) {
		seterr(errbuf, errlen, "%s: %s", path, errno);
		return NULL;
	}
	if ((r = rollout_alloc(fd, path)) == NULL) {
		e = errno;
		(void)close(fd);
		(void)unlink(path);
		errno = e;
		return NULL;
	}
	r->dirsync = 1;
	if (rollout_write(r, ROLLOUT_SESSION_META, meta) == -1) {
		e = errno;
		seterr(errbuf, errlen, "%s: %s", path, e);
		(void)close(fd);
		(void)unlink(path);
		free(r);
		errno = e;
		return NULL;
	}
	return r;
}

/*
 * Look at the file's end: count its complete lines (the next ordinal)
 * and find where the last one ends.  *tail is set to the length of the
 * bytes after the last newline.
 */
static int
scan_lines(int fd, off_t *end, uint64_t *nlines, off_t *tail)
{
	char	*buf, *p, *q;
	off_t	 off = 0, lastnl = 0;
	ssize_t	 n;

	if ((buf = malloc(ROLLOUT_READ_CHUNK)) == NULL)
		return -1;
	*nlines = 0;
	for (;;) {
		n = pread(fd, buf, ROLLOUT_READ_CHUNK, off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			free(buf);
			return -1;
		}
		if (n == 0)
			break;
		for (p = buf; (q = memchr(p, '\n', buf + n - p)) != NULL;
		    p = q + 1) {
			(*nlines)++;
			lastnl = off + (q - buf) + 1;
		}
		off += n;
	}
	free(buf);
	*end = off;
	*tail = off - lastnl;
	return 0;
}

/*
 * A crash can leave the last line without its newline.  If those bytes
 * are a whole JSON value only the newline was lost, so add it; otherwise
 * drop them, since appending after a fragment would corrupt the next line.
 */
static int
repair_tail(struct rollout *r, off_t end, off_t tail)
{
	json_error_t	 jerr;
	json_t		*j;
	char		*buf;
	ssize_t		 n;

	if ((buf = malloc(tail)) == NULL)
		return -1;
	n = pread(r->fd, buf, tail, end - tail);
	if (n != tail) {
		free(buf);
		if (n >= 0)
			errno = EIO;
		return -1;
	}
	j = json_loadb(buf, tail, 0, &jerr);
	free(buf);
	if (j != NULL && json_is_object(j)) {
		json_decref(j);
		if (write(r->fd, "\n", 1) != 1)
			return -1;
		r->size = end + 1;
		r->ordinal++;
		return 0;
	}
	json_decref(j);
	if (ftruncate(r->fd, end - tail) == -1)
		return -1;
	r->size = end - tail;
	r->repaired = tail;
	return 0;
}

/* Reopen an existing rollout (resume) to append to it. */
struct rollout *
rollout_open_append(const char *path, char *errbuf, size_t errlen)
{
	struct rollout	*r;
	struct stat	 sb;
	off_t		 end, tail;
	int		 fd, e;

	fd = open(path, O_RDWR | O_APPEND | O_CLOEXEC | O_NOFOLLOW);
	if (fd == -1) {
		seterr(errbuf, errlen, "%s: %s", path, errno);
		return NULL;
	}
	if (fstat(fd, &sb) == -1) {
		e = errno;
		goto fail;
	}
	if (!S_ISREG(sb.st_mode)) {
		e = EINVAL;
		goto fail;
	}
	if ((r = rollout_alloc(fd, path)) == NULL) {
		e = errno;
		goto fail;
	}
	if (scan_lines(fd, &end, &r->ordinal, &tail) == -1) {
		e = errno;
		free(r);
		goto fail;
	}
	r->size = end;
	if (tail > 0 && repair_tail(r, end, tail) == -1) {
		e = errno;
		free(r);
		goto fail;
	}
	return r;
fail:
	seterr(errbuf, errlen, "%s: %s", path, e);
	(void)close(fd);
	errno = e;
	return NULL;
}

static char *
format_line(struct rollout *r, const char *type, json_t *payload,
    size_t *lenp)
{
	json_t	*line;
	char	 ts[32], *s, *t;
	size_t	 len;

	if (rollout_timestamp(NULL, ts, sizeof(ts)) == -1)
		return NULL;
	line = json_pack("{s:s, s:I, s:s, s:O}", "timestamp", ts, "ordinal",
	    (json_int_t)r->ordinal, "type", type, "payload", payload);
	if (line == NULL) {
		errno = EINVAL;
		return NULL;
	}
	s = json_dumps(line, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(line);
	if (s == NULL) {
		errno = EINVAL;
		return NULL;
	}
	len = strlen(s);
	if ((t = realloc(s, len + 2)) == NULL) {
		free(s);
		return NULL;
	}
	t[len] = '\n';
	t[len + 1] = '\0';
	*lenp = len + 1;
	return t;
}

/*
 * Append one line.  It goes out in a single write(2); if the kernel
 * takes only part of it (disk full, file size limit) the part is cut off
 * again and the caller gets the error, so the file never holds a half
 * line that a later append would glue onto.
 */
int
rollout_write(struct rollout *r, const char *type, json_t *payload)
{
	char	*line;
	size_t	 len;
	ssize_t	 n;
	int	 e;

	if (payload == NULL) {
		errno = EINVAL;
		return -1;
	}
	/*
	 * After one line is lost, the rest are refused too: a later line
	 * written past the gap (a tool's output without its call, say)
	 * would make a history no model accepts, while a file that stops
	 * at the loss looks like a crash at that point, which resume
	 * handles.
	 */
	if (r->lost > 0) {
		r->lost++;
		errno = EIO;
		return -1;
	}
	if ((line = format_line(r, type, payload, &len)) == NULL)
		return -1;
	do {
		n = write(r->fd, line, len);
	} while (n == -1 && errno == EINTR);
	freezero(line, len);
	if (n >= 0 && (size_t)n == len) {
		r->size += n;
		r->ordinal++;
		r->dirty = 1;
		return 0;
	}
	e = n == -1 ? errno : ENOSPC;
	if (n > 0 && ftruncate(r->fd, r->size) == -1)
		e = errno;
	r->lost++;
	errno = e;
	return -1;
}

void
rollout_set_syncpolicy(struct rollout *r, enum rollout_syncpolicy p)
{
	r->policy = p;
}

static int
sync_dir(const char *path)
{
	char	 dir[PATH_MAX], *slash;
	int	 fd, rv;

	if (strlcpy(dir, path, sizeof(dir)) >= sizeof(dir)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if ((slash = strrchr(dir, '/')) == NULL)
		return 0;
	*slash = '\0';
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return -1;
	rv = fsync(fd);
	(void)close(fd);
	return rv;
}

/*
 * fsync(2) as the policy asks for this point.  The first sync of a new
 * file also syncs its directory, or the file itself could vanish.
 */
int
rollout_sync(struct rollout *r, enum rollout_syncpoint point)
{
	if (r->policy == ROLLOUT_SYNC_NEVER)
		return 0;
	if (r->policy == ROLLOUT_SYNC_EXIT && point != ROLLOUT_AT_EXIT)
		return 0;
	if (!r->dirty && !r->dirsync)
		return 0;
	if (fsync(r->fd) == -1)
		return -1;
	r->nsyncs++;
	r->dirty = 0;
	if (r->dirsync) {
		if (sync_dir(r->path) == -1)
			return -1;
		r->dirsync = 0;
	}
	return 0;
}

int
rollout_close(struct rollout *r)
{
	int	 rv = 0, e = 0;

	if (r == NULL)
		return 0;
	if (rollout_sync(r, ROLLOUT_AT_EXIT) == -1) {
		e = errno;
		rv = -1;
	}
	if (close(r->fd) == -1 && rv == 0) {
		e = errno;
		rv = -1;
	}
	free(r);
	if (rv == -1)
		errno = e;
	return rv;
}

const char *
rollout_path(const struct rollout *r)
{
	return r->path;
}

uint64_t
rollout_nsyncs(const struct rollout *r)
{
	return r->nsyncs;
}

size_t
rollout_repaired(const struct rollout *r)
{
	return r->repaired;
}

/* How many lines rollout_write could not write (a full disk, say). */
size_t
rollout_lost(const struct rollout *r)
{
	return r->lost;
}

/*
 * Payload builders.  Key names and shapes follow what Codex persists, so
 * either program can resume the other's sessions; optional fields that
 * are unknown are left out rather than written as null.
 */

static int
set_str(json_t *o, const char *key, const char *val)
{
	if (val == NULL)
		return 0;
	return json_object_set_new(o, key, json_string(val));
}

json_t *
rollout_session_meta(const struct rollout_meta *m)
{
	json_t	*o, *bi;
	char	 ts[32];
	int	 rv = 0;

	if (m->timestamp == NULL &&
	    rollout_timestamp(NULL, ts, sizeof(ts)) == -1)
		return NULL;
	if ((o = json_object()) == NULL)
		return NULL;
	rv |= set_str(o, "id", m->id);
	rv |= set_str(o, "timestamp", m->timestamp != NULL ? m->timestamp : ts);
	rv |= set_str(o, "cwd", m->cwd);
	rv |= set_str(o, "originator", m->originator);
	rv |= set_str(o, "cli_version", m->cli_version);
	rv |= set_str(o, "source", m->source);
	rv |= set_str(o, "model_provider", m->model_provider);
	if (m->base_instructions != NULL) {
		bi = json_pack("{s:s}", "text", m->base_instructions);
		rv |= json_object_set_new(o, "base_instructions", bi);
	}
	if (m->git != NULL)
		rv |= json_object_set_new(o, "git", gitinfo_json(m->git));
	if (rv != 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/*
 * SandboxPolicy as Codex serialises it: {"type":"read-only"},
 * {"type":"danger-full-access"} or {"type":"workspace-write",
 * "writable_roots":[...], "network_access", "exclude_tmpdir_env_var",
 * "exclude_slash_tmp"}, with writable_roots left out when empty.
 */
json_t *
rollout_sandbox_policy(const char *mode, const char *const *roots,
    size_t nroots, int network, int excl_tmpdir, int excl_slash_tmp)
{
	json_t	*o, *a;
	size_t	 i;

	if (strcmp(mode, "workspace-write") != 0)
		return json_pack("{s:s}", "type", mode);
	if ((o = json_pack("{s:s}", "type", mode)) == NULL)
		return NULL;
	if (nroots > 0) {
		if ((a = json_array()) == NULL ||
		    json_object_set_new(o, "writable_roots", a) == -1)
			goto fail;
		for (i = 0; i < nroots; i++)
			if (json_array_append_new(a,
			    json_string(roots[i])) == -1)
				goto fail;
	}
	if (json_object_set_new(o, "network_access",
	    json_boolean(network)) == -1 ||
	    json_object_set_new(o, "exclude_tmpdir_env_var",
	    json_boolean(excl_tmpdir)) == -1 ||
	    json_object_set_new(o, "exclude_slash_tmp",
	    json_boolean(excl_slash_tmp)) == -1)
		goto fail;
	return o;
fail:
	json_decref(o);
	return NULL;
}

json_t *
rollout_turn_context(const struct rollout_turn *t)
{
	json_t	*o;
	int	 rv = 0;

	if ((o = json_object()) == NULL)
		return NULL;
	rv |= set_str(o, "turn_id", t->turn_id);
	rv |= set_str(o, "cwd", t->cwd);
	rv |= set_str(o, "approval_policy", t->approval_policy);
	if (t->sandbox_policy != NULL)
		rv |= json_object_set(o, "sandbox_policy", t->sandbox_policy);
	rv |= set_str(o, "model", t->model);
	rv |= set_str(o, "effort", t->effort);
	rv |= set_str(o, "summary", t->summary);
	if (rv != 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

json_t *
rollout_ev_user_message(const char *message)
{
	return json_pack("{s:s, s:s, s:[]}", "type", "user_message",
	    "message", message, "images");
}

json_t *
rollout_ev_agent_message(const char *message)
{
	return json_pack("{s:s, s:s}", "type", "agent_message", "message",
	    message);
}

json_t *
rollout_ev_agent_reasoning(const char *text)
{
	return json_pack("{s:s, s:s}", "type", "agent_reasoning", "text",
	    text);
}

static json_t *
usage_json(const struct rollout_usage *u)
{
	return json_pack("{s:I, s:I, s:I, s:I, s:I}",
	    "input_tokens", (json_int_t)u->input_tokens,
	    "cached_input_tokens", (json_int_t)u->cached_input_tokens,
	    "output_tokens", (json_int_t)u->output_tokens,
	    "reasoning_output_tokens", (json_int_t)u->reasoning_output_tokens,
	    "total_tokens", (json_int_t)u->total_tokens);
}

/* token_count: info is the running total and the last request's usage. */
json_t *
rollout_ev_token_count(const struct rollout_usage *total,
    const struct rollout_usage *last, int64_t window)
{
	json_t	*info;

	info = json_pack("{s:o, s:o}", "total_token_usage", usage_json(total),
	    "last_token_usage", usage_json(last));
	if (info == NULL)
		return NULL;
	if (window > 0 && json_object_set_new(info, "model_context_window",
	    json_integer(window)) == -1) {
		json_decref(info);
		return NULL;
	}
	return json_pack("{s:s, s:o, s:n}", "type", "token_count", "info",
	    info, "rate_limits");
}

json_t *
rollout_ev_task_started(const char *turn_id, int64_t window)
{
	json_t	*o;

	if ((o = json_pack("{s:s}", "type", "task_started")) == NULL)
		return NULL;
	if (set_str(o, "turn_id", turn_id) == -1 || (window > 0 &&
	    json_object_set_new(o, "model_context_window",
	    json_integer(window)) == -1)) {
		json_decref(o);
		return NULL;
	}
	return o;
}

json_t *
rollout_ev_task_complete(const char *turn_id, const char *last_message)
{
	json_t	*o;

	if ((o = json_pack("{s:s}", "type", "task_complete")) == NULL)
		return NULL;
	if (set_str(o, "turn_id", turn_id) == -1 ||
	    json_object_set_new(o, "last_agent_message", last_message != NULL ?
	    json_string(last_message) : json_null()) == -1) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* reason is "interrupted", "replaced" or "review_ended". */
json_t *
rollout_ev_turn_aborted(const char *turn_id, const char *reason)
{
	json_t	*o;

	if ((o = json_pack("{s:s}", "type", "turn_aborted")) == NULL)
		return NULL;
	if (set_str(o, "turn_id", turn_id) == -1 ||
	    set_str(o, "reason", reason) == -1) {
		json_decref(o);
		return NULL;
	}
	return o;
}

json_t *
rollout_ev_context_compacted(void)
{
	return json_pack("{s:s}", "type", "context_compacted");
}

/* compacted: the summary and the history that replaces all before it. */
json_t *
rollout_compacted(const char *message, json_t *replacement)
{
	if (replacement == NULL)
		return json_pack("{s:s}", "message", message);
	return json_pack("{s:s, s:O}", "message", message,
	    "replacement_history", replacement);
}
