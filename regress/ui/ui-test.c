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
 * ui-test: drive the real ocodex-ui as the parent would.  Each run forks
 * the helper with a socketpair on fd 3, says hello as PROC_PARENT, passes
 * pipes as its standard output and error (IMSG_UI_FD), sets the mode and
 * sends a script of session events, chunked as peer_compose_big() does,
 * then closes the channel and collects everything the helper printed
 * until it exits.  Usage: ui-test [path to ocodex-ui] [sample.jsonl]
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "imsg/imsg.h"
#include "imsg/proto.h"

#define R_HOLDOUT	0x01	/* read stdout only once all is sent */
#define R_NONBLOCK	0x02	/* pass non-blocking pipes */
#define R_DIRFD		0x04	/* pass a directory as standard output */
#define R_STRAYFD	0x08	/* attach a descriptor to IMSG_UI_MODE */

struct ev {
	enum ui_event	 kind;
	const char	*json;
};

struct run {
	char		*out;
	size_t		 outlen;
	char		*err;
	size_t		 errlen;
	int		 status;
	int		 nops;		/* IMSG_UI_OP received */
	int		 want_ops;	/* hang up only after this many */
	int		 stray_closed;	/* the stray descriptor was closed */
	int		 timed_out;
};

static int	 ntest;
static char	*helper = "./ocodex-ui";
static char	*sample = "regress/ui/sample-exec.jsonl";

static int
ok(int cond, const char *what)
{
	ntest++;
	(void)printf("%sok %d - %s\n", cond ? "" : "not ", ntest, what);
	return cond;
}

static void
append(char **buf, size_t *len, const char *data, size_t n)
{
	char	*nb;

	if ((nb = realloc(*buf, *len + n + 1)) == NULL)
		err(1, NULL);
	memcpy(nb + *len, data, n);
	*len += n;
	nb[*len] = '\0';
	*buf = nb;
}

/* A payload of any length in chunks, as peer_compose_big() sends it. */
static void
compose_big(struct imsgbuf *ib, uint32_t type, uint32_t id, const char *d,
    size_t len)
{
	struct ibuf	*b;
	size_t		 n;
	unsigned char	 flag;

	do {
		n = len > BIG_CHUNK ? BIG_CHUNK : len;
		flag = n == len ? BIG_LAST : BIG_MORE;
		if ((b = imsg_create(ib, type, id, 0, 1 + n)) == NULL ||
		    imsg_add(b, &flag, 1) == -1 || imsg_add(b, d, n) == -1)
			err(1, "imsg_create");
		imsg_close(ib, b);
		d += n;
		len -= n;
	} while (flag == BIG_MORE);
}

static pid_t
start(int *chan)
{
	char	*argv[] = { helper, NULL };
	pid_t	 pid;
	int	 sp[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sp) == -1)
		err(1, "socketpair");
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		if (dup2(sp[1], 3) == -1)
			_exit(126);
		closefrom(4);
		execv(helper, argv);
		_exit(127);
	}
	(void)close(sp[1]);
	*chan = sp[0];
	return pid;
}

/* Queue hello, descriptors and mode; returns the stray pipe's read end. */
static int
setup(struct imsgbuf *ib, const struct msg_ui_mode *m, int flags, int *po,
    int *pe)
{
	struct msg_hello	 h;
	int			 p[2], stray[2] = { -1, -1 }, fd;

	memset(&h, 0, sizeof(h));
	h.version = OCODEX_PROTOCOL_VERSION;
	h.role = PROC_PARENT;
	h.pid = getpid();
	if (imsg_compose(ib, IMSG_HELLO, 0, 0, -1, &h, sizeof(h)) == -1)
		err(1, "hello");
	if (pipe2(p, flags & R_NONBLOCK ? O_NONBLOCK : 0) == -1)
		err(1, "pipe");
	*po = p[0];
	fd = p[1];
	if (flags & R_DIRFD) {
		(void)close(fd);
		if ((fd = open("/", O_RDONLY | O_DIRECTORY)) == -1)
			err(1, "/");
	}
	if (imsg_compose(ib, IMSG_UI_FD, UI_FD_STDOUT, 0, fd, NULL, 0) == -1)
		err(1, "fd");
	if (pipe2(p, flags & R_NONBLOCK ? O_NONBLOCK : 0) == -1)
		err(1, "pipe");
	*pe = p[0];
	if (imsg_compose(ib, IMSG_UI_FD, UI_FD_STDERR, 0, p[1], NULL, 0) == -1)
		err(1, "fd");
	if ((flags & R_STRAYFD) && pipe(stray) == -1)
		err(1, "pipe");
	if (imsg_compose(ib, IMSG_UI_MODE, 0, 0, stray[1], m, sizeof(*m)) == -1)
		err(1, "mode");
	return stray[0];
}

/* Messages from ui: its hello, log records, operations. */
static void
from_ui(struct imsgbuf *ib, struct run *r)
{
	struct imsg	 imsg;
	char		 buf[LOG_MSG_MAX + 16];
	size_t		 len;

	while (imsgbuf_get(ib, &imsg) == 1) {
		len = imsg_get_len(&imsg);
		if (imsg_get_type(&imsg) == IMSG_UI_OP)
			r->nops++;
		if (imsg_get_type(&imsg) == IMSG_LOG && len > 4 &&
		    len <= sizeof(buf) && imsg_get_data(&imsg, buf, len) == 0) {
			buf[len - 1] = '\0';
			(void)printf("# ui: %s\n", buf + 4);
		}
		imsg_free(&imsg);
	}
}

static int
drain_pipe(int *fd, char **buf, size_t *len)
{
	char	 b[65536];
	ssize_t	 n;

	n = read(*fd, b, sizeof(b));
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (n <= 0) {
		(void)close(*fd);
		*fd = -1;
		return 0;
	}
	append(buf, len, b, n);
	return 1;
}

/*
 * Serve the channel and the two pipes until the pipes are closed and the
 * channel too, at most ten seconds.
 */
static void
loop(struct imsgbuf *ib, int po, int pe, int stray, int flags, struct run *r)
{
	struct pollfd	 pfd[4];
	time_t		 deadline = time(NULL) + 10;
	int		 chan = ib->fd, sent = 0;

	while (po != -1 || pe != -1 || chan != -1) {
		if (time(NULL) > deadline) {
			r->timed_out = 1;
			break;
		}
		if (chan != -1 && imsgbuf_queuelen(ib) == 0 && !sent &&
		    r->nops >= r->want_ops) {
			/*
			 * All sent and answered: hang up, as the parent does
			 * at the end of a session.
			 */
			(void)shutdown(chan, SHUT_WR);
			sent = 1;
		}
		pfd[0].fd = chan;
		pfd[0].events = POLLIN | (imsgbuf_queuelen(ib) ? POLLOUT : 0);
		pfd[1].fd = (flags & R_HOLDOUT) && !sent ? -1 : po;
		pfd[1].events = POLLIN;
		pfd[2].fd = pe;
		pfd[2].events = POLLIN;
		pfd[3].fd = stray;
		pfd[3].events = POLLIN;
		if (poll(pfd, 4, 200) == -1 && errno != EINTR)
			err(1, "poll");
		if (pfd[0].revents & POLLOUT && imsgbuf_write(ib) == -1)
			err(1, "channel write");
		if (pfd[0].revents & (POLLIN | POLLHUP)) {
			if (imsgbuf_read(ib) <= 0) {
				(void)close(chan);
				chan = -1;
				ib->fd = -1;
			} else
				from_ui(ib, r);
		}
		if (pfd[1].revents && drain_pipe(&po, &r->out, &r->outlen) &&
		    stray != -1) {
			/* ui wrote, so it has handled the mode message. */
			r->stray_closed = (pfd[3].revents & POLLHUP) != 0;
			(void)close(stray);
			stray = -1;
		}
		if (pfd[2].revents)
			(void)drain_pipe(&pe, &r->err, &r->errlen);
	}
	if (stray != -1)
		(void)close(stray);
	if (po != -1)
		(void)close(po);
	if (pe != -1)
		(void)close(pe);
}

static void
run_ui(const struct msg_ui_mode *m, const struct ev *evs, size_t nev,
    const char *big, int flags, struct run *r)
{
	struct imsgbuf	 ib;
	pid_t		 pid;
	size_t		 i;
	int		 chan, po, pe, stray, want_ops = 0;

	for (i = 0; i < nev; i++)
		if (evs[i].kind == UIEV_APPROVAL_REQUEST)
			want_ops++;
	memset(r, 0, sizeof(*r));
	r->want_ops = want_ops;
	append(&r->out, &r->outlen, "", 0);
	append(&r->err, &r->errlen, "", 0);
	pid = start(&chan);
	if (imsgbuf_init(&ib, chan) == -1)
		err(1, "imsgbuf_init");
	imsgbuf_allow_fdpass(&ib);
	stray = setup(&ib, m, flags, &po, &pe);
	for (i = 0; i < nev; i++)
		compose_big(&ib, IMSG_UI_EVENT, evs[i].kind,
		    evs[i].json != NULL ? evs[i].json : big,
		    strlen(evs[i].json != NULL ? evs[i].json : big));
	loop(&ib, po, pe, stray, flags, r);
	if (r->timed_out)
		(void)kill(pid, SIGKILL);
	if (waitpid(pid, &r->status, 0) == -1)
		err(1, "waitpid");
	imsgbuf_clear(&ib);
	if (ib.fd != -1)
		(void)close(ib.fd);
}

static void
run_free(struct run *r)
{
	free(r->out);
	free(r->err);
}

static int
exited0(struct run *r)
{
	return !r->timed_out && WIFEXITED(r->status) &&
	    WEXITSTATUS(r->status) == 0;
}

/* The session of sample-exec.jsonl (Codex 0.171), as parent events. */
static const struct ev sample_evs[] = {
	{ UIEV_SESSION_CONFIGURED, "{\"thread_id\":"
	    "\"01a21e9f-36ee-7af1-9da9-c89eb41b3d10\",\"model\":\"gpt-test\","
	    "\"provider\":\"mock\",\"cwd\":\"/tmp/demo/repo-e2e-json\","
	    "\"sandbox\":\"workspace-write\",\"approval\":\"never\","
	    "\"reasoning_effort\":\"medium\",\"version\":\"0.1.0\"}" },
	{ UIEV_TASK_STARTED, "{\"turn_id\":\"t1\",\"prompt\":\"list and "
	    "create hello.txt\"}" },
	{ UIEV_REASONING_DELTA, "{\"delta\":\"Listing\"}" },
	{ UIEV_EXEC_BEGIN, "{\"call_id\":\"c1\",\"command\":\"/bin/bash -lc "
	    "'ls -a'\",\"argv\":[\"/bin/bash\",\"-lc\",\"ls -a\"],"
	    "\"cwd\":\"/tmp/demo/repo-e2e-json\"}" },
	{ UIEV_EXEC_OUTPUT, "{\"call_id\":\"c1\",\"stream\":\"stdout\","
	    "\"chunk\":\".\\n..\\n\"}" },
	{ UIEV_EXEC_END, "{\"call_id\":\"c1\",\"command\":\"/bin/bash -lc "
	    "'ls -a'\",\"exit_code\":0,\"duration_ms\":12,"
	    "\"aggregated_output\":\".\\n..\\n.agents\\n.aws\\n.codex\\n"
	    ".git\\n\",\"timed_out\":false,\"declined\":false}" },
	{ UIEV_PATCH_BEGIN, "{\"call_id\":\"c2\",\"changes\":[{\"path\":"
	    "\"/tmp/demo/repo-e2e-json/hello.txt\",\"kind\":\"add\"}]}" },
	{ UIEV_PATCH_END, "{\"call_id\":\"c2\",\"changes\":[{\"path\":"
	    "\"/tmp/demo/repo-e2e-json/hello.txt\",\"kind\":\"add\"}],"
	    "\"success\":true,\"output\":\"Success.\"}" },
	{ UIEV_AGENT_MESSAGE_DELTA, "{\"delta\":\"Done\"}" },
	{ UIEV_AGENT_MESSAGE, "{\"text\":\"Done: listed the repo and created "
	    "hello.txt.\"}" },
	{ UIEV_TOKEN_COUNT, "{\"usage\":{\"input_tokens\":300,"
	    "\"cached_input_tokens\":0,\"output_tokens\":60,"
	    "\"reasoning_output_tokens\":0,\"total_tokens\":360}}" },
	{ UIEV_TASK_COMPLETE, "{\"last_agent_message\":\"Done: listed the "
	    "repo and created hello.txt.\",\"usage\":{\"input_tokens\":300,"
	    "\"cached_input_tokens\":0,\"output_tokens\":60,"
	    "\"reasoning_output_tokens\":0,\"total_tokens\":360}}" },
};

/* A failing turn with reasoning, a plan, warnings and retries. */
static const struct ev fail_evs[] = {
	{ UIEV_SESSION_CONFIGURED, "{\"thread_id\":\"th\"}" },
	{ UIEV_TASK_STARTED, "{\"turn_id\":\"t1\",\"prompt\":\"p\"}" },
	{ UIEV_REASONING, "{\"text\":\"  \\n\"}" },
	{ UIEV_REASONING,
	    "{\"text\":\"Thinking \\u001b]0;pwned\\u0007hard\"}" },
	{ UIEV_PLAN_UPDATE, "{\"explanation\":\"why\",\"plan\":[{\"step\":"
	    "\"one\",\"status\":\"in_progress\"},{\"step\":\"two\","
	    "\"status\":\"pending\"}]}" },
	{ UIEV_PLAN_UPDATE, "{\"plan\":[{\"step\":\"one\",\"status\":"
	    "\"completed\"},{\"step\":\"two\",\"status\":\"in_progress\"}]}" },
	{ UIEV_WARNING, "{\"message\":\"careful\"}" },
	{ UIEV_RETRYING, "{\"attempt\":2,\"max\":5,\"delay_ms\":200,"
	    "\"reason\":\"timeout\"}" },
	{ UIEV_APPROVAL_REQUEST, "{\"call_id\":\"c9\",\"kind\":\"exec\","
	    "\"command\":\"rm -rf /\",\"cwd\":\"/\",\"reason\":\"r\"}" },
	{ UIEV_ERROR, "{\"message\":\"boom\"}" },
	{ UIEV_TURN_FAILED, "{\"message\":\"boom\"}" },
};

static const char fail_json[] =
    "{\"type\":\"thread.started\",\"thread_id\":\"th\"}\n"
    "{\"type\":\"turn.started\"}\n"
    "{\"type\":\"item.completed\",\"item\":{\"id\":\"item_0\",\"type\":"
    "\"reasoning\",\"text\":\"Thinking \\u001b]0;pwned\\u0007hard\"}}\n"
    "{\"type\":\"item.started\",\"item\":{\"id\":\"item_1\",\"type\":"
    "\"todo_list\",\"items\":[{\"text\":\"one\",\"completed\":false},"
    "{\"text\":\"two\",\"completed\":false}]}}\n"
    "{\"type\":\"item.updated\",\"item\":{\"id\":\"item_1\",\"type\":"
    "\"todo_list\",\"items\":[{\"text\":\"one\",\"completed\":true},"
    "{\"text\":\"two\",\"completed\":false}]}}\n"
    "{\"type\":\"item.completed\",\"item\":{\"id\":\"item_2\",\"type\":"
    "\"error\",\"message\":\"careful\"}}\n"
    "{\"type\":\"error\",\"message\":\"Reconnecting... 2/5 (timeout)\"}\n"
    "{\"type\":\"item.completed\",\"item\":{\"id\":\"item_3\",\"type\":"
    "\"error\",\"message\":\"approval requested for rm -rf /; denied, "
    "since exec does not ask\"}}\n"
    "{\"type\":\"error\",\"message\":\"boom\"}\n"
    "{\"type\":\"item.completed\",\"item\":{\"id\":\"item_1\",\"type\":"
    "\"todo_list\",\"items\":[{\"text\":\"one\",\"completed\":true},"
    "{\"text\":\"two\",\"completed\":false}]}}\n"
    "{\"type\":\"turn.failed\",\"error\":{\"message\":\"boom\"}}\n";

/* Hostile text in every untrusted field human mode shows. */
static const struct ev hostile_evs[] = {
	{ UIEV_SESSION_CONFIGURED, "{\"thread_id\":\"th\",\"model\":"
	    "\"m\\u001b[2J\",\"cwd\":\"/w\"}" },
	{ UIEV_TASK_STARTED, "{\"prompt\":\"hi\"}" },
	{ UIEV_AGENT_MESSAGE, "{\"text\":\"Looking \\u001b]52;c;"
	    "cm0gLXJmIH4=\\u0007around.\"}" },
	{ UIEV_EXEC_BEGIN, "{\"call_id\":\"c1\",\"command\":\"echo "
	    "\\u009b2J\",\"cwd\":\"/w\"}" },
	{ UIEV_EXEC_END, "{\"call_id\":\"c1\",\"command\":\"x\",\"exit_code\":"
	    "3,\"duration_ms\":1500,\"aggregated_output\":\"safe\\rEVIL\\n"
	    "\\u001b[1A\\u001b[2Kbell\\u0007\\n\"}" },
	{ UIEV_RETRYING, "{\"attempt\":2,\"max\":5,\"reason\":\"timeout\"}" },
	{ UIEV_AGENT_MESSAGE, "{\"text\":\"Final \\u001b[31manswer\"}" },
	{ UIEV_TASK_COMPLETE, "{\"last_agent_message\":\"Final "
	    "\\u001b[31manswer\",\"usage\":{\"input_tokens\":10,"
	    "\"output_tokens\":5,\"total_tokens\":15}}" },
};

static char *
slurp(const char *path)
{
	FILE	*f;
	char	*buf = NULL, b[4096];
	size_t	 len = 0, n;

	if ((f = fopen(path, "r")) == NULL)
		err(1, "%s", path);
	append(&buf, &len, "", 0);
	while ((n = fread(b, 1, sizeof(b), f)) > 0)
		append(&buf, &len, b, n);
	if (ferror(f))
		err(1, "%s", path);
	(void)fclose(f);
	return buf;
}

/* Every escape in s is one of our SGR colour sequences. */
static int
only_sgr(const char *s)
{
	while ((s = strchr(s, '\033')) != NULL) {
		if (s[1] != '[')
			return 0;
		s += 2;
		s += strspn(s, "0123456789;");
		if (*s != 'm')
			return 0;
	}
	return 1;
}

static void
test_json(void)
{
	struct msg_ui_mode	 m = { UI_MODE_EXEC_JSON, 0, 0 };
	struct run		 r;
	char			*want = slurp(sample);

	run_ui(&m, sample_evs, sizeof(sample_evs) / sizeof(sample_evs[0]),
	    NULL, 0, &r);
	ok(exited0(&r), "json: exits 0 after the channel closes");
	if (!ok(strcmp(r.out, want) == 0,
	    "json: the sample session prints sample-exec.jsonl exactly"))
		(void)printf("# got:\n%s", r.out);
	ok(r.errlen == 0, "json: nothing on stderr");
	run_free(&r);
	free(want);

	run_ui(&m, fail_evs, sizeof(fail_evs) / sizeof(fail_evs[0]), NULL,
	    0, &r);
	ok(exited0(&r), "json: failed turn, exit 0");
	if (!ok(strcmp(r.out, fail_json) == 0, "json: reasoning, todo_list, "
	    "warnings, retries, errors and turn.failed"))
		(void)printf("# got:\n%s", r.out);
	ok(r.nops == 1, "json: an approval request is answered (denied)");
	run_free(&r);
}

static void
test_human(void)
{
	struct msg_ui_mode	 m = { UI_MODE_EXEC, 0, 0 };
	struct run		 r;

	run_ui(&m, sample_evs, sizeof(sample_evs) / sizeof(sample_evs[0]),
	    NULL, 0, &r);
	ok(exited0(&r), "human: exits 0 after the channel closes");
	if (!ok(strcmp(r.out, "Done: listed the repo and created hello.txt.\n")
	    == 0, "human: only the final message on stdout"))
		(void)printf("# stdout: %s\n", r.out);
	ok(strstr(r.err, "model: gpt-test\n") != NULL &&
	    strstr(r.err, "workdir: /tmp/demo/repo-e2e-json\n") != NULL &&
	    strstr(r.err, "sandbox: workspace-write\n") != NULL &&
	    strstr(r.err, "approval: never\n") != NULL &&
	    strstr(r.err, "reasoning effort: medium\n") != NULL,
	    "human: the header block on stderr");
	ok(strstr(r.err, "list and create hello.txt") != NULL,
	    "human: the prompt on stderr");
	ok(strstr(r.err, "/bin/bash -lc 'ls -a' in /tmp/demo/repo-e2e-json")
	    != NULL && strstr(r.err, "succeeded in 12ms:\n") != NULL &&
	    strstr(r.err, ".aws\n.codex\n.git\n") != NULL,
	    "human: the command, its cwd, result and output");
	ok(strstr(r.err, "A /tmp/demo/repo-e2e-json/hello.txt\n") != NULL,
	    "human: the patch's files");
	ok(strstr(r.err, "tokens used: 360\n") != NULL,
	    "human: tokens used at the end");
	ok(strstr(r.err, "Done: listed") == NULL,
	    "human: the final message is not repeated on stderr");
	ok(strchr(r.err, '\033') == NULL, "human: no colour unless asked");
	if (getenv("UI_TEST_VERBOSE") != NULL)
		(void)printf("# stderr:\n%s", r.err);
	run_free(&r);
}

static void
test_hostile(void)
{
	struct msg_ui_mode	 m = { UI_MODE_EXEC, 0, 0 };
	struct run		 r;

	run_ui(&m, hostile_evs, sizeof(hostile_evs) / sizeof(hostile_evs[0]),
	    NULL, 0, &r);
	ok(exited0(&r), "hostile: exits 0");
	ok(strcmp(r.out, "Final answer\n") == 0,
	    "hostile: final message sanitised on stdout");
	ok(strchr(r.err, '\033') == NULL && strchr(r.err, '\r') == NULL &&
	    strchr(r.err, '\007') == NULL && strstr(r.err, "\xc2\x9b") == NULL,
	    "hostile: no control sequence on stderr");
	ok(strstr(r.err, "Looking around.\n") != NULL &&
	    strstr(r.err, "safeEVIL\nbell\n") != NULL,
	    "hostile: the text itself survives");
	ok(strstr(r.err, "exited 3 in 1.5s:\n") != NULL,
	    "human: exit code and duration");
	ok(strstr(r.err, "reconnecting 2/5: timeout\n") != NULL,
	    "human: retries shown");
	run_free(&r);

	m.color = 1;
	m.hide_reasoning = 1;
	run_ui(&m, fail_evs, sizeof(fail_evs) / sizeof(fail_evs[0]), NULL,
	    0, &r);
	ok(exited0(&r), "colour: exits 0");
	ok(strchr(r.err, '\033') != NULL && only_sgr(r.err),
	    "colour: only our SGR sequences reach the terminal");
	ok(strstr(r.err, "hard") == NULL, "hide_reasoning hides reasoning");
	ok(strstr(r.err, "[x]") != NULL && strstr(r.err, "[>]") != NULL &&
	    strstr(r.err, "two\n") != NULL, "human: the plan as a checklist");
	ok(strstr(r.err, "careful\n") != NULL && strstr(r.err, "boom\n") !=
	    NULL, "human: warnings and errors");
	ok(r.outlen == 0, "human: nothing on stdout without a final message");
	run_free(&r);
}

/*
 * Two 1 MiB command outputs while nobody reads standard output: ui must
 * keep reading its channel (else the sends stall), then flush it all.
 */
static void
test_big(int flags, const char *what)
{
	struct msg_ui_mode	 m = { UI_MODE_EXEC_JSON, 0, 0 };
	const struct ev		 evs[] = {
		{ UIEV_SESSION_CONFIGURED, "{\"thread_id\":\"big\"}" },
		{ UIEV_EXEC_END, NULL },
		{ UIEV_EXEC_END, NULL },
		{ UIEV_TASK_COMPLETE, "{\"last_agent_message\":null}" },
	};
	struct run		 r;
	json_t			*j, *item;
	char			*big, *line, *save, msg[128];
	const char		*head;
	size_t			 i, n = 0, good = 0, len = 0;

	big = NULL;
	head = "{\"call_id\":\"b\",\"command\":\"yes\",\"exit_code\":0,"
	    "\"aggregated_output\":\"";
	append(&big, &len, head, strlen(head));
	for (i = 0; i < 65536; i++)
		append(&big, &len, "0123456789abcde\\n", 17);
	append(&big, &len, "\"}", 2);
	run_ui(&m, evs, 4, big, flags, &r);
	(void)snprintf(msg, sizeof(msg), "big (%s): exits 0, not stuck", what);
	ok(exited0(&r), msg);
	for (line = strtok_r(r.out, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save), n++) {
		if ((j = json_loads(line, 0, NULL)) == NULL)
			continue;
		item = json_object_get(j, "item");
		if (json_string_length(json_object_get(item,
		    "aggregated_output")) == 1024 * 1024)
			good++;
		json_decref(j);
	}
	(void)snprintf(msg, sizeof(msg), "big (%s): both 1 MiB outputs whole",
	    what);
	ok(n == 4 && good == 2, msg);
	run_free(&r);
	free(big);
}

static void
test_fds(void)
{
	struct msg_ui_mode	 m = { UI_MODE_EXEC_JSON, 0, 0 };
	struct run		 r;

	run_ui(&m, sample_evs, 2, NULL, R_DIRFD, &r);
	ok(!r.timed_out && WIFEXITED(r.status) && WEXITSTATUS(r.status) != 0,
	    "a directory passed as stdout is refused");
	run_free(&r);
	run_ui(&m, sample_evs, 2, NULL, R_STRAYFD, &r);
	ok(exited0(&r) && r.stray_closed,
	    "a descriptor sent with another message is closed");
	run_free(&r);
}

int
main(int argc, char *argv[])
{
	if (argc > 1)
		helper = argv[1];
	if (argc > 2)
		sample = argv[2];
	if (access(helper, X_OK) == -1) {
		(void)printf("1..0 # skip %s not built\n", helper);
		return 0;
	}
	(void)signal(SIGPIPE, SIG_IGN);
	(void)printf("1..33\n");
	test_json();
	test_human();
	test_hostile();
	test_big(R_HOLDOUT, "blocking pipes");
	test_big(R_HOLDOUT | R_NONBLOCK, "non-blocking pipes");
	test_fds();
	return 0;
}
