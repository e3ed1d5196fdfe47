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
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <event.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "agent/agent.h"
#include "agent/context.h"
#include "agent/model.h"
#include "agent/sandboxcmd.h"
#include "imsg/log.h"
#include "imsg/proc.h"
#include "sandbox/probe.h"
#include "sandbox/sandbox.h"

#ifndef BINDIR
#define BINDIR		"/usr/local/bin"
#endif
#ifndef LIBEXECDIR
#define LIBEXECDIR	"/usr/local/libexec/ocodex"
#endif

/*
 * What the parent may still do once its helpers run: read its
 * configuration and the project, write under $CODEX_HOME, pass
 * descriptors.  No network, no programs, not even fork.
 */
#define PARENT_PROMISES	"stdio rpath wpath cpath fattr flock sendfd recvfd"

/* The built-in providers' ports, until the configuration names others. */
static const char *const provider_ports[] = { "443", "11434", NULL };

struct options	 opts;
struct child	 children[PROC_MAX] = {
	[PROC_PARENT] = { PROC_PARENT, "ocodex", -1, 0, 0, 0, { 0 } },
	[PROC_NETPROC] = { PROC_NETPROC, "ocodex-netproc", -1, 0, 0, 0,
	    { 0 } },
	[PROC_EXECPROC] = { PROC_EXECPROC, "ocodex-execproc", -1, 0, 0, 0,
	    { 0 } },
	[PROC_UI] = { PROC_UI, "ocodex-ui", -1, 0, 0, 0, { 0 } },
};

static void	 helper_dir(char *, size_t);
static void	 child_start(struct child *, char **);
static void	 child_argv(struct child *, char **, size_t);
static void	 child_ready(struct peer *);
static void	 child_gone(struct peer *, const char *);
static void	 child_reap(int, short, void *);
static void	 child_report(struct child *);
static void	 parent_signal(int, short, void *);
static int	 reap_helpers(void);
static void	 restore_tty(void);

static int		 devnull = -1;
static char		**execproc_args;
static char		**ui_args;
static char		**netproc_ports;
static int		 shutting_down;
static struct termios	 tty_orig;	/* the terminal before ui took it */
static int		 tty_fd = -1;
static void		(*on_ready)(void);
static struct event	 ev_sigchld, ev_sigint, ev_sigterm, ev_sighup;

/*
 * The helpers live next to the running executable in the build tree, and
 * in LIBEXECDIR once installed.  Neither PATH nor the environment plays a
 * part: whoever controls those must not choose our helpers.
 */
static void
helper_dir(char *dir, size_t len)
{
	char	 self[PATH_MAX], bindir[PATH_MAX], *slash;
	ssize_t	 n;

	if ((n = readlink("/proc/self/exe", self, sizeof(self) - 1)) == -1)
		fatal("readlink /proc/self/exe");
	self[n] = '\0';
	if ((slash = strrchr(self, '/')) == NULL)
		fatalx("cannot tell where %s lives", self);
	*slash = '\0';
	if (realpath(BINDIR, bindir) != NULL && strcmp(bindir, self) == 0) {
		if (strlcpy(dir, LIBEXECDIR, len) >= len)
			fatalx("LIBEXECDIR too long");
	} else if (strlcpy(dir, self, len) >= len)
		fatalx("directory of the executable too long");
}

/* Open the helper executables once, before anything else happens. */
void
privsep_open(void)
{
	char		 dir[PATH_MAX], path[PATH_MAX];
	struct stat	 sb;
	int		 i, n;

	helper_dir(dir, sizeof(dir));
	for (i = PROC_NETPROC; i < PROC_MAX; i++) {
		n = snprintf(path, sizeof(path), "%s/%s", dir,
		    children[i].exe);
		if (n < 0 || (size_t)n >= sizeof(path))
			fatalx("path of %s too long", children[i].exe);
		if ((children[i].exefd = open(path, O_RDONLY | O_CLOEXEC)) ==
		    -1)
			fatal("cannot open helper %s", path);
		if (fstat(children[i].exefd, &sb) == -1)
			fatal("%s", path);
		if (!S_ISREG(sb.st_mode) || (sb.st_mode & 0111) == 0)
			fatalx("helper %s is not an executable file", path);
	}
	if ((devnull = open("/dev/null", O_RDWR | O_CLOEXEC)) == -1)
		fatal("/dev/null");
}

/*
 * Start the three helpers, each by fork and fexecve with its channel on
 * PROC_CHANNEL_FD, and call ready once every helper has said hello.
 */
void
privsep_start(void (*ready)(void))
{
	privsep_start_roles((1U << PROC_NETPROC) | (1U << PROC_EXECPROC) |
	    (1U << PROC_UI), ready);
}

/*
 * netproc's ports (-p), from the provider table; without them it gets
 * the built-in providers' ports.
 */
void
privsep_netproc_ports(char **ports)
{
	netproc_ports = ports;
}

/*
 * The widest sandbox policy of the session, as execproc's arguments;
 * without it execproc gets workspace-write on the cwd and /tmp.
 */
void
privsep_execproc_args(char **args)
{
	execproc_args = args;
}

/*
 * Extra arguments of ui: the interactive front end passes the terminal's
 * type, whose description ui loads before it confines itself.
 */
void
privsep_ui_args(char **args)
{
	ui_args = args;
}

/*
 * Start only the helpers whose role bits are in mask (`ocodex debug
 * landlock` needs execproc alone); ready is called once each of them
 * has said hello.
 */
void
privsep_start_roles(unsigned int mask, void (*ready)(void))
{
	char	*argv[32 + 2 * EXECPROC_ARGS_MAX];
	int	 i;

	on_ready = ready;
	for (i = PROC_NETPROC; i < PROC_MAX; i++) {
		if (!(mask & (1U << i)))
			continue;
		child_argv(&children[i], argv, sizeof(argv) / sizeof(argv[0]));
		child_start(&children[i], argv);
	}
	/* The executables are needed no more; keep nothing we need not. */
	for (i = PROC_NETPROC; i < PROC_MAX; i++) {
		(void)close(children[i].exefd);
		children[i].exefd = -1;
	}
	(void)close(devnull);
	devnull = -1;
	signal_set(&ev_sigchld, SIGCHLD, child_reap, NULL);
	signal_set(&ev_sigint, SIGINT, parent_signal, NULL);
	signal_set(&ev_sigterm, SIGTERM, parent_signal, NULL);
	signal_set(&ev_sighup, SIGHUP, parent_signal, NULL);
	if (signal_add(&ev_sigchld, NULL) == -1 ||
	    signal_add(&ev_sigint, NULL) == -1 ||
	    signal_add(&ev_sigterm, NULL) == -1 ||
	    signal_add(&ev_sighup, NULL) == -1)
		fatal("signal_add");
	(void)signal(SIGPIPE, SIG_IGN);
}

static void
child_argv(struct child *c, char **argv, size_t max)
{
	const char *const	*p;
	char			**a;
	size_t			 n = 0;

	argv[n++] = (char *)c->exe;
	if (opts.debug)
		argv[n++] = "-d";
	if (opts.noconfine)
		argv[n++] = "-n";
	if (opts.probe)
		argv[n++] = "-P";
	if (opts.verbose)
		argv[n++] = "-v";
	if (c->role == PROC_NETPROC)
		for (p = netproc_ports != NULL ?
		    (const char *const *)netproc_ports : provider_ports;
		    *p != NULL && n + 3 < max; p++) {
			argv[n++] = "-p";
			argv[n++] = (char *)*p;
		}
	if (c->role == PROC_UI && ui_args != NULL)
		for (a = ui_args; *a != NULL && n + 2 < max; a++)
			argv[n++] = *a;
	if (c->role == PROC_EXECPROC && execproc_args != NULL)
		for (a = execproc_args; *a != NULL && n + 2 < max; a++)
			argv[n++] = *a;
	else if (c->role == PROC_EXECPROC) {
		argv[n++] = "-s";
		argv[n++] = "workspace-write";
		argv[n++] = "-C";
		argv[n++] = opts.cwd;
		argv[n++] = "-w";
		argv[n++] = opts.cwd;
		argv[n++] = "-w";
		argv[n++] = "/tmp";
	}
	argv[n] = NULL;
}

/*
 * In the child: the channel goes to PROC_CHANNEL_FD, /dev/null to 0, 1
 * and 2, the executable to the descriptor after the channel (close on
 * exec), and every other descriptor is closed.  The child dies with the
 * parent (PR_SET_PDEATHSIG), ignores the terminal's SIGINT, which is the
 * parent's to handle, and starts with an empty environment: secrets and
 * settings reach a helper only over its channel.
 */
static void
child_start(struct child *c, char **argv)
{
	char *const	 envp[] = { NULL };
	sigset_t	 mask;
	pid_t		 ppid = getpid();
	int		 sp[2], xfd;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0, sp) == -1)
		fatal("socketpair");
	switch ((c->pid = fork())) {
	case -1:
		fatal("fork");
	case 0:
		break;
	default:
		(void)close(sp[1]);
		if (peer_init(&c->peer, sp[0], c->role, 1, NULL, c) == -1)
			fatal("peer_init");
		c->peer.ready = child_ready;
		c->peer.gone = child_gone;
		peer_hello(&c->peer);
		return;
	}
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1 || getppid() != ppid)
		_exit(1);
	(void)signal(SIGINT, SIG_IGN);
	(void)sigemptyset(&mask);
	(void)sigprocmask(SIG_SETMASK, &mask, NULL);
	if ((xfd = fcntl(c->exefd, F_DUPFD_CLOEXEC, PROC_CHANNEL_FD + 1)) ==
	    -1 || dup2(sp[1], PROC_CHANNEL_FD) == -1 ||
	    (xfd != PROC_CHANNEL_FD + 1 &&
	    dup3(xfd, PROC_CHANNEL_FD + 1, O_CLOEXEC) == -1) ||
	    dup2(devnull, STDIN_FILENO) == -1 ||
	    dup2(devnull, STDOUT_FILENO) == -1 ||
	    dup2(devnull, STDERR_FILENO) == -1)
		_exit(1);
	closefrom(PROC_CHANNEL_FD + 2);
	(void)fexecve(PROC_CHANNEL_FD + 1, argv, envp);
	_exit(127);
}

static void
child_ready(struct peer *p)
{
	int	i;

	log_debug("%s: pid %d, landlock ABI %u, %s", p->name, (int)p->pid,
	    p->hello.landlock_abi, p->hello.confined ? "confined" :
	    "NOT confined");
	for (i = PROC_NETPROC; i < PROC_MAX; i++)
		if (children[i].pid > 0 &&
		    !(children[i].peer.flags & PEER_HELLO))
			return;
	if (on_ready != NULL)
		on_ready();
}

/*
 * Confine the parent once its helpers run (see PARENT_PROMISES).  It
 * reads the project and its configuration, and writes only under
 * $CODEX_HOME.
 */
void
privsep_confine(void)
{
	static const char *const ro[] = { "/etc/localtime",
	    "/usr/share/zoneinfo", NULL };
	const char *const	*p;
	const char		*promises;
	int			 flags = 0;

	if (opts.noconfine)
		flags |= SANDBOX_DISABLED;
	if (opts.debug)
		flags |= SANDBOX_DEBUG;
	context_prime();
	if (sandbox_init(flags, NULL) == -1)
		fatal("sandbox_init");
	if (sandbox_drop_caps() == -1)
		fatal("dropping capabilities");
	if (unveil(opts.codex_home, "rwc") == -1)
		fatal("unveil %s", opts.codex_home);
	if (unveil(opts.cwd, "r") == -1)
		fatal("unveil %s", opts.cwd);
	for (p = ro; *p != NULL; p++)
		if (unveil(*p, "r") == -1 && errno != ENOENT)
			fatal("unveil %s", *p);
	/* "tty" is only for putting back a terminal that ui left raw. */
	promises = tty_fd != -1 ? PARENT_PROMISES " tty" : PARENT_PROMISES;
	probe_setpromises(promises);
	if (opts.probe)
		promises = tty_fd != -1 ? PARENT_PROMISES " tty proc" :
		    PARENT_PROMISES " proc";
	if (pledge(promises, NULL) == -1)
		fatal("pledge");
}

/*
 * Remember the modes of the terminal on FD before ui puts it in raw
 * mode.  A ui that dies of a signal (SIGKILL above all) cannot restore
 * them itself, and the user's shell would be left without echo or line
 * editing; the parent does it for it on the way out.
 */
void
privsep_save_tty(int fd)
{
	if (isatty(fd) && tcgetattr(fd, &tty_orig) == 0)
		tty_fd = fd;
}

/* Put the terminal back unless ui exited normally and did so itself. */
static void
restore_tty(void)
{
	struct child	*ui = &children[PROC_UI];

	if (tty_fd == -1 || ui->pid <= 0)
		return;
	if (ui->reaped && WIFEXITED(ui->status))
		return;
	(void)tcsetattr(tty_fd, TCSANOW, &tty_orig);
}

/* Describe how a helper ended, for the message that names it. */
static void
child_report(struct child *c)
{
	int	st = c->status;

	if (WIFSIGNALED(st))
		log_warnx("%s (pid %d) was killed by signal %d (SIG%s)",
		    c->peer.name, (int)c->pid, WTERMSIG(st),
		    sigabbrev_np(WTERMSIG(st)) != NULL ?
		    sigabbrev_np(WTERMSIG(st)) : "?");
	else
		log_warnx("%s (pid %d) exited with status %d", c->peer.name,
		    (int)c->pid, WEXITSTATUS(st));
}

/* Reap every helper that ended; one that ends on its own is fatal. */
static void
child_reap(int sig, short event, void *arg)
{
	pid_t	 pid;
	int	 i, status;

	(void)sig;
	(void)event;
	(void)arg;
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (i = PROC_NETPROC; i < PROC_MAX; i++) {
			if (children[i].pid != pid)
				continue;
			children[i].reaped = 1;
			children[i].status = status;
			if (!shutting_down) {
				child_report(&children[i]);
				privsep_shutdown(1);
			}
		}
	}
}

/*
 * A helper closed its channel or sent something malformed.  Give it a
 * moment to exit so that the message can say how it ended.
 */
static void
child_gone(struct peer *p, const char *why)
{
	struct child		*c = p->arg;
	struct timespec		 ts = { 0, 1000000 };
	int			 i, status;

	if (shutting_down)
		return;
	/*
	 * A channel broken by the helper's own messages (a malformed
	 * frame) is what to report; its exit, once we hang up, is not.
	 */
	if (why != NULL) {
		log_warnx("%s (pid %d): %s", p->name, (int)c->pid, why);
		privsep_shutdown(1);
	}
	for (i = 0; i < 500; i++) {
		if (waitpid(c->pid, &status, WNOHANG) == c->pid) {
			c->reaped = 1;
			c->status = status;
			child_report(c);
			privsep_shutdown(1);
		}
		(void)nanosleep(&ts, NULL);
	}
	log_warnx("%s (pid %d) closed its channel", p->name, (int)c->pid);
	privsep_shutdown(1);
}

static void
parent_signal(int sig, short event, void *arg)
{
	(void)event;
	(void)arg;
	log_debug("caught signal %d, stopping", sig);
	privsep_shutdown(128 + sig);
}

/* Reap the helpers that ended; returns how many are left. */
static int
reap_helpers(void)
{
	int	 i, left = 0, status;

	for (i = PROC_NETPROC; i < PROC_MAX; i++) {
		if (children[i].pid <= 0 || children[i].reaped)
			continue;
		if (waitpid(children[i].pid, &status, WNOHANG) ==
		    children[i].pid) {
			children[i].reaped = 1;
			children[i].status = status;
		} else
			left++;
	}
	return left;
}

/*
 * Stop the tree: close every channel, which each helper takes as the
 * order to exit, and wait up to two seconds for them.  SIGCHLD is
 * blocked before the channels close and then waited for, so that the
 * wait ends the moment the last helper does.  A helper that lingers dies
 * with us anyway through its parent-death signal.
 */
void
privsep_shutdown(int code)
{
	struct timespec	 deadline, now, left;
	sigset_t	 chld;
	int		 i;

	shutting_down = 1;
	if (sigemptyset(&chld) == -1 || sigaddset(&chld, SIGCHLD) == -1 ||
	    sigprocmask(SIG_BLOCK, &chld, NULL) == -1 ||
	    clock_gettime(CLOCK_MONOTONIC, &deadline) == -1)
		exit(code);
	deadline.tv_sec += 2;
	/* What is queued (ui's last events above all) goes out first. */
	for (i = PROC_NETPROC; i < PROC_MAX; i++)
		if (children[i].pid > 0 && !children[i].reaped)
			peer_flush(&children[i].peer);
	for (i = PROC_NETPROC; i < PROC_MAX; i++)
		if (children[i].pid > 0)
			peer_close(&children[i].peer);
	while (reap_helpers() > 0) {
		if (clock_gettime(CLOCK_MONOTONIC, &now) == -1 ||
		    timespeccmp(&now, &deadline, >=))
			break;
		timespecsub(&deadline, &now, &left);
		if (sigtimedwait(&chld, NULL, &left) == -1 &&
		    errno != EAGAIN && errno != EINTR)
			break;
	}
	restore_tty();
	exit(code);
}
