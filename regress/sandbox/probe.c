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
 * One escape attempt per invocation, for the sandbox regress tests:
 * `probe NAME [ARG ...]` exits 0 when the attempt was contained (it
 * failed, or could not reach what it wanted), 1 when it got through,
 * 2 on a usage error.  It prints one line saying what happened.
 */

#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

static int	 result(int, const char *);
static int	 num(const char *);
static pid_t	 target(const char *);
static int	 p_write(const char *);
static int	 p_connect(int, int);
static int	 p_abstract(const char *);
static int	 p_proc(const char *, const char *, const char *);
static int	 p_x32(void);
static int	 p_caps(void);

/* ok is the outcome of the attempt: 0 it failed (errno set), 1 it worked. */
static int
result(int ok, const char *what)
{
	if (ok) {
		printf("ESCAPED: %s\n", what);
		return 1;
	}
	printf("contained: %s: %s\n", what, strerror(errno));
	return 0;
}

static int
num(const char *s)
{
	const char	*errstr;
	int		 n;

	n = strtonum(s, 0, INT_MAX, &errstr);
	if (errstr != NULL)
		errx(2, "%s is %s", s, errstr);
	return n;
}

/* "parent" is the caller's parent, "grandparent" its parent. */
static pid_t
target(const char *s)
{
	char	 path[64], line[256];
	FILE	*fp;
	pid_t	 pid = getppid();

	if (strcmp(s, "parent") == 0)
		return pid;
	if (strcmp(s, "grandparent") != 0)
		return num(s);
	(void)snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if ((fp = fopen(path, "r")) == NULL)
		err(2, "%s", path);
	while (fgets(line, sizeof(line), fp) != NULL)
		if (strncmp(line, "PPid:", 5) == 0)
			pid = (pid_t)strtol(line + 5, NULL, 10);
	(void)fclose(fp);
	return pid;
}

static int
p_write(const char *path)
{
	int	 fd;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644)) == -1)
		return result(0, path);
	if (write(fd, "x\n", 2) != 2)
		return result(0, path);
	(void)close(fd);
	return result(1, path);
}

static int
p_connect(int port, int type)
{
	struct sockaddr_in	 sin;
	int			 s;

	if ((s = socket(AF_INET, type, 0)) == -1)
		return result(0, "socket");
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (type == SOCK_DGRAM)
		return result(sendto(s, "x", 1, 0, (struct sockaddr *)&sin,
		    sizeof(sin)) == 1, "udp sendto");
	if (port == 0)
		return result(bind(s, (struct sockaddr *)&sin,
		    sizeof(sin)) == 0 && listen(s, 1) == 0, "tcp bind");
	return result(connect(s, (struct sockaddr *)&sin, sizeof(sin)) == 0,
	    "tcp connect");
}

static int
p_abstract(const char *name)
{
	struct sockaddr_un	 sun;
	socklen_t		 len;
	int			 s;

	if ((s = socket(AF_UNIX, SOCK_STREAM, 0)) == -1)
		return result(0, "socket");
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	(void)strlcpy(sun.sun_path + 1, name, sizeof(sun.sun_path) - 1);
	len = offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name);
	return result(connect(s, (struct sockaddr *)&sun, len) == 0,
	    "abstract connect");
}

/* Read /proc/PID/FILE; with word, only finding it counts. */
static int
p_proc(const char *pid, const char *file, const char *word)
{
	char	 path[64], buf[65536];
	ssize_t	 n;
	int	 fd;

	(void)snprintf(path, sizeof(path), "/proc/%d/%s", (int)target(pid),
	    file);
	if ((fd = open(path, O_RDONLY)) == -1)
		return result(0, path);
	if (strcmp(file, "mem") == 0) {
		n = pread(fd, buf, 16, 0x400000);
		return result(n > 0, path);
	}
	if ((n = read(fd, buf, sizeof(buf) - 1)) == -1)
		return result(0, path);
	if (word == NULL)
		return result(1, path);
	buf[n] = '\0';
	errno = ENOENT;
	return result(memmem(buf, n, word, strlen(word)) != NULL, path);
}

/* An x32 system call must kill us or fail, never run. */
static int
p_x32(void)
{
	pid_t	 pid;
	int	 st;

	if ((pid = fork()) == 0)
		_exit(syscall(SYS_getpid | 0x40000000) == -1 ? 3 : 0);
	if (pid == -1 || waitpid(pid, &st, 0) == -1)
		err(2, "fork");
	errno = EPERM;
	return result(WIFEXITED(st) && WEXITSTATUS(st) == 0, "x32 syscall");
}

/* After a set-uid exec: any capability at all is an escape. */
static int
p_caps(void)
{
	char	 line[256];
	FILE	*fp;
	int	 got = 0;

	if ((fp = fopen("/proc/self/status", "r")) == NULL)
		err(2, "status");
	while (fgets(line, sizeof(line), fp) != NULL)
		if (strncmp(line, "CapEff:", 7) == 0 &&
		    strtoull(line + 7, NULL, 16) != 0)
			got = 1;
	(void)fclose(fp);
	errno = EPERM;
	return result(got, "capabilities after set-uid exec");
}

int
main(int argc, char *argv[])
{
	const char	*n = argc > 1 ? argv[1] : "";
	const char	*a = argc > 2 ? argv[2] : "0";
	const char	*b = argc > 3 ? argv[3] : NULL;
	struct iovec	 l, r;
	char		 c = '#', buf[16];

	if (strcmp(n, "write") == 0)
		return p_write(a);
	if (strcmp(n, "hardlink") == 0 && b != NULL)
		return link(a, b) == 0 ? p_write(b) : result(0, "link");
	if (strcmp(n, "rename") == 0 && b != NULL)
		return result(rename(a, b) == 0, "rename");
	if (strcmp(n, "truncate") == 0)
		return result(truncate(a, 0) == 0, "truncate");
	if (strcmp(n, "chmod") == 0)
		return result(chmod(a, 0777) == 0, "chmod");
	if (strcmp(n, "utimes") == 0)
		return result(utimensat(AT_FDCWD, a, NULL, 0) == 0, "utimes");
	if (strcmp(n, "mkdir") == 0)
		return result(mkdir(a, 0755) == 0, "mkdir");
	if (strcmp(n, "connect") == 0)
		return p_connect(num(a), SOCK_STREAM);
	if (strcmp(n, "udp") == 0)
		return p_connect(num(a), SOCK_DGRAM);
	if (strcmp(n, "bind") == 0)
		return p_connect(0, SOCK_STREAM);
	if (strcmp(n, "inet6") == 0)
		return result(socket(AF_INET6, SOCK_STREAM, 0) != -1,
		    "inet6 socket");
	if (strcmp(n, "netlink") == 0)
		return result(socket(AF_NETLINK, SOCK_RAW, 0) != -1,
		    "netlink socket");
	if (strcmp(n, "packet") == 0)
		return result(socket(AF_PACKET, SOCK_RAW, 0) != -1,
		    "packet socket");
	if (strcmp(n, "abstract") == 0)
		return p_abstract(a);
	if (strcmp(n, "ptrace") == 0)
		return result(ptrace(PTRACE_SEIZE, target(a), NULL, NULL) == 0,
		    "ptrace");
	if (strcmp(n, "vmread") == 0) {
		l.iov_base = buf;
		l.iov_len = r.iov_len = sizeof(buf);
		r.iov_base = (void *)0x400000;
		return result(process_vm_readv(target(a), &l, 1, &r, 1, 0) >
		    0 || errno == EFAULT, "process_vm_readv");
	}
	if (strcmp(n, "proc") == 0 && b != NULL)
		return p_proc(a, b, argc > 4 ? argv[4] : NULL);
	if (strcmp(n, "kill") == 0)
		return result(kill(target(a), SIGCONT) == 0, "kill");
	if (strcmp(n, "tiocsti") == 0)
		return result(ioctl(num(a), TIOCSTI, &c) == 0, "TIOCSTI");
	if (strcmp(n, "io_uring") == 0)
		return result(syscall(SYS_io_uring_setup, 4, buf) != -1 ||
		    errno == EFAULT, "io_uring_setup");
	if (strcmp(n, "mount") == 0)
		return result(mount("none", a, "tmpfs", 0, NULL) == 0,
		    "mount");
	if (strcmp(n, "unshare") == 0)
		return result(unshare(CLONE_NEWUSER | CLONE_NEWNS) == 0,
		    "unshare");
	if (strcmp(n, "bpf") == 0)
		return result(syscall(SYS_bpf, 0, NULL, 0) != -1 ||
		    errno != EPERM, "bpf");
	if (strcmp(n, "keyctl") == 0)
		return result(syscall(SYS_keyctl, 0, -3, 0) != -1 ||
		    errno != EPERM, "keyctl");
	if (strcmp(n, "perf") == 0)
		return result(syscall(SYS_perf_event_open, NULL, 0, -1, -1,
		    0) != -1 || errno != EPERM, "perf_event_open");
	if (strcmp(n, "personality") == 0)
		return result(personality(READ_IMPLIES_EXEC) != -1,
		    "personality");
	if (strcmp(n, "x32") == 0)
		return p_x32();
	if (strcmp(n, "caps") == 0)
		return p_caps();
	if (strcmp(n, "fd") == 0)
		return result(fcntl(num(a), F_GETFD) != -1, "inherited fd");
	fprintf(stderr, "usage: probe name [arg ...]\n");
	return 2;
}
