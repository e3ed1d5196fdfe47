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
 * hostile: a compromised helper.  Installed in place of ocodex-netproc
 * (the process that parses every byte from the network, so the likeliest
 * to fall) or ocodex-execproc (the one beside the model's commands), it
 * says a correct hello for that role and then does what the file
 * "hostile.mode" beside its executable names, to show that the parent
 * stops the tree with a clear error and prints nothing that could take
 * over the terminal:
 *
 *	type		a message type the parent does not take from netproc
 *	hello		a second hello
 *	role		a hello that claims to be ui
 *	frame		bytes that are no imsg frame at all
 *	chunk		a big-message chunk with a bad flag byte
 *	json		an event that is not JSON
 *	big		an event past BIG_MAX (64 MiB), chunk by chunk
 *	escape		log records full of terminal escape sequences
 *	length		(execproc) a command's end of the wrong length
 *	output		(execproc) output on a stream that does not exist
 *
 * Then it waits for the parent to hang up.
 */

#include <sys/types.h>

#include <err.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "imsg/imsg.h"
#include "imsg/proto.h"

static struct imsgbuf	ib;
static int		myrole = PROC_NETPROC;

static void
send_msg(uint32_t type, uint32_t id, const void *data, size_t len)
{
	if (imsg_compose(&ib, type, id, 0, -1, data, len) == -1 ||
	    imsgbuf_flush(&ib) == -1)
		err(1, "imsg_compose type %u", type);
}

static void
hello(int role)
{
	struct msg_hello	h;

	memset(&h, 0, sizeof(h));
	h.version = OCODEX_PROTOCOL_VERSION;
	h.role = role;
	h.pid = getpid();
	h.confined = 1;
	send_msg(IMSG_HELLO, 0, &h, sizeof(h));
}

/* One chunk of a big message: the flag byte, then the data. */
static void
chunk(uint32_t type, char flag, const char *data, size_t len)
{
	static char	 buf[BIG_CHUNK + 1];

	if (len > BIG_CHUNK)
		errx(1, "chunk too long");
	buf[0] = flag;
	memcpy(buf + 1, data, len);
	send_msg(type, 1, buf, len + 1);
}

static void
logrec(const char *text)
{
	char		 buf[sizeof(struct msg_log) + LOG_MSG_MAX];
	struct msg_log	 ml;
	size_t		 n = strlen(text) + 1;

	ml.level = LOG_WARNING;
	memcpy(buf, &ml, sizeof(ml));
	memcpy(buf + sizeof(ml), text, n);
	send_msg(IMSG_LOG, 0, buf, sizeof(ml) + n);
}

/* Chunk after chunk of one event, past BIG_MAX. */
static void
flood(void)
{
	static char	 data[BIG_CHUNK];
	size_t		 sent;

	memset(data, 'a', sizeof(data));
	for (sent = 0; sent <= (size_t)BIG_MAX; sent += sizeof(data))
		chunk(IMSG_NET_EVENT, BIG_MORE, data, sizeof(data));
}

static void
attack(const char *mode)
{
	static const char	 junk[] = "\xff\xff\xff\xff\x01\x00\x00\x00"
	    "not an imsg frame";

	struct msg_exec_output	 mo;
	char			 out[sizeof(mo) + 2];

	hello(strcmp(mode, "role") == 0 ? PROC_UI : myrole);
	if (strcmp(mode, "type") == 0)
		send_msg(IMSG_UI_EVENT, 0, "x", 1);
	else if (strcmp(mode, "hello") == 0)
		hello(PROC_NETPROC);
	else if (strcmp(mode, "frame") == 0) {
		if (write(ib.fd, junk, sizeof(junk)) != sizeof(junk))
			err(1, "write");
	} else if (strcmp(mode, "chunk") == 0)
		chunk(IMSG_NET_EVENT, '?', "{}", 2);
	else if (strcmp(mode, "json") == 0)
		chunk(IMSG_NET_EVENT, BIG_LAST, "{\"type\":", 8);
	else if (strcmp(mode, "big") == 0)
		flood();
	else if (strcmp(mode, "escape") == 0) {
		logrec("title\033]0;pwned\007 clear\033[2J\033[H");
		logrec("spoof\rocodex: all is well\x9b" "31m\b\b");
		send_msg(IMSG_UI_EVENT, 0, "x", 1);
	} else if (strcmp(mode, "length") == 0)
		send_msg(IMSG_EXEC_END, 1, "x", 1);
	else if (strcmp(mode, "output") == 0) {
		memset(&mo, 0, sizeof(mo));
		mo.stream = 7;
		memcpy(out, &mo, sizeof(mo));
		memcpy(out + sizeof(mo), "hi", 2);
		send_msg(IMSG_EXEC_OUTPUT, 1, out, sizeof(out));
	} else if (strcmp(mode, "role") != 0)
		errx(1, "unknown mode %s", mode);
}

/* The mode: the first line of hostile.mode beside the executable. */
static void
read_mode(char *mode, size_t len)
{
	char	 path[PATH_MAX], *slash;
	FILE	*fp;
	ssize_t	 n;

	if ((n = readlink("/proc/self/exe", path, sizeof(path) - 1)) == -1)
		err(1, "readlink");
	path[n] = '\0';
	if ((slash = strrchr(path, '/')) != NULL &&
	    strcmp(slash + 1, "ocodex-execproc") == 0)
		myrole = PROC_EXECPROC;
	if (slash == NULL ||
	    strlcpy(slash + 1, "hostile.mode", sizeof(path) - (slash + 1 -
	    path)) >= sizeof(path) - (slash + 1 - path))
		errx(1, "path too long");
	if ((fp = fopen(path, "r")) == NULL)
		err(1, "%s", path);
	if (fgets(mode, len, fp) == NULL)
		errx(1, "%s: empty", path);
	(void)fclose(fp);
	mode[strcspn(mode, "\n")] = '\0';
}

int
main(void)
{
	struct pollfd	 pfd = { 3, POLLIN, 0 };
	struct imsg	 imsg;
	char		 mode[64];

	read_mode(mode, sizeof(mode));
	if (imsgbuf_init(&ib, 3) == -1)
		err(1, "imsgbuf_init");
	attack(mode);
	/* Wait for the parent to hang up, reading what it sends. */
	while (poll(&pfd, 1, 10000) > 0 && imsgbuf_read(&ib) > 0)
		while (imsgbuf_get(&ib, &imsg) == 1)
			imsg_free(&imsg);
	return 0;
}
