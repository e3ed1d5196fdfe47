# ocodex: a privilege-separated coding agent for the terminal.
#
# GNU make.  `make` builds the four executables at the top of the tree,
# `make check` runs the regress suite with prove(1), `make install` puts
# ocodex in BINDIR and its helpers in LIBEXECDIR.

PREFIX ?=	/usr/local
BINDIR ?=	$(PREFIX)/bin
LIBEXECDIR ?=	$(PREFIX)/libexec/ocodex
MANDIR ?=	$(PREFIX)/share/man
DESTDIR ?=

CC ?=		cc
AR ?=		ar
PKG_CONFIG ?=	pkg-config
PROVE ?=	prove

VERSION =	0.1.0

# Debian packages the build and the tests need (make deps installs them).
DEPS_PKGS =	build-essential pkg-config libevent-dev libcurl4-openssl-dev \
		libjansson-dev libseccomp-dev libcap-ng-dev libedit-dev \
		libbsd-dev mandoc perl curl ca-certificates git python3 tmux \
		valgrind

WARNINGS =	-Wall -Wextra -Werror -Wstrict-prototypes \
		-Wmissing-prototypes -Wmissing-declarations -Wshadow \
		-Wpointer-arith -Wsign-compare
HARDENING =	-D_FORTIFY_SOURCE=3 -fstack-protector-strong -fPIE
CFLAGS ?=	-O2 -g
CFLAGS +=	-std=gnu11 $(WARNINGS) $(HARDENING)
CPPFLAGS +=	-I. -D_GNU_SOURCE '-D__dead=__attribute__((__noreturn__))' \
		-DOCODEX_VERSION='"$(VERSION)"' \
		-DBINDIR='"$(BINDIR)"' -DLIBEXECDIR='"$(LIBEXECDIR)"' \
		$(shell $(PKG_CONFIG) --cflags libbsd-overlay 2>/dev/null)
LDFLAGS +=	-pie -Wl,-z,relro,-z,now

# make check SANITIZE=1 builds everything with ASan and UBSan.
ifdef SANITIZE
CFLAGS +=	-fsanitize=address,undefined -fno-omit-frame-pointer
LDFLAGS +=	-fsanitize=address,undefined
SANITIZE_OBJS =	sandbox/asan-options.o
endif

pc = $(shell $(PKG_CONFIG) --libs $(1) 2>/dev/null)
LIBBSD =	$(call pc,libbsd-overlay)
LIBEVENT =	$(call pc,libevent)
LIBSECCOMP =	$(call pc,libseccomp)
LIBCAPNG =	$(call pc,libcap-ng)
LIBCURL =	$(call pc,libcurl)
LIBJANSSON =	$(call pc,jansson)

# Shared code: channels and logging, and confinement.
IMSG_OBJS =	imsg/imsg.o imsg/imsg-buffer.o imsg/msgbuf.o imsg/proc.o \
		imsg/log.o
SANDBOX_OBJS =	sandbox/sandbox.o sandbox/landlock.o sandbox/unveil.o \
		sandbox/pledge.o sandbox/bpf.o sandbox/caps.o sandbox/probe.o \
		sandbox/policy.o sandbox/nsbind.o sandbox/cmdsandbox.o \
		sandbox/seccomp-deny.o sandbox/seatbelt.o sandbox/env.o \
		sandbox/pledge-bpf.o
LIBIMSG =	imsg/libimsg.a
LIBSANDBOX =	sandbox/libsandbox.a
# The small libraries every process needs are linked statically from
# Debian's archives: each shared object costs a process start about 0.1 ms
# of loading and relocation, and the tree is started once per session.
CONFINE_LIBS =	$(SANITIZE_OBJS) $(LIBSANDBOX) $(LIBIMSG) -Wl,-Bstatic -levent_core -lseccomp \
		-lcap-ng -lbsd -lmd -Wl,-Bdynamic

AGENT_OBJS =	agent/main.o agent/privsep.o agent/home.o agent/debug.o \
		agent/sandboxcmd.o agent/auth.o agent/model.o agent/proxy.o \
		agent/debugmodel.o \
		agent/execcmd.o agent/session.o agent/toolrun.o \
		agent/execclient.o agent/uiclient.o agent/tuicmd.o \
		agent/tuiresume.o agent/compact.o agent/mcpcmd.o agent/setup.o
# The TOML parser (for config.toml and -c); toml-json.c alone uses jansson.
TOML_OBJS =	agent/toml.o agent/toml-parse.o agent/toml-lex.o \
		agent/toml-scalar.o agent/toml-json.o
# config.toml, profiles and -c overrides, on top of the TOML parser.
CONFIG_OBJS =	agent/config.o agent/config-keys.o agent/config-util.o \
		agent/config-provider.o
# Approvals, the initial context, tool specs and tool output (no I/O but
# AGENTS.md reading); context.c uses output.c's UTF-8 repair.
AGENTUNIT_OBJS = agent/approval.o agent/shellwords.o agent/context.o \
		agent/tools.o agent/output.o
# Rollout files (sessions) and git metadata read from .git.
ROLLOUT_OBJS =	agent/rollout.o agent/rollout-read.o agent/gitinfo.o
ROLLOUT_TESTS =	regress/rollout/rollout-test regress/rollout/sample-test \
		regress/rollout/list-test regress/rollout/crash-test \
		regress/rollout/gitinfo-test
AGENT_TESTS =	regress/agent/approval-test regress/agent/context-test \
		regress/agent/tools-test regress/agent/output-test
NETPROC_OBJS =	netproc/netproc.o netproc/sse.o netproc/http.o \
		netproc/request.o netproc/auth.o $(DECODE_OBJS)
# The wire formats: request bodies and event decoding (no I/O).
DECODE_OBJS =	netproc/responses.o netproc/fastdelta.o netproc/chat.o
EXECPROC_OBJS =	execproc/execproc.o execproc/run.o execproc/spawn.o \
		execproc/denial.o execproc/patchrun.o
# apply_patch: the parser (also used by the parent) and the applier.
PATCH_OBJS =	execproc/patch.o execproc/patchtext.o execproc/patchinvoke.o \
		execproc/patchapply.o execproc/patchcommit.o
# `ocodex mcp-server`: JSON-RPC over stdio, the tools, events, approvals.
MCP_UI_OBJS =	ui/mcp.o ui/mcp-rpc.o ui/mcp-tools.o ui/mcp-event.o
UI_OBJS =	ui/ui.o ui/exec.o ui/exec-human.o ui/render.o $(MCP_UI_OBJS)
# The interactive front end; only ocodex-ui links libedit.
TUI_OBJS =	ui/tui.o ui/tui-input.o ui/tui-term.o
# Every front end switches over all ui events with no default.
ui/%.o: CFLAGS += -Wswitch-enum

PROGS =		ocodex ocodex-netproc ocodex-execproc ocodex-ui

# The scripted model server every end-to-end test talks to.
MOCKMODEL =	regress/mockmodel/mockmodel
MOCK_OBJS =	regress/mockmodel/mockmodel.o regress/mockmodel/script.o \
		regress/mockmodel/fault.o regress/mockmodel/render.o \
		regress/mockmodel/stream.o

# libFuzzer harnesses (make fuzz, make fuzz-smoke, which make check runs);
# clang only: make fuzz installs its packages with deps-fuzz.
FUZZ_DEPS_PKGS = clang libclang-rt-14-dev
FUZZ_CC ?=	clang
FUZZ_TIME ?=	12
FUZZ_FLAGS =	-g -O1 -fno-omit-frame-pointer -DFUZZ_LIBFUZZER $(WARNINGS) \
		-fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=undefined
FUZZ_NAMES =	sse responses chat sanitize mcp imsg patch toml rollout
FUZZERS =	$(FUZZ_NAMES:%=regress/fuzz/%-fuzz)
FUZZ_DECODE_SRCS = regress/fuzz/decoder-fuzz.c netproc/sse.c \
		netproc/responses.c netproc/fastdelta.c netproc/chat.c \
		imsg/log.c
FUZZ_IMSG_SRCS = imsg/imsg.c imsg/imsg-buffer.c imsg/msgbuf.c imsg/proc.c \
		imsg/log.c
FUZZ_PATCH_SRCS = $(PATCH_OBJS:.o=.c)
FUZZ_TOML_SRCS = $(TOML_OBJS:.o=.c)
FUZZ_REPLAY_OBJS = regress/fuzz/replay.o regress/fuzz/sse-fuzz.o \
		regress/fuzz/decoder-fuzz.o regress/fuzz/responses-fuzz.o \
		regress/fuzz/chat-fuzz.o regress/fuzz/sanitize-fuzz.o ui/render.o \
		regress/fuzz/mcp-fuzz.o ui/mcp-rpc.o regress/fuzz/imsg-fuzz.o \
		regress/fuzz/patch-fuzz.o $(PATCH_OBJS) regress/fuzz/toml-fuzz.o \
		$(TOML_OBJS) regress/fuzz/rollout-fuzz.o agent/rollout-read.o

# Test programs; each prints TAP.
IMSG_TESTS =	regress/imsg/ibuf-test regress/imsg/imsg-wire-test \
		regress/imsg/imsg-fd-test
UI_TESTS =	regress/ui/sanitize-test regress/ui/ui-test regress/mcp/rpc-test
TEST_PROGS =	$(IMSG_TESTS) $(UI_TESTS) regress/pledge/pledge-test \
		regress/pledge/bpf-test \
		regress/privsep/wrongver regress/privsep/nolandlock \
		regress/privsep/hostile \
		regress/toml/toml-test regress/toml/toml-corpus-test \
		regress/config/config-test $(AGENT_TESTS) $(ROLLOUT_TESTS) \
		regress/patch/patch-unit-test regress/patch/patch-scenarios-test \
		regress/sandbox/probe regress/sandbox/denial-test \
		regress/sse/sse-test regress/sse/sse-bench $(MOCKMODEL) \
		regress/netproc/decode-test regress/netproc/decode-bench \
		regress/fuzz/fuzz-replay
TEST_SCRIPTS =	regress/privsep/t-privsep.sh regress/privsep/t-procs.sh \
		regress/privsep/t-hostile.sh \
		regress/sandbox/t-escape.sh regress/sandbox/t-works.sh \
		regress/sandbox/t-run.sh regress/sandbox/t-profile.sh \
		regress/mockmodel/t-mockmodel.sh regress/exec/t-exec.sh regress/exec/t-resume.sh regress/exec/t-compact.sh regress/netproc/t-responses.sh \
		regress/exec/t-exec-context.sh regress/exec/t-exec-cli.sh \
		regress/exec/t-exec-output.sh regress/exec/t-exec-timeout.sh \
		regress/exec/t-exec-interrupt.sh regress/exec/t-exec-plan.sh \
		regress/exec/t-exec-sandbox.sh regress/tui/t-tui.sh \
		regress/tui/t-tui-session.sh \
		regress/netproc/t-retry.sh regress/netproc/t-chat.sh \
		regress/netproc/t-auth.sh regress/netproc/t-auth-refresh.sh \
		regress/netproc/t-concurrent.sh regress/netproc/t-proxy.sh \
		regress/mcp/t-mcp-raw.sh regress/mcp/t-mcp-sdk.sh \
		regress/mcp/t-mcp-resume.sh \
		regress/faults/t-kill.sh regress/faults/t-fulldisk.sh \
		regress/faults/t-cuts.sh regress/faults/t-bigout.sh \
		regress/faults/t-leak.sh regress/valgrind/t-valgrind.sh
TESTS =		$(IMSG_TESTS) $(UI_TESTS) regress/pledge/pledge-test \
		regress/pledge/bpf-test \
		regress/toml/toml-test regress/toml/toml-corpus-test \
		regress/config/config-test $(AGENT_TESTS) $(ROLLOUT_TESTS) \
		regress/patch/patch-unit-test regress/patch/patch-scenarios-test \
		regress/sandbox/denial-test regress/sse/sse-test \
		regress/netproc/decode-test regress/fuzz/fuzz-replay \
		$(TEST_SCRIPTS)

MANS =		man/ocodex.1
MAN5S =		man/ocodex-config.5
MAN7S =		man/ocodex-sandbox.7

.PHONY: all check check-fuzz deps demo install uninstall clean manlint \
	bench fuzz fuzz-smoke deps-fuzz

all: $(PROGS)

$(LIBIMSG): $(IMSG_OBJS)
	$(AR) rcs $@ $(IMSG_OBJS)

$(LIBSANDBOX): $(SANDBOX_OBJS) $(SANITIZE_OBJS)
	$(AR) rcs $@ $(SANDBOX_OBJS)

ocodex: $(AGENT_OBJS) $(CONFIG_OBJS) $(TOML_OBJS) $(AGENTUNIT_OBJS) \
    $(PATCH_OBJS) $(ROLLOUT_OBJS) $(LIBIMSG) $(LIBSANDBOX)
	$(CC) $(LDFLAGS) -o $@ $(AGENT_OBJS) $(CONFIG_OBJS) $(TOML_OBJS) \
	    $(AGENTUNIT_OBJS) $(PATCH_OBJS) $(ROLLOUT_OBJS) $(CONFINE_LIBS) \
	    $(LIBJANSSON)

ocodex-netproc: $(NETPROC_OBJS) $(LIBIMSG) $(LIBSANDBOX)
	$(CC) $(LDFLAGS) -o $@ $(NETPROC_OBJS) $(CONFINE_LIBS) $(LIBCURL) \
	    $(LIBJANSSON)

ocodex-execproc: $(EXECPROC_OBJS) $(PATCH_OBJS) $(LIBIMSG) $(LIBSANDBOX)
	$(CC) $(LDFLAGS) -o $@ $(EXECPROC_OBJS) $(PATCH_OBJS) $(CONFINE_LIBS) \
	    $(LIBJANSSON)

ocodex-ui: $(UI_OBJS) $(TUI_OBJS) $(LIBIMSG) $(LIBSANDBOX)
	$(CC) $(LDFLAGS) -o $@ $(UI_OBJS) $(TUI_OBJS) $(CONFINE_LIBS) \
	    $(LIBJANSSON) -ledit -ltinfo

%.o: %.c
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

-include $(wildcard */*.d regress/*/*.d)

# Tests.
regress/imsg/ibuf-test: regress/imsg/ibuf_test.o regress/imsg/common.o $(LIBIMSG)
	$(CC) $(LDFLAGS) -o $@ $< regress/imsg/common.o $(LIBIMSG) $(LIBBSD)

regress/imsg/imsg-wire-test: regress/imsg/imsg_wire.o regress/imsg/common.o $(LIBIMSG)
	$(CC) $(LDFLAGS) -o $@ $< regress/imsg/common.o $(LIBIMSG) $(LIBBSD)

regress/imsg/imsg-fd-test: regress/imsg/imsg_fd.o regress/imsg/common.o $(LIBIMSG)
	$(CC) $(LDFLAGS) -o $@ $< regress/imsg/common.o $(LIBIMSG) $(LIBBSD)

PLEDGE_TEST_OBJS = regress/pledge/pledge-test.o regress/pledge/pledge-cases.o \
		regress/pledge/unveil-cases.o regress/pledge/net-cases.o
regress/pledge/pledge-test: $(PLEDGE_TEST_OBJS) $(LIBSANDBOX) $(LIBIMSG)
	$(CC) $(LDFLAGS) -o $@ $(PLEDGE_TEST_OBJS) $(CONFINE_LIBS)

regress/pledge/bpf-test: regress/pledge/bpf-test.o $(LIBSANDBOX) $(LIBIMSG)
	$(CC) $(LDFLAGS) -o $@ $< $(CONFINE_LIBS)

regress/privsep/wrongver: regress/privsep/wrongver.o $(LIBIMSG)
	$(CC) $(LDFLAGS) -o $@ $< $(LIBIMSG) $(LIBEVENT) $(LIBBSD)

regress/privsep/hostile: regress/privsep/hostile.o $(LIBIMSG)
	$(CC) $(LDFLAGS) -o $@ $< $(LIBIMSG) $(LIBEVENT) $(LIBBSD)

regress/toml/toml-test: regress/toml/toml-test.o $(TOML_OBJS)
	$(CC) $(LDFLAGS) -o $@ $< $(TOML_OBJS) $(LIBJANSSON) $(LIBBSD)

regress/toml/toml-corpus-test: regress/toml/toml-corpus-test.o $(TOML_OBJS)
	$(CC) $(LDFLAGS) -o $@ $< $(TOML_OBJS) $(LIBJANSSON) $(LIBBSD)

CONFIG_TEST_OBJS = regress/config/config-test.o regress/config/config-cases.o \
		regress/config/config-example.o
regress/config/config-test: $(CONFIG_TEST_OBJS) $(CONFIG_OBJS) $(TOML_OBJS) $(LIBIMSG)
	$(CC) $(LDFLAGS) -o $@ $(CONFIG_TEST_OBJS) $(CONFIG_OBJS) $(TOML_OBJS) \
	    $(LIBIMSG) $(LIBJANSSON) $(LIBBSD)

AGENT_TAP =	regress/tap.o
regress/agent/approval-test: regress/agent/approval-test.o $(AGENT_TAP) agent/approval.o \
    agent/shellwords.o
	$(CC) $(LDFLAGS) -o $@ $< $(AGENT_TAP) agent/approval.o \
	    agent/shellwords.o $(LIBBSD)

regress/agent/context-test: regress/agent/context-test.o $(AGENT_TAP) agent/context.o agent/output.o
	$(CC) $(LDFLAGS) -o $@ $< $(AGENT_TAP) agent/context.o agent/output.o \
	    $(LIBJANSSON) $(LIBBSD)

regress/agent/tools-test: regress/agent/tools-test.o $(AGENT_TAP) agent/tools.o
	$(CC) $(LDFLAGS) -o $@ $< $(AGENT_TAP) agent/tools.o $(LIBJANSSON) $(LIBBSD)

regress/agent/output-test: regress/agent/output-test.o $(AGENT_TAP) agent/output.o
	$(CC) $(LDFLAGS) -o $@ $< $(AGENT_TAP) agent/output.o $(LIBBSD)

$(ROLLOUT_TESTS): %: %.o regress/rollout/tap.o regress/tap.o $(ROLLOUT_OBJS)
	$(CC) $(LDFLAGS) -o $@ $< regress/rollout/tap.o regress/tap.o \
	    $(ROLLOUT_OBJS) $(LIBJANSSON) $(LIBBSD)

regress/patch/patch-unit-test: regress/patch/unit.o regress/patch/util.o $(PATCH_OBJS)
	$(CC) $(LDFLAGS) -o $@ $< regress/patch/util.o $(PATCH_OBJS) $(LIBBSD)

regress/patch/patch-scenarios-test: regress/patch/scenarios.o regress/patch/util.o $(PATCH_OBJS)
	$(CC) $(LDFLAGS) -o $@ $< regress/patch/util.o $(PATCH_OBJS) $(LIBBSD)

regress/ui/sanitize-test: regress/ui/sanitize-test.o ui/render.o
	$(CC) $(LDFLAGS) -o $@ $< ui/render.o -Wl,-Bstatic -levent_core \
	    -Wl,-Bdynamic $(LIBBSD)

regress/mcp/rpc-test: regress/mcp/rpc-test.o regress/fuzz/mcp-fuzz.o ui/mcp-rpc.o
	$(CC) $(LDFLAGS) -o $@ $< regress/fuzz/mcp-fuzz.o ui/mcp-rpc.o \
	    $(LIBJANSSON) $(LIBBSD)

regress/ui/ui-test: regress/ui/ui-test.o $(LIBIMSG)
	$(CC) $(LDFLAGS) -o $@ $< $(LIBIMSG) $(LIBJANSSON) $(LIBBSD)

regress/privsep/nolandlock: regress/privsep/nolandlock.o
	$(CC) $(LDFLAGS) -o $@ $< $(LIBSECCOMP) $(LIBBSD)

$(MOCKMODEL): $(MOCK_OBJS)
	$(CC) $(LDFLAGS) -o $@ $(MOCK_OBJS) $(LIBEVENT) $(LIBJANSSON) $(LIBBSD)

regress/sse/sse-test: regress/sse/t-sse.o netproc/sse.o
	$(CC) $(LDFLAGS) -o $@ $< netproc/sse.o $(LIBBSD)

regress/sse/sse-bench: regress/sse/bench-sse.o netproc/sse.o
	$(CC) $(LDFLAGS) -o $@ $< netproc/sse.o $(LIBBSD)

regress/netproc/decode-test: regress/netproc/decode-test.o $(DECODE_OBJS) netproc/sse.o $(LIBIMSG)
	$(CC) $(LDFLAGS) -o $@ $< $(DECODE_OBJS) netproc/sse.o $(LIBIMSG) \
	    $(LIBJANSSON) $(LIBBSD)

regress/netproc/decode-bench: regress/netproc/decode-bench.o $(DECODE_OBJS) netproc/sse.o $(LIBIMSG)
	$(CC) $(LDFLAGS) -o $@ $< $(DECODE_OBJS) netproc/sse.o $(LIBIMSG) \
	    $(LIBJANSSON) $(LIBBSD)

regress/fuzz/fuzz-replay: $(FUZZ_REPLAY_OBJS) $(DECODE_OBJS) netproc/sse.o $(LIBIMSG)
	$(CC) $(LDFLAGS) -o $@ $(FUZZ_REPLAY_OBJS) $(DECODE_OBJS) netproc/sse.o \
	    $(LIBIMSG) $(LIBJANSSON) -Wl,-Bstatic -levent_core -Wl,-Bdynamic \
	    $(LIBBSD)

# The fuzzers are built from source with clang's instrumentation.
fuzz: deps-fuzz $(FUZZERS)

deps-fuzz:
	@$(MAKE) --no-print-directory deps DEPS_PKGS="$(FUZZ_DEPS_PKGS)"

regress/fuzz/sse-fuzz: regress/fuzz/sse-fuzz.c netproc/sse.c netproc/sse.h
	$(FUZZ_CC) $(FUZZ_FLAGS) $(CPPFLAGS) -o $@ regress/fuzz/sse-fuzz.c \
	    netproc/sse.c $(LIBBSD)

regress/fuzz/mcp-fuzz: regress/fuzz/mcp-fuzz.c ui/mcp-rpc.c ui/ui.h
	$(FUZZ_CC) $(FUZZ_FLAGS) $(CPPFLAGS) -o $@ regress/fuzz/mcp-fuzz.c \
	    ui/mcp-rpc.c $(LIBJANSSON) $(LIBBSD)

regress/fuzz/imsg-fuzz: regress/fuzz/imsg-fuzz.c $(FUZZ_IMSG_SRCS) \
    imsg/imsg.h imsg/proc.h imsg/proto.h
	$(FUZZ_CC) $(FUZZ_FLAGS) $(CPPFLAGS) -o $@ regress/fuzz/imsg-fuzz.c \
	    $(FUZZ_IMSG_SRCS) $(LIBEVENT) $(LIBBSD)

regress/fuzz/patch-fuzz: regress/fuzz/patch-fuzz.c $(FUZZ_PATCH_SRCS) \
    execproc/patch.h execproc/patch-int.h
	$(FUZZ_CC) $(FUZZ_FLAGS) $(CPPFLAGS) -o $@ regress/fuzz/patch-fuzz.c \
	    $(FUZZ_PATCH_SRCS) $(LIBBSD)

regress/fuzz/toml-fuzz: regress/fuzz/toml-fuzz.c $(FUZZ_TOML_SRCS) \
    agent/toml.h agent/toml-int.h
	$(FUZZ_CC) $(FUZZ_FLAGS) $(CPPFLAGS) -o $@ regress/fuzz/toml-fuzz.c \
	    $(FUZZ_TOML_SRCS) $(LIBJANSSON) $(LIBBSD)

regress/fuzz/rollout-fuzz: regress/fuzz/rollout-fuzz.c agent/rollout-read.c \
    agent/rollout.h
	$(FUZZ_CC) $(FUZZ_FLAGS) $(CPPFLAGS) -o $@ regress/fuzz/rollout-fuzz.c \
	    agent/rollout-read.c $(LIBJANSSON) $(LIBBSD)

regress/fuzz/sanitize-fuzz: regress/fuzz/sanitize-fuzz.c ui/render.c ui/ui.h
	$(FUZZ_CC) $(FUZZ_FLAGS) $(CPPFLAGS) -o $@ regress/fuzz/sanitize-fuzz.c \
	    ui/render.c $(LIBEVENT) $(LIBJANSSON) $(LIBBSD)

regress/fuzz/responses-fuzz regress/fuzz/chat-fuzz: regress/fuzz/%-fuzz: \
    regress/fuzz/%-fuzz.c $(FUZZ_DECODE_SRCS) netproc/netproc.h
	$(FUZZ_CC) $(FUZZ_FLAGS) $(CPPFLAGS) -o $@ $< $(FUZZ_DECODE_SRCS) \
	    $(LIBJANSSON) $(LIBBSD)

# Each fuzzer for FUZZ_TIME seconds from its seed corpus; new inputs and
# any crash go to a scratch directory, so a clean run leaves nothing in
# the tree.  A crash is moved to regress/fuzz/crashes/NAME/, where
# fuzz-replay (in make check) runs it from then on, and fails the target.
# Inside a command sandbox (ocodex's or Codex's, which set CODEX_SANDBOX)
# ptrace is denied, and LeakSanitizer needs it at exit: leaks are not
# looked for there, and fuzz-smoke says so.
FUZZ_LEAKS =	$(if $(CODEX_SANDBOX),-detect_leaks=0)

fuzz-smoke: fuzz
	@$(if $(FUZZ_LEAKS),echo "fuzz-smoke: leak detection off in this" \
	    "sandbox (LeakSanitizer needs ptrace, which it denies)")
	@set -e; for f in $(FUZZ_NAMES); do \
		t=$$(mktemp -d); mkdir $$t/corpus $$t/crash; \
		echo "fuzz-smoke: $$f for $(FUZZ_TIME) s"; \
		if ! $(if $(FUZZ_LEAKS),ASAN_OPTIONS=detect_leaks=0) \
		    regress/fuzz/$$f-fuzz -max_total_time=$(FUZZ_TIME) \
		    -timeout=10 $(FUZZ_LEAKS) -dict=regress/fuzz/$$f.dict \
		    -print_final_stats=1 -artifact_prefix=$$t/crash/ \
		    $$t/corpus regress/fuzz/corpus/$$f >$$t/log 2>&1; then \
			tail -n 40 $$t/log; \
			mkdir -p regress/fuzz/crashes/$$f; \
			mv $$t/crash/* regress/fuzz/crashes/$$f/ 2>/dev/null || :; \
			rm -rf $$t; \
			echo "fuzz-smoke: $$f failed; inputs kept in" \
			    "regress/fuzz/crashes/$$f/" >&2; \
			exit 1; \
		fi; \
		grep -E '^(Done|stat::number_of_executed_units|stat::new_units)' \
		    $$t/log || :; \
		rm -rf $$t; \
	done

regress/sandbox/probe: regress/sandbox/probe.o
	$(CC) $(LDFLAGS) -o $@ $< $(LIBBSD)

regress/sandbox/denial-test: regress/sandbox/denial-test.o execproc/denial.o
	$(CC) $(LDFLAGS) -o $@ $< execproc/denial.o $(LIBBSD)

check: deps
	@$(MAKE) --no-print-directory all $(TEST_PROGS)
	@$(MAKE) --no-print-directory manlint
	MOCKMODEL=$(MOCKMODEL) $(PROVE) $(TESTS)
	@$(MAKE) --no-print-directory check-fuzz

# make check ends with fuzz-smoke, but not in a SANITIZE=1 build (the
# fuzzers carry their own sanitizers and ran in the plain make check)
# nor with NOFUZZ=1 (a quick run).
check-fuzz:
ifeq ($(SANITIZE)$(NOFUZZ),)
	@$(MAKE) --no-print-directory fuzz-smoke
else
	@echo "check: fuzz-smoke skipped (SANITIZE or NOFUZZ is set)"
endif

manlint:
	mandoc -Tlint -W warning $(MANS) $(MAN5S) $(MAN7S)

# Install what is missing from Debian, or say how.
deps:
	@missing=""; for p in $(DEPS_PKGS); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | \
		    grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
		echo "deps: installing$$missing"; \
		apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		    --no-install-recommends $$missing; \
	else \
		echo "deps: missing packages; run as root:"; \
		echo "  apt-get install$$missing"; exit 1; \
	fi

demo: deps all $(MOCKMODEL)
	demo/demo.sh

bench: all bench/startup bench/sandbox-out bench/rollout-bench bench/latency bench/exec-run $(MOCKMODEL) regress/sse/sse-bench \
	    regress/netproc/decode-bench
	bench/startup.sh
	bench/rollout-bench
	bench/latency bench/latency.json
	regress/sse/sse-bench
	regress/netproc/decode-bench
	bench/sandbox.sh
	bench/compare.sh

bench/startup: bench/startup.o bench/bench.o
	$(CC) $(LDFLAGS) -o $@ $< bench/bench.o $(LIBBSD)

bench/latency: bench/latency.o
	$(CC) $(LDFLAGS) -o $@ $< $(LIBBSD)

bench/rollout-bench: bench/rollout-bench.o bench/bench.o $(ROLLOUT_OBJS)
	$(CC) $(LDFLAGS) -o $@ $< bench/bench.o $(ROLLOUT_OBJS) $(LIBJANSSON) \
	    $(LIBBSD)

bench/sandbox-out: bench/sandbox-out.o bench/bench.o
	$(CC) $(LDFLAGS) -o $@ $< bench/bench.o $(LIBBSD)

bench/exec-run: bench/exec-run.o bench/bench.o
	$(CC) $(LDFLAGS) -o $@ $< bench/bench.o $(LIBBSD)

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBEXECDIR) \
	    $(DESTDIR)$(MANDIR)/man1
	install -m 755 ocodex $(DESTDIR)$(BINDIR)/ocodex
	install -m 755 ocodex-netproc ocodex-execproc ocodex-ui \
	    $(DESTDIR)$(LIBEXECDIR)/
	install -m 644 $(MANS) $(DESTDIR)$(MANDIR)/man1/
	install -d $(DESTDIR)$(MANDIR)/man5
	install -m 644 $(MAN5S) $(DESTDIR)$(MANDIR)/man5/
	install -d $(DESTDIR)$(MANDIR)/man7
	install -m 644 $(MAN7S) $(DESTDIR)$(MANDIR)/man7/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/ocodex $(DESTDIR)$(MANDIR)/man1/ocodex.1
	rm -f $(DESTDIR)$(MANDIR)/man5/ocodex-config.5
	rm -f $(DESTDIR)$(MANDIR)/man7/ocodex-sandbox.7
	rm -f $(DESTDIR)$(LIBEXECDIR)/ocodex-netproc \
	    $(DESTDIR)$(LIBEXECDIR)/ocodex-execproc \
	    $(DESTDIR)$(LIBEXECDIR)/ocodex-ui
	-rmdir $(DESTDIR)$(LIBEXECDIR)

clean:
	rm -f $(PROGS) $(TEST_PROGS) $(FUZZERS) $(LIBIMSG) $(LIBSANDBOX) bench/startup \
	    bench/sandbox-out bench/exec-run
	find . -name '*.o' -o -name '*.d' | grep -v '^./.git/' | xargs rm -f
