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

#ifndef AGENT_MODEL_H
#define AGENT_MODEL_H

#include <stdint.h>

#include <jansson.h>

#include "imsg/proc.h"

struct config;
struct provider;

/* A credential read for one provider, held until it is sent. */
struct cred {
	int		 kind;		/* enum cred_kind, -1: none */
	char		*secret;	/* key, or the tokens as JSON */
	size_t		 len;
};

/* auth.c */
void		 auth_init(void);
int		 auth_read(const struct provider *, const char *, struct cred *,
		    char *, size_t);
void		 auth_send(struct peer *, const struct config *, const char *);
void		 auth_wipe_cred(struct cred *);
void		 auth_store_tokens(struct peer *, struct imsg *);
__dead void	 auth_login(int, char **);
__dead void	 auth_logout(int, char **);

/* model.c */
void		 model_config(struct peer *, const struct config *);
void		 model_request(struct peer *, uint32_t, json_t *);
void		 model_cancel(struct peer *, uint32_t);
void		 model_set_handler(void (*)(uint32_t, json_t *));
int		 model_ports(const struct config *, char **, size_t, char *,
		    size_t);
extern const struct dispatch model_dispatch[];

/* debugmodel.c */
__dead void	 debug_model(int, char **);

/* privsep.c */
void		 privsep_netproc_ports(char **);

#endif /* AGENT_MODEL_H */
