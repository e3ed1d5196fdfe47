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

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>
#define LIBBSD_OPENBSD_VIS
#include <vis.h>

#include "imsg/log.h"
#include "imsg/proto.h"

static int		 verbose;
static const char	*procname = "ocodex";
static log_sink_fn	 sink;

/*
 * Start logging.  verbosity 0 shows warnings and info, 1 adds debug.
 */
void
log_init(int level, const char *name)
{
	verbose = level;
	if (name != NULL)
		procname = name;
}

void
log_procinit(const char *name)
{
	if (name != NULL)
		procname = name;
}

/* A helper sends its records to the parent through this function. */
void
log_setsink(log_sink_fn fn)
{
	sink = fn;
}

void
log_setverbose(int level)
{
	verbose = level;
}

int
log_getverbose(void)
{
	return verbose;
}

/*
 * Write one record to standard error, prefixed with the process that
 * produced it.  The parent also calls this for records from its children.
 * The text is made visible with vis(3) first: a record may quote what a
 * server or a command said, and a helper may be compromised, so no
 * escape sequence, carriage return or other control character reaches
 * the user's terminal as it is.  Printable text in the locale's
 * character set (the parent sets LC_CTYPE from the environment) stays.
 */
void
log_stderr(const char *who, int pri, const char *msg)
{
	const char	*tag = "";
	char		 safe[4 * LOG_MSG_MAX + 1];

	if (pri == LOG_DEBUG && verbose < 1)
		return;
	if (pri == LOG_CRIT)
		tag = "fatal: ";
	(void)strnvis(safe, msg, sizeof(safe),
	    VIS_CSTYLE | VIS_TAB | VIS_NL | VIS_OCTAL);
	if (who == NULL || strcmp(who, "ocodex") == 0)
		(void)fprintf(stderr, "ocodex: %s%s\n", tag, safe);
	else
		(void)fprintf(stderr, "ocodex: %s: %s%s\n", who, tag, safe);
	(void)fflush(stderr);
}

void
vlog(int pri, const char *fmt, va_list ap)
{
	char	 msg[LOG_MSG_MAX];
	int	 saved_errno = errno;

	if (pri == LOG_DEBUG && verbose < 1)
		return;
	if (vsnprintf(msg, sizeof(msg), fmt, ap) < 0)
		(void)strlcpy(msg, "(unformattable log record)", sizeof(msg));
	if (sink != NULL)
		sink(pri, msg);
	else
		log_stderr(procname, pri, msg);
	errno = saved_errno;
}

void
logit(int pri, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vlog(pri, fmt, ap);
	va_end(ap);
}

/* Like warn(3): the message, then the text of errno. */
static void
vlog_errno(int pri, const char *fmt, va_list ap)
{
	char	 buf[LOG_MSG_MAX];
	int	 saved_errno = errno;

	if (fmt == NULL) {
		logit(pri, "%s", strerror(saved_errno));
		return;
	}
	if (vsnprintf(buf, sizeof(buf), fmt, ap) < 0)
		buf[0] = '\0';
	logit(pri, "%s: %s", buf, strerror(saved_errno));
	errno = saved_errno;
}

void
log_warn(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vlog_errno(LOG_ERR, fmt, ap);
	va_end(ap);
}

void
log_warnx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vlog(LOG_ERR, fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vlog(LOG_INFO, fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vlog(LOG_DEBUG, fmt, ap);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vlog_errno(LOG_CRIT, fmt, ap);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vlog(LOG_CRIT, fmt, ap);
	va_end(ap);
	exit(1);
}

/*
 * Report the system call that broke a pledge, from the SIGSYS handler.
 * Only async-signal-safe calls are allowed here, so the record is built by
 * hand.  A helper writes a whole IMSG_LOG frame to its channel in one
 * write(2); should the event loop have left half a frame in the socket,
 * the parent sees a malformed channel, which is what it would see anyway
 * once this process dies.  The parent writes to standard error.
 */
void
log_sigsys(const char *name)
{
	char		 frame[256];
	const char	*parts[] = { procname, ": ", "pledge violation: ",
			    name, NULL };
	struct msg_log	 ml = { LOG_CRIT };
	uint32_t	 hdr[4];
	size_t		 len = 0, n, off;
	int		 i;

	off = sizeof(hdr) + sizeof(ml);
	/* The parent names the process itself when the record comes in. */
	for (i = sink != NULL ? 2 : 0; parts[i] != NULL; i++) {
		n = strlen(parts[i]);
		if (off + len + n + 2 > sizeof(frame))
			break;
		memcpy(frame + off + len, parts[i], n);
		len += n;
	}
	if (sink == NULL) {
		frame[off + len] = '\n';
		if (write(STDERR_FILENO, frame + off, len + 1) == -1)
			return;
		return;
	}
	frame[off + len++] = '\0';
	hdr[0] = IMSG_LOG;
	hdr[1] = off + len;
	hdr[2] = OCODEX_PROTOCOL_VERSION;
	hdr[3] = getpid();
	memcpy(frame, hdr, sizeof(hdr));
	memcpy(frame + sizeof(hdr), &ml, sizeof(ml));
	if (write(PROC_CHANNEL_FD, frame, off + len) == -1)
		return;
}
