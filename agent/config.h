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

#ifndef OCODEX_CONFIG_H
#define OCODEX_CONFIG_H

#include <sys/queue.h>

#include <stddef.h>
#include <stdint.h>

/*
 * The configuration of a session, compatible with Codex's config.toml.
 * config_load() builds it from these layers, each overriding the one
 * before: built-in defaults, $CODEX_HOME/config.toml, the selected
 * [profiles.NAME] table, then the `-c key.path=value' overrides.  The
 * caller applies command-line flags last with the config_set_*()
 * functions.  Everything in here is plain C; no TOML or JSON survives
 * loading.
 */

/* Codex's default model (its bundled catalogue's first listed model). */
#define CONFIG_DEFAULT_MODEL		"gpt-5.4"
#define CONFIG_DEFAULT_PROVIDER		"openai"
#define CONFIG_OPENAI_BASE_URL		"https://api.openai.com/v1"
#define CONFIG_OSS_MODEL_OLLAMA		"gpt-oss:20b"
#define CONFIG_OSS_MODEL_LMSTUDIO	"openai/gpt-oss-20b"
#define CONFIG_PROJECT_DOC_MAX_BYTES	32768
#define CONFIG_REQUEST_MAX_RETRIES	4
#define CONFIG_STREAM_MAX_RETRIES	5
#define CONFIG_RETRIES_CAP		100
#define CONFIG_STREAM_IDLE_TIMEOUT_MS	300000
/* config.toml is read whole; anything larger is refused. */
#define CONFIG_FILE_MAX			(4 * 1024 * 1024)

/*
 * The enumerations keep Codex's spelling in the names functions below.
 * The first three sandbox modes and shell_environment_policy.inherit
 * values are numbered as sandbox/policy.h numbers them.  Where Codex
 * lets a key stay unset (the model then decides), 0 means unset.
 */
enum config_sandbox {
	CONFIG_SANDBOX_READ_ONLY,
	CONFIG_SANDBOX_WORKSPACE_WRITE,
	CONFIG_SANDBOX_DANGER_FULL_ACCESS
};

enum config_approval {
	CONFIG_APPROVAL_UNTRUSTED,
	CONFIG_APPROVAL_ON_FAILURE,
	CONFIG_APPROVAL_ON_REQUEST,
	CONFIG_APPROVAL_NEVER
};

enum config_effort {
	CONFIG_EFFORT_UNSET,
	CONFIG_EFFORT_NONE,
	CONFIG_EFFORT_MINIMAL,
	CONFIG_EFFORT_LOW,
	CONFIG_EFFORT_MEDIUM,
	CONFIG_EFFORT_HIGH,
	CONFIG_EFFORT_XHIGH
};

enum config_summary {
	CONFIG_SUMMARY_UNSET,
	CONFIG_SUMMARY_AUTO,
	CONFIG_SUMMARY_CONCISE,
	CONFIG_SUMMARY_DETAILED,
	CONFIG_SUMMARY_NONE
};

enum config_verbosity {
	CONFIG_VERBOSITY_UNSET,
	CONFIG_VERBOSITY_LOW,
	CONFIG_VERBOSITY_MEDIUM,
	CONFIG_VERBOSITY_HIGH
};

enum config_wire_api {
	CONFIG_WIRE_RESPONSES,
	CONFIG_WIRE_CHAT
};

enum config_inherit {
	CONFIG_INHERIT_ALL,
	CONFIG_INHERIT_CORE,
	CONFIG_INHERIT_NONE
};

enum config_history {
	CONFIG_HISTORY_SAVE_ALL,
	CONFIG_HISTORY_NONE
};

enum config_opener {
	CONFIG_OPENER_VSCODE,
	CONFIG_OPENER_VSCODE_INSIDERS,
	CONFIG_OPENER_WINDSURF,
	CONFIG_OPENER_CURSOR,
	CONFIG_OPENER_NONE
};

/* A list of strings; unless empty, v[n] is NULL, so v can be an argv. */
struct config_strlist {
	char	**v;
	size_t	  n;
};

struct config_kv {
	char	*key;
	char	*value;
};

/* A table of strings, in the order the keys were first given. */
struct config_kvlist {
	struct config_kv	*v;
	size_t			 n;
};

/* [model_providers.<id>] */
struct provider {
	TAILQ_ENTRY(provider)	 entry;
	char			*id;
	char			*name;
	char			*base_url;
	char			*env_key;		/* may be NULL */
	char			*env_key_instructions;	/* may be NULL */
	int			 wire_api;	/* enum config_wire_api */
	struct config_kvlist	 query_params;
	struct config_kvlist	 http_headers;
	struct config_kvlist	 env_http_headers; /* header -> variable */
	int64_t			 request_max_retries;
	int64_t			 stream_max_retries;
	int64_t			 stream_idle_timeout_ms;
	int			 requires_openai_auth;
	int			 builtin;	/* openai, ollama, lmstudio */
};
TAILQ_HEAD(providerlist, provider);

struct config {
	char			*codex_home;
	char			*path;		/* $CODEX_HOME/config.toml */
	char			*profile;	/* the profile in use, or NULL */
	char			*cwd;		/* absolute */

	char			*model;
	int			 model_explicit; /* set by a layer or flag */
	int			 model_flag;	/* by config_set_model() */
	char			*model_provider;
	char			*oss_provider;	/* NULL: ollama */
	int			 oss;		/* --oss */
	int			 model_reasoning_effort; /* enum config_effort */
	int			 model_reasoning_summary; /* enum config_summary */
	int			 model_verbosity; /* enum config_verbosity */
	int64_t			 model_context_window;	/* -1: unset */
	int64_t			 model_auto_compact_token_limit; /* -1: unset */
	int64_t			 model_max_output_tokens; /* -1: unset */
	int64_t			 tool_output_token_limit; /* -1: unset */

	int			 approval_policy;	/* enum config_approval */
	int			 sandbox_mode;	/* enum config_sandbox */
	struct {
		struct config_strlist	 writable_roots; /* absolute */
		int			 network_access;
		int			 exclude_tmpdir_env_var;
		int			 exclude_slash_tmp;
	} sandbox_workspace_write;
	struct {
		int			 inherit; /* enum config_inherit */
		int			 ignore_default_excludes;
		struct config_strlist	 exclude;
		struct config_kvlist	 set;
		struct config_strlist	 include_only;
		int			 experimental_use_profile;
	} shell_environment_policy;

	struct config_strlist	 notify;
	int64_t			 project_doc_max_bytes;
	struct config_strlist	 project_doc_fallback_filenames;
	int			 hide_agent_reasoning;
	int			 show_raw_agent_reasoning;
	struct {
		int		 persistence;	/* enum config_history */
		int64_t		 max_bytes;	/* -1: unlimited */
	} history;
	int			 file_opener;	/* enum config_opener */

	struct providerlist	 providers;
};

/*
 * Load the configuration.  codex_home holds config.toml (a missing file
 * is no error); profile is the -p argument or NULL; overrides are the
 * `-c' arguments.  On failure return -1 with a message in err (for a
 * malformed file "PATH:LINE:COLUMN: message") and leave the config empty;
 * config_free() is safe either way.  Unknown keys are only warned about,
 * through log_warnx().
 */
int		 config_load(struct config *, const char *, const char *,
		    char **, int, char *, size_t);
void		 config_free(struct config *);

/* The provider model_provider names; never NULL after config_load(). */
const struct provider *config_provider(const struct config *);
const struct provider *config_provider_find(const struct config *,
		    const char *);

/*
 * The distinct TCP ports of every provider's base_url, ascending, for
 * the network helper's Landlock rules.  Return how many were stored, or
 * -1 with a message if there are more than maxports or a URL is bad.
 */
int		 config_provider_ports(const struct config *, int *, size_t,
		    char *, size_t);

/* What config_url_parse() makes of an http(s) URL. */
struct config_url {
	int	 tls;		/* https */
	char	 host[256];	/* an IPv6 address keeps its brackets */
	int	 port;		/* 443 or 80 unless given */
};
int		 config_url_parse(const char *, struct config_url *, char *,
		    size_t);

/*
 * Command-line flags, applied after config_load().  Each validates its
 * argument and returns -1 with a message in err if it is bad.
 */
int		 config_set_model(struct config *, const char *, char *,
		    size_t);
int		 config_set_sandbox(struct config *, const char *, char *,
		    size_t);
int		 config_set_approval(struct config *, const char *, char *,
		    size_t);
int		 config_set_cwd(struct config *, const char *, char *, size_t);
int		 config_set_oss(struct config *, char *, size_t);

/* Codex's spelling of enumeration values; NULL for unset or invalid. */
const char	*config_sandbox_name(int);
const char	*config_approval_name(int);
const char	*config_effort_name(int);
const char	*config_summary_name(int);
const char	*config_verbosity_name(int);
const char	*config_wire_api_name(int);
const char	*config_inherit_name(int);
const char	*config_history_name(int);
const char	*config_opener_name(int);

#endif /* OCODEX_CONFIG_H */
