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
 * latency: how long a text delta takes from the model's socket to the
 * parent.  This program plays the model server on 127.0.0.1: it answers
 * one request from `ocodex debug model` with a Responses stream whose
 * deltas each carry the monotonic time they were written, paced 20 ms
 * apart, and reads the events the parent prints.  now - stamp is an
 * upper bound on what netproc adds: it also holds curl's read, the
 * channel to the parent, the parent's printing and the pipe to us.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <err.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define NDELTAS	100

static long long
now_ns(void)
{
	struct timespec	ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int
cmp(const void *a, const void *b)
{
	long long	x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

static void
sendall(int fd, const char *s)
{
	size_t	 len = strlen(s);
	ssize_t	 n;

	while (len > 0) {
		if ((n = write(fd, s, len)) == -1)
			err(1, "write");
		s += n;
		len -= n;
	}
}

/* Serve one request: read the headers and body, then stream. */
static void
serve(int lfd)
{
	char		 buf[65536], ev[512];
	int		 c, i;
	struct timespec	 pause = { 0, 20000000 };

	if ((c = accept(lfd, NULL, NULL)) == -1)
		err(1, "accept");
	if (read(c, buf, sizeof(buf)) <= 0)
		errx(1, "no request");
	sendall(c, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
	    "Connection: close\r\n\r\n"
	    "data: {\"type\":\"response.created\",\"response\":{\"id\":\"r\"}}"
	    "\n\n");
	for (i = 0; i < NDELTAS; i++) {
		(void)nanosleep(&pause, NULL);
		(void)snprintf(ev, sizeof(ev), "data: {\"type\":\"response."
		    "output_text.delta\",\"item_id\":\"m\",\"output_index\":0,"
		    "\"content_index\":0,\"delta\":\"T%lld;\"}\n\n", now_ns());
		sendall(c, ev);
	}
	sendall(c, "data: {\"type\":\"response.output_item.done\",\"item\":"
	    "{\"type\":\"message\",\"id\":\"m\",\"role\":\"assistant\","
	    "\"content\":[{\"type\":\"output_text\",\"text\":\"x\"}]}}\n\n"
	    "data: {\"type\":\"response.completed\",\"response\":{\"id\":\"r\","
	    "\"usage\":{\"input_tokens\":1,\"output_tokens\":1,"
	    "\"total_tokens\":2}}}\n\n");
	(void)close(c);
}

int
main(int argc, char *argv[])
{
	struct sockaddr_in	 sin;
	socklen_t		 len = sizeof(sin);
	long long		 lat[NDELTAS * 2], t;
	char			 prov[512], line[4096], *p;
	char			 home[] = "/tmp/ocodex-latency.XXXXXX";
	FILE			*fp;
	pid_t			 pid, spid;
	int			 lfd, pfd[2], n = 0, st;

	if (argc != 2)
		errx(2, "usage: latency request.json");
	if ((lfd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		err(1, "socket");
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(lfd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    listen(lfd, 4) == -1 ||
	    getsockname(lfd, (struct sockaddr *)&sin, &len) == -1)
		err(1, "listen");
	(void)snprintf(prov, sizeof(prov), "model_providers.lat={name=\"lat\","
	    "base_url=\"http://127.0.0.1:%d/v1\",env_key=\"LAT_KEY\"}",
	    ntohs(sin.sin_port));
	/* A private CODEX_HOME: the benchmark must not touch the user's. */
	if (mkdtemp(home) == NULL || setenv("HOME", home, 1) == -1 ||
	    setenv("CODEX_HOME", home, 1) == -1)
		err(1, "%s", home);
	if (pipe(pfd) == -1 || setenv("LAT_KEY", "sk-latency", 1) == -1)
		err(1, "pipe");
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		(void)dup2(pfd[1], 1);
		(void)close(pfd[0]);
		execl("./ocodex", "ocodex", "debug", "model", "-c", prov, "-p",
		    "lat", "-m", "m", argv[1], (char *)NULL);
		_exit(127);
	}
	(void)close(pfd[1]);
	/* The server streams from a child while we read the parent's lines. */
	if ((spid = fork()) == -1)
		err(1, "fork");
	if (spid == 0) {
		serve(lfd);
		_exit(0);
	}
	(void)close(lfd);
	if ((fp = fdopen(pfd[0], "r")) == NULL)
		err(1, "fdopen");
	while (fgets(line, sizeof(line), fp) != NULL) {
		t = now_ns();
		for (p = line; (p = strchr(p, 'T')) != NULL; p++)
			if (p[1] >= '0' && p[1] <= '9' && n < NDELTAS * 2)
				lat[n++] = t - strtoll(p + 1, NULL, 10);
	}
	(void)waitpid(pid, &st, 0);
	(void)waitpid(spid, &st, 0);
	if (n == 0)
		errx(1, "no delta came back");
	if (fork() == 0) {
		execlp("rm", "rm", "-rf", home, (char *)NULL);
		_exit(127);
	}
	(void)wait(&st);
	qsort(lat, n, sizeof(lat[0]), cmp);
	(void)printf("delta latency, model socket to parent (upper bound, "
	    "%d deltas): median %.3f ms, p90 %.3f ms, max %.3f ms "
	    "(target < 1 ms)\n", n, lat[n / 2] / 1e6, lat[n * 9 / 10] / 1e6,
	    lat[n - 1] / 1e6);
	return 0;
}
