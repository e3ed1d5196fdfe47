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
#include <sys/ioctl.h>

#include <errno.h>
#include <event.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <editline/readline.h>
#include <jansson.h>

#include "imsg/log.h"
#include "imsg/proto.h"
#include "ui/ui.h"
#include "ui/tui-int.h"

#define PROMPT		"> "
#define PROMPT_CONT	". "
#define PROMPT_PICK	"resume which? (number, Enter cancels) "
#define HISTORY_MAX	1000

static void	 tin_read(int, short, void *);
static void	 tin_signal(int, short, void *);
static int	 tin_getc(FILE *);
static int	 next_byte(void);
static void	 tin_line(char *);
static void	 idle_key_done(void);
static void	 approval_key(unsigned char);
static void	 busy_mode(void);
static void	 slash(const char *);
static void	 send_turn(const char *);
static void	 get_width(void);
static const char *prompt_now(void);
static void	 picked(const char *);

static int		 infd = -1, outfd = -1;
static FILE		*fin, *fout;
static struct termios	 orig, base;
static int		 have_orig, restored;
static int		 state = TS_IDLE;
static int		 installed;	/* the libedit handler is in */
static int		 want_busy;	/* a turn was sent from the handler */
static int		 want_quit;
static int		 ctrlc_seen;	/* ^C while editing */
static int		 typed;		/* keys since the prompt appeared */
static int		 ctrlc_empty;
static int		 ctrlc_armed;	/* one more at an empty prompt quits */
static char		*cont;		/* lines continued with a backslash */
static char		*asking;	/* call id of the approval shown */
static size_t		 picking;	/* /resume offered this many */
static int		 width = 80;
static unsigned char	 ibuf[512];
static size_t		 ioff, ilen;
static struct event	 ev_in, ev_term, ev_hup, ev_winch;

/*
 * Take the terminal: the descriptors the parent passed, libedit on them
 * (its terminal description was loaded before ui was confined), and a
 * base mode without signal characters, so that Ctrl-C reaches ui as a key
 * and never as SIGINT to the whole process group.
 */
void
tin_start(void)
{
	infd = ui_passed_fd(UI_FD_STDIN);
	outfd = ui_passed_fd(UI_FD_STDOUT);
	if (infd == -1 || outfd == -1 || !isatty(infd) || !isatty(outfd))
		fatalx("the interactive mode needs a terminal");
	if (tcgetattr(infd, &orig) == -1)
		fatal("tcgetattr");
	have_orig = 1;
	if (atexit(tin_restore) != 0)
		fatalx("atexit");
	base = orig;
	base.c_lflag &= ~ISIG;
	base.c_cc[VINTR] = _POSIX_VDISABLE;
	base.c_cc[VQUIT] = _POSIX_VDISABLE;
	base.c_cc[VSUSP] = _POSIX_VDISABLE;
	if (tcsetattr(infd, TCSANOW, &base) == -1)
		fatal("tcsetattr");
	if ((fin = fdopen(infd, "r")) == NULL ||
	    (fout = fdopen(outfd, "w")) == NULL)
		fatal("fdopen");
	rl_instream = fin;
	rl_outstream = fout;
	rl_getc_function = tin_getc;
	rl_catch_signals = 0;
	rl_catch_sigwinch = 0;
	rl_readline_name = "ocodex";
	if (rl_initialize() != 0)
		fatalx("libedit cannot start");
	using_history();
	stifle_history(HISTORY_MAX);
	(void)rl_parse_and_bind("setty -d -isig");
	get_width();
	event_set(&ev_in, infd, EV_READ | EV_PERSIST, tin_read, NULL);
	signal_set(&ev_term, SIGTERM, tin_signal, NULL);
	signal_set(&ev_hup, SIGHUP, tin_signal, NULL);
	signal_set(&ev_winch, SIGWINCH, tin_signal, NULL);
	if (event_add(&ev_in, NULL) == -1 || signal_add(&ev_term, NULL) ==
	    -1 || signal_add(&ev_hup, NULL) == -1 ||
	    signal_add(&ev_winch, NULL) == -1)
		fatal("event_add");
	state = TS_BUSY;
}

/* The terminal as it was; on every way out, and harmless twice. */
void
tin_restore(void)
{
	if (!have_orig || restored)
		return;
	restored = 1;
	if (installed) {
		rl_callback_handler_remove();
		installed = 0;
	}
	if (fout != NULL)
		(void)fflush(fout);
	(void)tcsetattr(infd, TCSANOW, &orig);
}

static void
tin_signal(int sig, short event, void *arg)
{
	(void)event;
	(void)arg;
	if (sig == SIGWINCH) {
		get_width();
		if (installed)
			rl_resize_terminal();
		return;
	}
	tin_restore();
	exit(128 + sig);
}

static void
get_width(void)
{
	struct winsize	 ws;

	if (ioctl(outfd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		width = ws.ws_col;
}

int
tin_width(void)
{
	return width;
}

int
tin_state(void)
{
	return state;
}

/* Write to the terminal now, after what libedit has buffered. */
void
tin_out(const char *s, size_t len)
{
	struct pollfd	 pfd;
	ssize_t		 w;

	if (outfd == -1 || restored)
		return;
	if (fout != NULL)
		(void)fflush(fout);
	while (len > 0) {
		if ((w = write(outfd, s, len)) == -1) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN)
				return;
			pfd.fd = outfd;
			pfd.events = POLLOUT;
			(void)poll(&pfd, 1, 1000);
			continue;
		}
		s += w;
		len -= w;
	}
}

void
tin_printf(const char *fmt, ...)
{
	va_list	 ap;
	char	*s;
	int	 n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n == -1)
		fatal("vasprintf");
	tin_out(s, n);
	free(s);
}

/* The parent's prompt history, oldest first. */
void
tin_history(json_t *entries)
{
	json_t	*e;
	size_t	 i;

	json_array_foreach(entries, i, e)
		if (json_is_string(e))
			(void)add_history(json_string_value(e));
}

/*
 * Keys arrive here.  While a prompt is edited libedit reads them one
 * character at a time through tin_getc(); while a turn runs or an
 * approval is asked ui reads them itself.
 */
static void
tin_read(int fd, short event, void *arg)
{
	ssize_t	 n;
	size_t	 before;

	(void)event;
	(void)arg;
	if ((n = read(fd, ibuf, sizeof(ibuf))) == -1 && (errno == EINTR ||
	    errno == EAGAIN))
		return;
	if (n <= 0) {
		/* The terminal hung up: nobody is left to ask. */
		tin_quit();
		return;
	}
	ioff = 0;
	ilen = n;
	while (ioff < ilen && !restored) {
		switch (state) {
		case TS_IDLE:
			if (ibuf[ioff] == 3) {
				ioff++;
				ctrlc_seen = 1;
				ctrlc_empty = !typed && cont == NULL;
				idle_key_done();
				break;
			}
			typed = 1;
			before = ioff;
			rl_callback_read_char();
			if (ioff == before)
				ioff++;
			idle_key_done();
			break;
		case TS_BUSY:
			if (ibuf[ioff++] == 3) {
				tin_printf("%s^C interrupting%s\n", sgr(UC_RED),
				    sgr(UC_RESET));
				ui_send_op(UIOP_INTERRUPT, json_object());
			}
			break;
		case TS_APPROVAL:
			approval_key(ibuf[ioff++]);
			break;
		}
	}
}

/* After libedit took a key: act on what its handler asked for. */
static void
idle_key_done(void)
{
	if (want_quit) {
		tin_quit();
		return;
	}
	if (want_busy) {
		want_busy = 0;
		busy_mode();
		return;
	}
	if (!ctrlc_seen) {
		ctrlc_armed = 0;
		return;
	}
	ctrlc_seen = 0;
	if (ctrlc_empty && ctrlc_armed) {
		tin_printf("\n");
		tin_quit();
		return;
	}
	/* A fresh, empty line: the handler's reinstallation clears it. */
	rl_callback_handler_remove();
	free(cont);
	cont = NULL;
	if (ctrlc_empty) {
		ctrlc_armed = 1;
		tin_printf("\n%s(press Ctrl-C again to quit)%s\n", sgr(UC_DIM),
		    sgr(UC_RESET));
	} else
		tin_printf("^C\n");
	picking = 0;
	rl_callback_handler_install(PROMPT, tin_line);
	typed = 0;
}

/* One character for libedit, as a code point decoded from UTF-8. */
static int
tin_getc(FILE *fp)
{
	int		 b, c, need, cp;

	(void)fp;
	if ((b = next_byte()) == -1)
		return -1;
	if (b < 0x80)
		return b;
	if ((b & 0xe0) == 0xc0) {
		need = 1;
		cp = b & 0x1f;
	} else if ((b & 0xf0) == 0xe0) {
		need = 2;
		cp = b & 0x0f;
	} else if ((b & 0xf8) == 0xf0) {
		need = 3;
		cp = b & 0x07;
	} else
		return 0xfffd;
	while (need-- > 0) {
		if ((c = next_byte()) == -1 || (c & 0xc0) != 0x80)
			return 0xfffd;
		cp = (cp << 6) | (c & 0x3f);
	}
	return cp;
}

/*
 * The next byte of input; the rest of a key sequence may still be on its
 * way, so this waits for it.
 */
static int
next_byte(void)
{
	struct pollfd	 pfd;
	ssize_t		 n;

	while (ioff >= ilen) {
		pfd.fd = infd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, -1) == -1 && errno != EINTR)
			return -1;
		if ((n = read(infd, ibuf, sizeof(ibuf))) == -1 &&
		    (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			return -1;
		ioff = 0;
		ilen = n;
	}
	return ibuf[ioff++];
}

/* A line is complete (NULL: Ctrl-D on an empty line). */
static void
tin_line(char *line)
{
	char	*full;
	size_t	 len;

	if (line == NULL) {
		want_quit = 1;
		return;
	}
	ctrlc_armed = 0;
	typed = 0;
	if (picking > 0) {
		picked(line);
		free(line);
		return;
	}
	len = strlen(line);
	if (asprintf(&full, "%s%s", cont != NULL ? cont : "", line) == -1)
		fatal(NULL);
	free(line);
	free(cont);
	cont = NULL;
	if (len > 0 && full[strlen(full) - 1] == '\\') {
		/* A backslash at the end continues the prompt. */
		full[strlen(full) - 1] = '\n';
		cont = full;
		(void)rl_set_prompt(PROMPT_CONT);
		return;
	}
	(void)rl_set_prompt(PROMPT);
	if (full[strspn(full, " \t\n")] == '\0') {
		free(full);
		return;
	}
	(void)add_history(full);
	if (full[0] == '/')
		slash(full);
	else
		send_turn(full);
	free(full);
}

static void
send_turn(const char *text)
{
	ui_send_op(UIOP_USER_TURN, json_pack("{s:s}", "text", text));
	want_busy = 1;
}

/* Leave libedit: keys are now read raw, without echo. */
static void
busy_mode(void)
{
	struct termios	 t;

	if (installed) {
		rl_callback_handler_remove();
		installed = 0;
		/* Wipe the prompt libedit drew again after the line. */
		tin_out("\r\033[K", 4);
	}
	t = base;
	t.c_lflag &= ~(ICANON | ECHO | IEXTEN);
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	if (tcsetattr(infd, TCSANOW, &t) == -1)
		fatal("tcsetattr");
	state = TS_BUSY;
}

void
tin_busy(void)
{
	if (state == TS_IDLE)
		busy_mode();
}

/* The turn is over: show where we are and edit the next prompt. */
void
tin_idle(void)
{
	if (restored || state == TS_IDLE)
		return;
	if (tcsetattr(infd, TCSANOW, &base) == -1)
		fatal("tcsetattr");
	state = TS_IDLE;
	ctrlc_armed = 0;
	tui_status_line();
	rl_callback_handler_install(prompt_now(), tin_line);
	installed = 1;
	typed = 0;
}

/*
 * Ask for a decision.  Whatever was typed before the question appeared
 * is thrown away, in the kernel's buffer and in ours, so that no key
 * pressed in advance can approve anything.
 */
void
tin_approval(const char *call_id)
{
	struct termios	 t;

	if (state == TS_IDLE)
		busy_mode();
	/* TCSAFLUSH, as pledge's "tty" allows TCSETSF but not TCFLSH. */
	if (tcgetattr(infd, &t) == -1 || tcsetattr(infd, TCSAFLUSH, &t) == -1)
		fatal("flushing typed-ahead input");
	ioff = ilen = 0;
	free(asking);
	if ((asking = strdup(call_id)) == NULL)
		fatal(NULL);
	state = TS_APPROVAL;
	tin_printf("  %s[y]%s yes  %s[a]%s yes, and don't ask again for this "
	    "command  %s[n]%s no  %s[Esc]%s abort the turn ",
	    sgr(UC_BOLD), sgr(UC_RESET), sgr(UC_BOLD), sgr(UC_RESET),
	    sgr(UC_BOLD), sgr(UC_RESET), sgr(UC_BOLD), sgr(UC_RESET));
}

static void
approval_key(unsigned char c)
{
	const char	*decision, *shown;

	switch (c) {
	case 'y':
	case 'Y':
		decision = "approved";
		shown = "approved";
		break;
	case 'a':
	case 'A':
		decision = "approved_for_session";
		shown = "approved for this session";
		break;
	case 'n':
	case 'N':
		decision = "denied";
		shown = "denied";
		break;
	case 0x1b:
		/* An arrow or function key, not Esc alone: ignore it. */
		if (ioff < ilen && (ibuf[ioff] == '[' || ibuf[ioff] == 'O')) {
			ioff = ilen;
			return;
		}
		/* FALLTHROUGH */
	case 3:
		decision = "abort";
		shown = "aborted";
		break;
	default:
		return;
	}
	tin_printf("%s%s%s\n", sgr(strcmp(decision, "approved") == 0 ||
	    strcmp(decision, "approved_for_session") == 0 ? UC_GREEN : UC_RED),
	    shown, sgr(UC_RESET));
	state = TS_BUSY;
	ui_send_op(UIOP_APPROVAL, json_pack("{s:s, s:s}", "call_id", asking,
	    "decision", decision));
	free(asking);
	asking = NULL;
}

/* Draw the prompt and the line again, below what was just written. */
void
tin_redisplay(void)
{
	if (!installed)
		return;
	rl_callback_handler_remove();
	rl_callback_handler_install(prompt_now(), tin_line);
	typed = 0;
}

/* The prompt for the line being edited. */
static const char *
prompt_now(void)
{
	if (picking > 0)
		return PROMPT_PICK;
	return cont != NULL ? PROMPT_CONT : PROMPT;
}

/*
 * /resume listed n sessions: the next line is the number of one.  The
 * parent holds the list, so only the number goes back.
 */
void
tin_pick(size_t n)
{
	picking = n;
	if (installed)
		(void)rl_set_prompt(PROMPT_PICK);
}

static void
picked(const char *line)
{
	const char	*errstr;
	long long	 i;

	i = strtonum(line + strspn(line, " "), 1, picking, &errstr);
	picking = 0;
	(void)rl_set_prompt(PROMPT);
	if (errstr != NULL) {
		tin_printf("%snot resuming%s\n", sgr(UC_DIM), sgr(UC_RESET));
		return;
	}
	ui_send_op(UIOP_RESUME, json_pack("{s:I}", "index", (json_int_t)i));
}

/* Leave: the parent stops the tree, and ui exits on the channel's end. */
void
tin_quit(void)
{
	static int	 sent;

	want_quit = 0;
	if (ev_in.ev_base != NULL)
		(void)event_del(&ev_in);
	tin_restore();
	if (!sent)
		ui_send_op(UIOP_SHUTDOWN, json_object());
	sent = 1;
}

/* Slash commands: the name, then at most one argument. */
static void
slash(const char *line)
{
	char	 name[32], arg[256];
	int	 n;

	arg[0] = '\0';
	n = sscanf(line, "/%31s %255s", name, arg);
	if (n < 1) {
		tui_note("error", "a slash command needs a name; try /help");
		return;
	}
	if (strcmp(name, "help") == 0)
		tui_help();
	else if (strcmp(name, "quit") == 0 || strcmp(name, "exit") == 0)
		want_quit = 1;
	else if (strcmp(name, "status") == 0)
		ui_send_op(UIOP_STATUS, json_object());
	else if (strcmp(name, "new") == 0)
		ui_send_op(UIOP_NEW, json_object());
	else if (strcmp(name, "diff") == 0)
		ui_send_op(UIOP_DIFF, json_object());
	else if (strcmp(name, "model") == 0 && n == 2)
		ui_send_op(UIOP_MODEL, json_pack("{s:s}", "model", arg));
	else if (strcmp(name, "approvals") == 0 && n == 2)
		ui_send_op(UIOP_APPROVALS, json_pack("{s:s}", "approval",
		    arg));
	else if (strcmp(name, "model") == 0 || strcmp(name, "approvals") == 0)
		tui_note("error", strcmp(name, "model") == 0 ?
		    "usage: /model NAME" : "usage: /approvals "
		    "untrusted|on-failure|on-request|never");
	else if (strcmp(name, "compact") == 0)
		ui_send_op(UIOP_COMPACT, json_object());
	else if (strcmp(name, "resume") == 0)
		ui_send_op(UIOP_SESSIONS, json_object());
	else
		tui_note("error", "unknown command; /help lists them");
}
