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
 * The cases: what each layer, key and error does to a struct config.
 */

#include <sys/queue.h>
#include <sys/stat.h>

#include <err.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent/config.h"
#include "regress/config/config-test.h"

static int
streq(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

static int
has(const char *hay, const char *needle)
{
	return hay != NULL && strstr(hay, needle) != NULL;
}

static const char *
kv(const struct config_kvlist *l, const char *key)
{
	size_t	 i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].key, key) == 0)
			return l->v[i].value;
	return NULL;
}

void
test_defaults(void)
{
	const struct provider	*p;

	remove_config();
	ok(load(NULL, NULL) == 0, "defaults: no config.toml is fine");
	ok(streq(cfg.model, CONFIG_DEFAULT_MODEL) && !cfg.model_explicit,
	    "defaults: model %s", cfg.model);
	ok(streq(cfg.model_provider, "openai") && cfg.profile == NULL,
	    "defaults: provider openai, no profile");
	ok(cfg.approval_policy == CONFIG_APPROVAL_ON_REQUEST &&
	    cfg.sandbox_mode == CONFIG_SANDBOX_READ_ONLY,
	    "defaults: on-request, read-only");
	ok(cfg.model_reasoning_effort == CONFIG_EFFORT_UNSET &&
	    cfg.model_reasoning_summary == CONFIG_SUMMARY_UNSET &&
	    cfg.model_verbosity == CONFIG_VERBOSITY_UNSET,
	    "defaults: effort, summary, verbosity unset");
	ok(cfg.project_doc_max_bytes == 32768 &&
	    cfg.tool_output_token_limit == -1 &&
	    cfg.model_context_window == -1 && cfg.history.max_bytes == -1,
	    "defaults: numbers");
	ok(cfg.shell_environment_policy.inherit == CONFIG_INHERIT_ALL &&
	    cfg.shell_environment_policy.ignore_default_excludes == 0 &&
	    cfg.notify.n == 0 &&
	    cfg.sandbox_workspace_write.writable_roots.n == 0,
	    "defaults: environment policy, notify, roots");
	p = config_provider(&cfg);
	ok(p != NULL && streq(p->id, "openai") &&
	    streq(p->base_url, "https://api.openai.com/v1") &&
	    streq(p->env_key, "OPENAI_API_KEY") &&
	    p->wire_api == CONFIG_WIRE_RESPONSES && p->requires_openai_auth,
	    "defaults: the openai provider");
	ok(p != NULL && p->request_max_retries == 4 &&
	    p->stream_max_retries == 5 && p->stream_idle_timeout_ms == 300000,
	    "defaults: retries and idle timeout");
	p = config_provider_find(&cfg, "ollama");
	ok(p != NULL && streq(p->base_url, "http://localhost:11434/v1") &&
	    p->wire_api == CONFIG_WIRE_CHAT && !p->requires_openai_auth,
	    "defaults: the ollama provider");
	ok(logged()[0] == '\0', "defaults: nothing logged");
}

void
test_keys(void)
{
	char	 want[PATH_MAX + 8];

	write_config(
	    "model = \"o3\"\n"
	    "model_reasoning_effort = \"xhigh\"\n"
	    "model_reasoning_summary = \"detailed\"\n"
	    "model_verbosity = \"low\"\n"
	    "approval_policy = \"untrusted\"\n"
	    "sandbox_mode = \"workspace-write\"\n"
	    "notify = [\"notify-send\", \"Codex\"]\n"
	    "project_doc_max_bytes = 1000\n"
	    "hide_agent_reasoning = true\n"
	    "tool_output_token_limit = 2500\n"
	    "model_context_window = 400000\n"
	    "model_max_output_tokens = 9000\n"
	    "oss_provider = \"lmstudio\"\n"
	    "file_opener = \"cursor\"\n"
	    "[sandbox_workspace_write]\n"
	    "writable_roots = [\"/srv/a\", \"~/b\", \"rel\"]\n"
	    "network_access = true\n"
	    "exclude_tmpdir_env_var = true\n"
	    "exclude_slash_tmp = true\n"
	    "[shell_environment_policy]\n"
	    "inherit = \"core\"\n"
	    "ignore_default_excludes = false\n"
	    "exclude = [\"AWS_*\"]\n"
	    "set = { CI = \"1\", LANG = \"C\" }\n"
	    "include_only = [\"PATH\", \"HOME\"]\n"
	    "[history]\n"
	    "persistence = \"none\"\n"
	    "max_bytes = 1048576\n");
	ok(load(NULL, NULL) == 0, "keys: a file with every key loads");
	ok(streq(cfg.model, "o3") && cfg.model_explicit &&
	    cfg.model_reasoning_effort == CONFIG_EFFORT_XHIGH &&
	    cfg.model_reasoning_summary == CONFIG_SUMMARY_DETAILED &&
	    cfg.model_verbosity == CONFIG_VERBOSITY_LOW,
	    "keys: model, effort, summary, verbosity");
	ok(cfg.approval_policy == CONFIG_APPROVAL_UNTRUSTED &&
	    cfg.sandbox_mode == CONFIG_SANDBOX_WORKSPACE_WRITE,
	    "keys: approval_policy, sandbox_mode");
	ok(cfg.notify.n == 2 && streq(cfg.notify.v[0], "notify-send") &&
	    streq(cfg.notify.v[1], "Codex") && cfg.notify.v[2] == NULL,
	    "keys: notify is a NULL-terminated argv");
	ok(cfg.project_doc_max_bytes == 1000 && cfg.hide_agent_reasoning &&
	    cfg.tool_output_token_limit == 2500 &&
	    cfg.model_context_window == 400000 &&
	    cfg.model_max_output_tokens == 9000,
	    "keys: numbers and hide_agent_reasoning");
	ok(streq(cfg.oss_provider, "lmstudio") &&
	    cfg.file_opener == CONFIG_OPENER_CURSOR &&
	    cfg.history.persistence == CONFIG_HISTORY_NONE &&
	    cfg.history.max_bytes == 1048576,
	    "keys: oss_provider, file_opener, history");
	xsnprintf(want, sizeof(want), "%s/b", tmpdir);
	ok(cfg.sandbox_workspace_write.writable_roots.n == 3 &&
	    streq(cfg.sandbox_workspace_write.writable_roots.v[0], "/srv/a") &&
	    streq(cfg.sandbox_workspace_write.writable_roots.v[1], want),
	    "keys: writable_roots, ~ expanded");
	xsnprintf(want, sizeof(want), "%s/rel", home);
	ok(cfg.sandbox_workspace_write.writable_roots.n == 3 &&
	    streq(cfg.sandbox_workspace_write.writable_roots.v[2], want),
	    "keys: a relative root starts at CODEX_HOME");
	ok(cfg.sandbox_workspace_write.network_access &&
	    cfg.sandbox_workspace_write.exclude_tmpdir_env_var &&
	    cfg.sandbox_workspace_write.exclude_slash_tmp,
	    "keys: sandbox_workspace_write booleans");
	ok(cfg.shell_environment_policy.inherit == CONFIG_INHERIT_CORE &&
	    !cfg.shell_environment_policy.ignore_default_excludes &&
	    cfg.shell_environment_policy.exclude.n == 1 &&
	    cfg.shell_environment_policy.include_only.n == 2 &&
	    streq(kv(&cfg.shell_environment_policy.set, "LANG"), "C") &&
	    cfg.shell_environment_policy.set.n == 2,
	    "keys: shell_environment_policy");
	ok(logged()[0] == '\0', "keys: no warnings");
}

void
test_layers(void)
{
	write_config(
	    "model = \"file-model\"\n"
	    "approval_policy = \"never\"\n"
	    "sandbox_mode = \"read-only\"\n"
	    "[profiles.fast]\n"
	    "model = \"profile-model\"\n"
	    "model_reasoning_effort = \"low\"\n"
	    "[profiles.fast.sandbox_workspace_write]\n"
	    "network_access = true\n"
	    "[profiles.deep]\n"
	    "model = \"deep-model\"\n");
	ok(load(NULL, NULL) == 0 && streq(cfg.model, "file-model") &&
	    cfg.model_reasoning_effort == CONFIG_EFFORT_UNSET,
	    "layers: no profile, the file's model");
	ok(load("fast", NULL) == 0 && streq(cfg.model, "profile-model") &&
	    streq(cfg.profile, "fast") &&
	    cfg.model_reasoning_effort == CONFIG_EFFORT_LOW &&
	    cfg.sandbox_workspace_write.network_access &&
	    cfg.approval_policy == CONFIG_APPROVAL_NEVER,
	    "layers: -p fast beats the file, keeps the rest");
	ok(load("fast", "model=cli-model", NULL) == 0 &&
	    streq(cfg.model, "cli-model") &&
	    cfg.model_reasoning_effort == CONFIG_EFFORT_LOW,
	    "layers: -c beats the profile");
	ok(load(NULL, "profile=deep", NULL) == 0 &&
	    streq(cfg.model, "deep-model") && streq(cfg.profile, "deep"),
	    "layers: -c profile=deep selects it");
	ok(load(NULL, "profiles.fast.model=changed", "profile=fast",
	    NULL) == 0 && streq(cfg.model, "changed"),
	    "layers: -c can change a profile");
	write_config(
	    "profile = \"deep\"\n"
	    "model = \"file-model\"\n"
	    "[profiles.deep]\n"
	    "model = \"deep-model\"\n"
	    "[profiles.fast]\n"
	    "model = \"fast-model\"\n");
	ok(load(NULL, NULL) == 0 && streq(cfg.model, "deep-model") &&
	    streq(cfg.profile, "deep"),
	    "layers: the file's profile key selects one");
	ok(load("fast", NULL) == 0 && streq(cfg.model, "fast-model"),
	    "layers: -p beats the file's profile key");
}

void
test_overrides(void)
{
	const struct provider	*p;
	char			 want[PATH_MAX + 8];

	remove_config();
	ok(load(NULL, "hide_agent_reasoning=true", "project_doc_max_bytes=3",
	    "notify=[\"a\", \"b c\"]", NULL) == 0 &&
	    cfg.hide_agent_reasoning && cfg.project_doc_max_bytes == 3 &&
	    cfg.notify.n == 2 && streq(cfg.notify.v[1], "b c"),
	    "-c: true, 3 and an array are TOML");
	ok(load(NULL, "model=gpt-5.4-mini", NULL) == 0 &&
	    streq(cfg.model, "gpt-5.4-mini") && cfg.model_explicit,
	    "-c: a bare word is a string");
	ok(load(NULL, " model = \"quoted\" ", NULL) == 0 &&
	    streq(cfg.model, "quoted"), "-c: blanks and a quoted string");
	ok(load(NULL, "model='half", NULL) == 0 && streq(cfg.model, "half"),
	    "-c: stray quotes are dropped as Codex does");
	ok(load(NULL, "sandbox_workspace_write.network_access=true",
	    "shell_environment_policy.set.FOO=bar", NULL) == 0 &&
	    cfg.sandbox_workspace_write.network_access &&
	    streq(kv(&cfg.shell_environment_policy.set, "FOO"), "bar"),
	    "-c: dotted paths");
	ok(load(NULL, "model_providers.\"my.proxy\".base_url="
	    "http://127.0.0.1:9/v1", "model_provider=my.proxy", NULL) == 0 &&
	    (p = config_provider(&cfg)) != NULL &&
	    streq(p->id, "my.proxy") &&
	    streq(p->base_url, "http://127.0.0.1:9/v1"),
	    "-c: a quoted part in a key path");
	xsnprintf(want, sizeof(want), "%s/work", tmpdir);
	ok(load(NULL, "sandbox_workspace_write.writable_roots=[\"work\"]",
	    NULL) == 0 &&
	    streq(cfg.sandbox_workspace_write.writable_roots.v[0], want),
	    "-c: a relative root starts at the working directory");
	ok(load(NULL, "nonsense", NULL) == -1 &&
	    has(errbuf, "-c 'nonsense': expected key=value"),
	    "-c: no '=' is an error");
	ok(load(NULL, "=3", NULL) == -1 && has(errbuf, "empty key"),
	    "-c: an empty key is an error");
}

void
test_errors(void)
{
	char	 want[PATH_MAX + 32];

	write_config("model = \"a\"\nsandbox_mode = \n");
	xsnprintf(want, sizeof(want), "%s:2:", cfgpath);
	ok(load(NULL, NULL) == -1 && strncmp(errbuf, want,
	    strlen(want)) == 0 && strchr(errbuf + strlen(want), ':') != NULL,
	    "errors: malformed file gives PATH:LINE:COLUMN");
	ok(cfg.model == NULL && TAILQ_EMPTY(&cfg.providers),
	    "errors: a failed load leaves nothing behind");
	write_config("[a]\nx = 1\n[a]\n");
	xsnprintf(want, sizeof(want), "%s:3:", cfgpath);
	ok(load(NULL, NULL) == -1 && strncmp(errbuf, want, strlen(want)) == 0,
	    "errors: a table defined twice, line 3");
	write_config("model = 3\n");
	xsnprintf(want, sizeof(want), "%s: 'model' must be a string, "
	    "not an integer", cfgpath);
	ok(load(NULL, NULL) == -1 && streq(errbuf, want),
	    "errors: wrong type names key and file");
	write_config("[sandbox_workspace_write]\nnetwork_access = \"yes\"\n");
	ok(load(NULL, NULL) == -1 &&
	    has(errbuf, "'sandbox_workspace_write.network_access' must be a "
	    "boolean, not a string"), "errors: wrong type in a table");
	write_config("sandbox_mode = \"bogus\"\n");
	xsnprintf(want, sizeof(want), "%s: invalid sandbox_mode 'bogus' "
	    "(valid values: read-only, workspace-write, danger-full-access)",
	    cfgpath);
	ok(load(NULL, NULL) == -1 && streq(errbuf, want),
	    "errors: a bad enum lists the valid values");
	write_config("[profiles.x]\napproval_policy = \"sometimes\"\n");
	ok(load(NULL, NULL) == -1 &&
	    has(errbuf, "invalid profiles.x.approval_policy 'sometimes'") &&
	    has(errbuf, "untrusted, on-failure, on-request, never"),
	    "errors: an unused profile is checked too");
	ok(load("nope", NULL) == -1 && has(errbuf, "profile 'nope' not found"),
	    "errors: -p names a missing profile");
	write_config("profile = \"gone\"\n");
	ok(load(NULL, NULL) == -1 && has(errbuf, "profile 'gone' not found"),
	    "errors: the profile key names a missing profile");
	remove_config();
	ok(load(NULL, "model_reasoning_effort=extreme", NULL) == -1 &&
	    has(errbuf, "-c: invalid model_reasoning_effort 'extreme' "
	    "(valid values: none, minimal, low, medium, high, xhigh)"),
	    "errors: a bad enum from -c");
	ok(load(NULL, "model_provider=nowhere", NULL) == -1 &&
	    has(errbuf, "model_provider 'nowhere' is not defined") &&
	    has(errbuf, "openai, ollama, lmstudio"),
	    "errors: an undefined model_provider");
	ok(load(NULL, "project_doc_max_bytes=-1", NULL) == -1 &&
	    has(errbuf, "must be at least 0"), "errors: a negative size");
	write_config("model = \"a\"\n");
	if (chmod(cfgpath, 0) == 0 && geteuid() != 0)
		ok(load(NULL, NULL) == -1 && has(errbuf, cfgpath),
		    "errors: an unreadable file is an error");
	else
		ok(1, "errors: an unreadable file # SKIP root reads all");
	(void)chmod(cfgpath, 0600);
	write_config("");
	ok(load(NULL, NULL) == 0 && streq(cfg.model, CONFIG_DEFAULT_MODEL),
	    "errors: an empty file is no error");
	remove_config();
	if (mkdir(cfgpath, 0700) == -1)
		err(1, "mkdir %s", cfgpath);
	ok(load(NULL, NULL) == -1 && has(errbuf, "not a regular file"),
	    "errors: a directory in place of the file");
	if (rmdir(cfgpath) == -1)
		err(1, "rmdir %s", cfgpath);
}

void
test_warnings(void)
{
	char	 want[PATH_MAX + 64];

	write_config(
	    "foo = 1\n"
	    "model = \"x\"\n"
	    "[sandbox_workspace_write]\n"
	    "bar = true\n"
	    "[profiles.p]\n"
	    "profile = \"q\"\n"
	    "[tui]\n"
	    "notifications = true\n"
	    "[mcp_servers.docs]\n"
	    "command = \"npx\"\n"
	    "[projects.\"/src/x\"]\n"
	    "trust_level = \"trusted\"\n");
	ok(load(NULL, NULL) == 0 && streq(cfg.model, "x"),
	    "warnings: unknown keys do not stop loading");
	xsnprintf(want, sizeof(want), "%s: unknown key 'foo'\n", cfgpath);
	ok(has(logged(), want), "warnings: top-level key named with file");
	ok(has(logged(), "unknown key 'sandbox_workspace_write.bar'") &&
	    has(logged(), "unknown key 'profiles.p.profile'"),
	    "warnings: nested and in-profile keys");
	ok(!has(logged(), "tui") && !has(logged(), "mcp_servers") &&
	    !has(logged(), "projects"),
	    "warnings: tui, mcp_servers, projects pass silently");
	remove_config();
	ok(load(NULL, "bogus.key=1", NULL) == 0 &&
	    has(logged(), "-c: unknown key 'bogus'"),
	    "warnings: -c with an unknown key");
	ok(load(NULL, "disable_response_storage=true", NULL) == 0 &&
	    has(logged(), "'disable_response_storage' is ignored"),
	    "warnings: disable_response_storage is accepted, ignored");
}

void
test_providers(void)
{
	const struct provider	*p;

	write_config(
	    "model_provider = \"proxy\"\n"
	    "[model_providers.openai]\n"
	    "base_url = \"http://127.0.0.1:8080/v1\"\n"
	    "[model_providers.proxy]\n"
	    "name = \"Corp proxy\"\n"
	    "base_url = \"https://llm.example.com:8443/v1\"\n"
	    "env_key = \"CORP_KEY\"\n"
	    "env_key_instructions = \"ask IT\"\n"
	    "wire_api = \"chat\"\n"
	    "query_params = { api-version = \"2025-04-01\" }\n"
	    "http_headers = { X-Team = \"infra\" }\n"
	    "env_http_headers = { X-Trace = \"TRACE_ID\" }\n"
	    "request_max_retries = 1000\n"
	    "stream_max_retries = 0\n"
	    "stream_idle_timeout_ms = 1500\n"
	    "requires_openai_auth = false\n");
	ok(load(NULL, NULL) == 0, "providers: a file with providers loads");
	p = config_provider_find(&cfg, "openai");
	ok(p != NULL && streq(p->base_url, "http://127.0.0.1:8080/v1") &&
	    streq(p->env_key, "OPENAI_API_KEY") && streq(p->name, "OpenAI") &&
	    p->requires_openai_auth,
	    "providers: a built-in id changes only the fields given");
	p = config_provider(&cfg);
	ok(p != NULL && streq(p->id, "proxy") &&
	    streq(p->name, "Corp proxy") && streq(p->env_key, "CORP_KEY") &&
	    streq(p->env_key_instructions, "ask IT") &&
	    p->wire_api == CONFIG_WIRE_CHAT,
	    "providers: a new provider, selected");
	ok(p != NULL && streq(kv(&p->query_params, "api-version"),
	    "2025-04-01") && streq(kv(&p->http_headers, "X-Team"), "infra") &&
	    streq(kv(&p->env_http_headers, "X-Trace"), "TRACE_ID"),
	    "providers: query_params and headers");
	ok(p != NULL && p->request_max_retries == 100 &&
	    p->stream_max_retries == 0 && p->stream_idle_timeout_ms == 1500 &&
	    !p->requires_openai_auth,
	    "providers: retries capped at 100, timeout");
	write_config("[model_providers.bad]\nhttp_headers = "
	    "{ \"X-A\" = \"1\\r\\nX-Evil: 2\" }\n");
	ok(load(NULL, NULL) == -1 && has(errbuf, "control characters"),
	    "providers: no line breaks in header values");
	write_config("[model_providers.bad]\nhttp_headers = "
	    "{ \"Bad Name\" = \"1\" }\n");
	ok(load(NULL, NULL) == -1 && has(errbuf, "not a valid HTTP header"),
	    "providers: header names are tokens");
	write_config("[model_providers.bad]\nbase_url = \"ftp://x/\"\n");
	ok(load(NULL, NULL) == -1 &&
	    has(errbuf, "'model_providers.bad.base_url'") &&
	    has(errbuf, "unsupported scheme 'ftp'"),
	    "providers: a bad base_url is an error at load");
	write_config("[model_providers.nourl]\nname = \"x\"\n");
	ok(load(NULL, NULL) == 0 &&
	    streq(config_provider_find(&cfg, "nourl")->base_url,
	    CONFIG_OPENAI_BASE_URL) && has(logged(), "has no base_url"),
	    "providers: no base_url means OpenAI's, with a warning");
	remove_config();
	(void)setenv("CODEX_OSS_PORT", "5555", 1);
	ok(load(NULL, NULL) == 0 &&
	    streq(config_provider_find(&cfg, "ollama")->base_url,
	    "http://localhost:5555/v1"), "providers: CODEX_OSS_PORT");
	(void)setenv("CODEX_OSS_PORT", "port", 1);
	ok(load(NULL, NULL) == -1 && has(errbuf, "CODEX_OSS_PORT"),
	    "providers: a bad CODEX_OSS_PORT is an error");
	(void)unsetenv("CODEX_OSS_PORT");
}

void
test_ports(void)
{
	static const char *const bad[] = {
		"ftp://example.com/", "example.com/v1", "http://",
		"http:///v1", "http://exa mple.com/", "http://u:p@host/",
		"http://host:0/", "http://host:65536/", "http://host:/",
		"http://host:12ab/", "http://[zz::1]/", "http://[::1/",
		"http://ho%73t/", "http://host\n/"
	};
	struct config_url	 u;
	int			 ports[8], n;
	size_t			 i;
	int			 rejected = 1;

	write_config("[model_providers.a]\nbase_url = \"http://10.0.0.1:8080/v1\"\n"
	    "[model_providers.b]\nbase_url = \"http://plain.example/v1\"\n"
	    "[model_providers.c]\nbase_url = \"https://other.example/v1\"\n");
	ok(load(NULL, NULL) == 0, "ports: providers load");
	n = config_provider_ports(&cfg, ports, 8, errbuf, sizeof(errbuf));
	ok(n == 5 && ports[0] == 80 && ports[1] == 443 && ports[2] == 1234 &&
	    ports[3] == 8080 && ports[4] == 11434,
	    "ports: distinct and sorted (got %d)", n);
	ok(config_provider_ports(&cfg, ports, 3, errbuf, sizeof(errbuf)) ==
	    -1 && has(errbuf, "more than 3"), "ports: too many for the array");
	ok(config_url_parse("HTTPS://[::1]:8443/v1?x=1", &u, errbuf,
	    sizeof(errbuf)) == 0 && u.tls && u.port == 8443 &&
	    streq(u.host, "[::1]"), "url: IPv6, port, upper-case scheme");
	ok(config_url_parse("http://localhost", &u, errbuf,
	    sizeof(errbuf)) == 0 && !u.tls && u.port == 80 &&
	    streq(u.host, "localhost"), "url: http without port or path");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (config_url_parse(bad[i], &u, errbuf, sizeof(errbuf)) == 0 ||
		    errbuf[0] == '\0') {
			printf("# accepted %s\n", bad[i]);
			rejected = 0;
		}
	ok(rejected, "url: %zu kinds of garbage rejected", i);
	(void)config_url_parse("http://u:p@host/", &u, errbuf, sizeof(errbuf));
	ok(has(errbuf, "passwords in URLs are not supported"),
	    "url: credentials are refused clearly");
}

void
test_setters(void)
{
	char	 want[PATH_MAX];

	remove_config();
	ok(load(NULL, NULL) == 0, "setters: load");
	ok(config_set_sandbox(&cfg, "workspace-write", errbuf,
	    sizeof(errbuf)) == 0 &&
	    cfg.sandbox_mode == CONFIG_SANDBOX_WORKSPACE_WRITE &&
	    config_set_approval(&cfg, "never", errbuf, sizeof(errbuf)) == 0 &&
	    cfg.approval_policy == CONFIG_APPROVAL_NEVER,
	    "setters: -s and -a");
	ok(config_set_sandbox(&cfg, "full", errbuf, sizeof(errbuf)) == -1 &&
	    has(errbuf, "invalid sandbox mode 'full' (valid values: "
	    "read-only, workspace-write, danger-full-access)") &&
	    cfg.sandbox_mode == CONFIG_SANDBOX_WORKSPACE_WRITE,
	    "setters: a bad -s is refused, nothing changes");
	ok(config_set_approval(&cfg, "always", errbuf, sizeof(errbuf)) == -1,
	    "setters: a bad -a is refused");
	xsnprintf(want, sizeof(want), "%s", home);
	ok(config_set_cwd(&cfg, "codex", errbuf, sizeof(errbuf)) == 0 &&
	    streq(cfg.cwd, want), "setters: -C relative to the cwd");
	ok(config_set_cwd(&cfg, "/nonexistent/dir", errbuf,
	    sizeof(errbuf)) == -1 && config_set_cwd(&cfg, cfgpath, errbuf,
	    sizeof(errbuf)) == -1 && streq(cfg.cwd, want),
	    "setters: -C refuses missing dirs and files");
	ok(config_set_oss(&cfg, errbuf, sizeof(errbuf)) == 0 && cfg.oss &&
	    streq(cfg.model_provider, "ollama") &&
	    streq(cfg.model, CONFIG_OSS_MODEL_OLLAMA),
	    "setters: --oss picks ollama and its model");
	ok(load(NULL, "oss_provider=lmstudio", NULL) == 0 &&
	    config_set_model(&cfg, "mine", errbuf, sizeof(errbuf)) == 0 &&
	    config_set_oss(&cfg, errbuf, sizeof(errbuf)) == 0 &&
	    streq(cfg.model_provider, "lmstudio") && streq(cfg.model, "mine"),
	    "setters: --oss with oss_provider, -m kept");
	ok(config_set_model(&cfg, "", errbuf, sizeof(errbuf)) == -1,
	    "setters: an empty -m is refused");
	ok(streq(config_sandbox_name(CONFIG_SANDBOX_DANGER_FULL_ACCESS),
	    "danger-full-access") &&
	    streq(config_approval_name(CONFIG_APPROVAL_ON_FAILURE),
	    "on-failure") &&
	    streq(config_effort_name(CONFIG_EFFORT_XHIGH), "xhigh") &&
	    config_effort_name(CONFIG_EFFORT_UNSET) == NULL &&
	    streq(config_summary_name(CONFIG_SUMMARY_NONE), "none") &&
	    streq(config_wire_api_name(CONFIG_WIRE_CHAT), "chat") &&
	    config_sandbox_name(7) == NULL,
	    "names: Codex's spelling back");
}
