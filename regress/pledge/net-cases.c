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
 * unveil_connect(), unveil_bind(), Landlock scoping, name resolution
 * under "dns", and the odds and ends: capabilities, dumpability, the
 * ABI and SANDBOX_DISABLED.  Network traffic stays on 127.0.0.1.
 */

#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <linux/securebits.h>

#include <cap-ng.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <seccomp.h>
#include <stddef.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sandbox/sandbox.h"
#include "regress/pledge/pledge-test.h"

/* The cases test_net runs, each one TAP line. */
#define NET_TESTS	10

static uint16_t			 bind_a, bind_b;	/* free ports */
static struct sockaddr_un	 abstract;
static socklen_t		 abstract_len;

/* A TCP socket on 127.0.0.1:port (0: any), listening if asked. */
static int
tcp_socket(uint16_t port, int do_listen, uint16_t *bound)
{
	struct sockaddr_in	 sin;
	socklen_t		 len = sizeof(sin);
	int			 s;

	if ((s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		err(1, "socket");
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons(port);
	if (bind(s, (struct sockaddr *)&sin, sizeof(sin)) == -1)
		err(1, "bind");
	if (do_listen && listen(s, 16) == -1)
		err(1, "listen");
	if (getsockname(s, (struct sockaddr *)&sin, &len) == -1)
		err(1, "getsockname");
	*bound = ntohs(sin.sin_port);
	return s;
}

/* Connect to 127.0.0.1:port; 0 on success, else errno. */
static int
tcp_connect(uint16_t port)
{
	struct sockaddr_in	 sin;
	int			 s, rc = 0;

	if ((s = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		return errno;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons(port);
	if (connect(s, (struct sockaddr *)&sin, sizeof(sin)) == -1)
		rc = errno;
	(void)close(s);
	return rc;
}

/* Bind to 127.0.0.1:port; 0 on success, else errno. */
static int
tcp_bind(uint16_t port)
{
	struct sockaddr_in	 sin;
	int			 s, rc = 0;

	if ((s = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		return errno;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons(port);
	if (bind(s, (struct sockaddr *)&sin, sizeof(sin)) == -1)
		rc = errno;
	(void)close(s);
	return rc;
}

static int
abstract_connect(void)
{
	int	 s, rc = 0;

	if ((s = socket(AF_UNIX, SOCK_STREAM, 0)) == -1)
		return errno;
	if (connect(s, (struct sockaddr *)&abstract, abstract_len) == -1)
		rc = errno;
	(void)close(s);
	return rc;
}

static int
c_connect_a(void)
{
	if (sandbox_init(0, NULL) == -1 || unveil_connect(port_a) == -1 ||
	    unveil(NULL, NULL) == -1)
		return 1;
	return tcp_connect(port_a) != 0 ? 2 : 0;
}

static int
c_connect_b(void)
{
	if (sandbox_init(0, NULL) == -1 || unveil_connect(port_a) == -1 ||
	    unveil(NULL, NULL) == -1)
		return 1;
	return tcp_connect(port_b) != EACCES ? 2 : 0;
}

static int
c_connect_none(void)
{
	if (tcp_connect(port_a) != 0)
		return 1;
	if (sandbox_init(0, NULL) == -1 || unveil(NULL, NULL) == -1)
		return 2;
	return tcp_connect(port_a) != EACCES ? 3 : 0;
}

static int
c_bind_a(void)
{
	if (sandbox_init(0, NULL) == -1 || unveil_bind(bind_a) == -1 ||
	    unveil(NULL, NULL) == -1)
		return 1;
	return tcp_bind(bind_a) != 0 ? 2 : 0;
}

static int
c_bind_b(void)
{
	if (sandbox_init(0, NULL) == -1 || unveil_bind(bind_a) == -1 ||
	    unveil(NULL, NULL) == -1)
		return 1;
	return tcp_bind(bind_b) != EACCES ? 2 : 0;
}

/* getaddrinfo("localhost") and a connect to its 127.0.0.1 address. */
static int
resolve_connect(void)
{
	struct addrinfo		 hints, *res, *ai;
	struct sockaddr_in	*sin;
	char			 port[8];
	int			 s, rc = 10;

	(void)snprintf(port, sizeof(port), "%u", port_a);
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_ADDRCONFIG;
	if (getaddrinfo("localhost", port, &hints, &res) != 0)
		return 11;
	for (ai = res; ai != NULL && rc != 0; ai = ai->ai_next) {
		if (ai->ai_family != AF_INET)
			continue;
		sin = (struct sockaddr_in *)ai->ai_addr;
		if (sin->sin_addr.s_addr != htonl(INADDR_LOOPBACK))
			continue;
		if ((s = socket(ai->ai_family, ai->ai_socktype, 0)) == -1)
			return 12;
		rc = connect(s, ai->ai_addr, ai->ai_addrlen) == -1 ? 13 : 0;
		(void)close(s);
	}
	freeaddrinfo(res);
	return rc;
}

static int
c_dns(void)
{
	if (sandbox_init(0, NULL) == -1 ||
	    pledge("stdio rpath inet dns", NULL) == -1)
		return 1;
	return resolve_connect();
}

/* What netproc does: resolver files unveiled, one port, no rpath. */
static int
c_dns_netproc(void)
{
	const char	*files[] = { "/etc/hosts", "/etc/resolv.conf",
			    "/etc/nsswitch.conf", "/etc/host.conf",
			    "/etc/gai.conf", NULL };
	int		 i;

	if (sandbox_init(0, NULL) == -1)
		return 1;
	for (i = 0; files[i] != NULL; i++)
		if (unveil(files[i], "r") == -1 && errno != ENOENT)
			return 2;
	if (unveil_connect(port_a) == -1 ||
	    pledge("stdio inet dns", NULL) == -1)
		return 3;
	return resolve_connect();
}

static int
c_scope_abstract(void)
{
	if (abstract_connect() != 0)
		return 1;
	if (sandbox_init(0, NULL) == -1 || unveil(NULL, NULL) == -1)
		return 2;
	return abstract_connect() != EPERM ? 3 : 0;
}

static int
c_scope_signal(void)
{
	if (kill(getppid(), 0) == -1)
		return 1;
	if (sandbox_init(0, NULL) == -1 || unveil(NULL, NULL) == -1)
		return 2;
	if (kill(getppid(), 0) != -1 || errno != EPERM)
		return 3;
	/* Ourselves we may still signal. */
	return kill(getpid(), 0) == -1 ? 4 : 0;
}

static int
c_scope_keep_signals(void)
{
	if (sandbox_init(0, NULL) == -1 ||
	    unveil_scope(SANDBOX_SCOPE_ABSTRACT) == -1 ||
	    unveil(NULL, NULL) == -1)
		return 1;
	if (kill(getppid(), 0) == -1)
		return 2;
	return abstract_connect() != EPERM ? 3 : 0;
}

void
test_net(void)
{
	int	 la, lb, ba, bb, ab, n;

	/*
	 * Every case here needs TCP on 127.0.0.1, which a sandbox without
	 * network (ocodex debug landlock --full-auto, Codex's) denies; the
	 * pledge and unveil cases elsewhere still run.
	 */
	if (getenv("CODEX_SANDBOX_NETWORK_DISABLED") != NULL) {
		for (n = 0; n < NET_TESTS; n++)
			skip("no loopback network in this sandbox "
			    "(CODEX_SANDBOX_NETWORK_DISABLED=1)");
		return;
	}
	la = tcp_socket(0, 1, &port_a);
	lb = tcp_socket(0, 1, &port_b);
	/* Two ports nobody listens on, for the bind rules. */
	ba = tcp_socket(0, 0, &bind_a);
	bb = tcp_socket(0, 0, &bind_b);
	if (close(ba) == -1 || close(bb) == -1)
		err(1, "close");

	memset(&abstract, 0, sizeof(abstract));
	abstract.sun_family = AF_UNIX;
	/* An abstract name: a leading NUL, no terminating one. */
	n = snprintf(abstract.sun_path + 1, sizeof(abstract.sun_path) - 1,
	    "ocodex-pledge-%ld", (long)getpid());
	if (n < 0 || (size_t)n >= sizeof(abstract.sun_path) - 1)
		errx(1, "abstract socket name");
	abstract_len = offsetof(struct sockaddr_un, sun_path) + 1 + n;
	if ((ab = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		err(1, "socket");
	if (bind(ab, (struct sockaddr *)&abstract, abstract_len) == -1 ||
	    listen(ab, 16) == -1)
		err(1, "abstract socket");

	passed(run(c_connect_a), "unveil_connect(A): connect to A works");
	passed(run(c_connect_b), "unveil_connect(A): connect to B is EACCES");
	passed(run(c_connect_none), "no unveil_connect: connect is EACCES");
	passed(run(c_bind_a), "unveil_bind(A): bind to A works");
	passed(run(c_bind_b), "unveil_bind(A): bind to B is EACCES");
	passed(run(c_dns), "stdio rpath inet dns: resolve localhost, connect");
	passed(run(c_dns_netproc), "stdio inet dns, unveiled resolver files");
	passed(run(c_scope_abstract), "scope: abstract socket is EPERM");
	passed(run(c_scope_signal), "scope: signalling the parent is EPERM");
	passed(run(c_scope_keep_signals),
	    "unveil_scope(ABSTRACT) keeps signals, still scopes sockets");

	if (close(la) == -1 || close(lb) == -1 || close(ab) == -1)
		err(1, "close");
}

static int
c_init_einval(void)
{
	return sandbox_init(0x80, NULL) != -1 || errno != EINVAL;
}

/*
 * Drop capabilities and read the result back from /proc.  Exit status
 * bits: 1 call failed, 2 CapEff, 4 CapPrm, 8 CapInh, 16 CapBnd,
 * 32 CapAmb not zero, 64 NoNewPrivs not 1, 128 securebits not locked.
 * The sets are read even when the call failed, so that a failure does
 * not make them pass by default.  An inheritable and ambient capability
 * is raised first, so that there is something to clear in every set.
 */
static int
c_drop_caps(void)
{
	const char	*keys[] = { "CapEff:", "CapPrm:", "CapInh:",
			    "CapBnd:", "CapAmb:", NULL };
	const int	 locked = SECBIT_NOROOT | SECBIT_NOROOT_LOCKED |
			    SECBIT_NO_SETUID_FIXUP |
			    SECBIT_NO_SETUID_FIXUP_LOCKED;
	char		 line[256];
	FILE		*fp;
	int		 i, bits, rc = 2 | 4 | 8 | 16 | 32 | 64 | 128;

	if (capng_get_caps_process() == -1 ||
	    capng_update(CAPNG_ADD, CAPNG_INHERITABLE,
	    CAP_NET_BIND_SERVICE) == -1 ||
	    capng_apply(CAPNG_SELECT_CAPS) != 0 ||
	    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_BIND_SERVICE,
	    0, 0) == -1)
		return 254;
	if (sandbox_init(0, NULL) == -1 || sandbox_drop_caps() == -1)
		rc |= 1;
	if ((fp = fopen("/proc/self/status", "r")) == NULL)
		return 255;
	while (fgets(line, sizeof(line), fp) != NULL) {
		for (i = 0; keys[i] != NULL; i++)
			if (strncmp(line, keys[i], strlen(keys[i])) == 0 &&
			    strtoull(line + strlen(keys[i]), NULL, 16) == 0)
				rc &= ~(2 << i);
		if (strcmp(line, "NoNewPrivs:\t1\n") == 0)
			rc &= ~64;
	}
	(void)fclose(fp);
	bits = prctl(PR_GET_SECUREBITS, 0, 0, 0, 0);
	if (bits != -1 && (bits & locked) == locked)
		rc &= ~128;
	return rc;
}

static int
c_nodump(void)
{
	if (sandbox_init(0, NULL) == -1 || sandbox_nodump() == -1)
		return 1;
	return prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) != 0 ? 2 : 0;
}

/* Make Landlock look missing, as on a kernel without it. */
static int
hide_landlock(void)
{
	scmp_filter_ctx	 ctx;
	int		 rc;

	if ((ctx = seccomp_init(SCMP_ACT_ALLOW)) == NULL)
		return -1;
	rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS),
	    SCMP_SYS(landlock_create_ruleset), 0);
	if (rc == 0)
		rc = seccomp_load(ctx);
	seccomp_release(ctx);
	return rc == 0 ? 0 : -1;
}

/* Without Landlock, unveil() and pledge() refuse with ENOSYS. */
static int
c_noabi(void)
{
	char	 p[PATH_MAX];

	if (hide_landlock() == -1 || sandbox_init(0, NULL) == -1)
		return 1;
	if (sandbox_landlock_abi() != 0)
		return 2;
	if (unveil(tpath(p, "ro"), "r") != -1 || errno != ENOSYS)
		return 3;
	if (unveil(NULL, NULL) != -1 || errno != ENOSYS)
		return 4;
	if (unveil_connect(80) != -1 || errno != ENOSYS)
		return 5;
	if (pledge("stdio", NULL) != -1 || errno != ENOSYS)
		return 6;
	return 0;
}

static int
c_noabi_disabled(void)
{
	char	 p[PATH_MAX];

	if (hide_landlock() == -1 || sandbox_init(SANDBOX_DISABLED, NULL) == -1)
		return 1;
	if (unveil(tpath(p, "ro"), "r") == -1 || unveil(NULL, NULL) == -1 ||
	    pledge("stdio", NULL) == -1)
		return 2;
	return 0;
}

/* SANDBOX_DISABLED: every call succeeds and nothing is confined. */
static int
c_disabled(void)
{
	char	 p[PATH_MAX];
	int	 fd;

	if (sandbox_init(SANDBOX_DISABLED, NULL) == -1)
		return 1;
	if (unveil(tpath(p, "ro"), "r") == -1 || unveil_connect(1) == -1 ||
	    unveil(NULL, NULL) == -1 || pledge("stdio", NULL) == -1)
		return 2;
	if (sandbox_drop_caps() == -1 || !sandbox_disabled())
		return 3;
	if ((fd = open(tpath(p, "other"), O_RDONLY)) == -1)
		return 4;
	return close(fd) == -1 ? 5 : 0;
}

static void
test_caps(void)
{
	const char	*what[] = { "CapEff is zero", "CapPrm is zero",
			    "CapInh is zero", "CapBnd is zero",
			    "CapAmb is zero", "NoNewPrivs is 1",
			    "securebits NOROOT locked" };
	int		 i, st, code;

	if (getuid() != 0) {
		for (i = 0; i < 8; i++)
			skip("sandbox_drop_caps needs root");
		return;
	}
	/*
	 * Root inside a sandbox that has already dropped every capability
	 * (ocodex's command sandbox does) cannot raise the inheritable and
	 * ambient one the case starts with, so nothing would be tested.
	 */
	if (capng_get_caps_process() == -1)
		err(1, "capng_get_caps_process");
	if (!capng_have_capability(CAPNG_EFFECTIVE, CAP_SETPCAP) ||
	    !capng_have_capability(CAPNG_PERMITTED, CAP_NET_BIND_SERVICE) ||
	    !capng_have_capability(CAPNG_BOUNDING_SET,
	    CAP_NET_BIND_SERVICE)) {
		for (i = 0; i < 8; i++)
			skip("root without capabilities (a sandbox dropped "
			    "them): nothing to drop");
		return;
	}
	st = run(c_drop_caps);
	code = WIFEXITED(st) ? WEXITSTATUS(st) : 255;
	ok(WIFEXITED(st) && code < 254 && !(code & 1),
	    "sandbox_drop_caps as root");
	for (i = 0; i < 7; i++)
		ok(WIFEXITED(st) && !(code & (2 << i)), "after drop: %s",
		    what[i]);
}

void
test_misc(void)
{
	int	 abi;

	abi = sandbox_landlock_abi();
	printf("# landlock ABI %d\n", abi);
	ok(abi >= 1, "Landlock ABI is at least 1");
	ok(sandbox_seccomp_available(), "seccomp filter mode is available");
	passed(run(c_init_einval), "sandbox_init with unknown flags is EINVAL");
	test_caps();
	passed(run(c_nodump), "sandbox_nodump: not dumpable");
	passed(run(c_disabled), "SANDBOX_DISABLED: everything is a no-op");
	passed(run(c_noabi), "no Landlock: unveil and pledge are ENOSYS");
	passed(run(c_noabi_disabled), "no Landlock, SANDBOX_DISABLED: no-ops");
}
