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
 * Proxies for netproc.  netproc starts with an empty environment, so the
 * parent reads the proxy variables libcurl knows (http_proxy,
 * https_proxy, all_proxy, no_proxy and their upper-case forms; HTTP_PROXY
 * too, as Codex honours it) and hands them over with the configuration.
 * netproc may connect only to the ports it is given, so each proxy's
 * port joins them.  A proxy URL may hold a password: no message here
 * quotes one.
 */

#include <sys/types.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "agent/proxy.h"

static const char *const proxy_vars[] = {
	"http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY",
	"all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY", NULL
};

static int	 proxy_port(const char *);

/*
 * The port of [scheme://][user[:password]@]host[:port][/], or -1.  As in
 * libcurl, a proxy without a port is on 443 for https and 1080 for the
 * other schemes.
 */
static int
proxy_port(const char *v)
{
	static const char *const schemes[] = { "http://", "https://",
	    "socks4://", "socks4a://", "socks5://", "socks5h://", NULL };
	const char	*p, *end, *at, *colon, *errstr;
	char		 num[8];
	size_t		 i, n;
	int		 port = 1080;

	for (p = v; *p != '\0'; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			return -1;
	if ((p = strstr(v, "://")) != NULL) {
		for (i = 0; schemes[i] != NULL; i++)
			if (strncasecmp(v, schemes[i], strlen(schemes[i])) == 0)
				break;
		if (schemes[i] == NULL)
			return -1;
		if (strcmp(schemes[i], "https://") == 0)
			port = 443;
		v = p + 3;
	}
	end = v + strcspn(v, "/?#");
	for (at = NULL, p = v; p < end; p++)
		if (*p == '@')
			at = p;
	if (at != NULL)
		v = at + 1;
	if (*v == '[') {
		if ((p = memchr(v, ']', end - v)) == NULL)
			return -1;
		colon = p + 1 < end && p[1] == ':' ? p + 1 : NULL;
	} else
		colon = memchr(v, ':', end - v);
	if ((colon != NULL ? colon : end) == v)
		return -1;
	if (colon == NULL)
		return port;
	if ((n = end - colon - 1) == 0 || n >= sizeof(num))
		return -1;
	memcpy(num, colon + 1, n);
	num[n] = '\0';
	port = strtonum(num, 1, 65535, &errstr);
	return errstr == NULL ? port : -1;
}

/*
 * Collect the proxy variables set in our environment into *out (NULL
 * when none is) and add each proxy's port to the n ports (at most max).
 * Returns -1 with a message naming the variable when one is not a proxy
 * URL, so that a typo is not found out as a connection failure.
 */
int
proxy_collect(json_t **out, int *ports, int *n, int max, char *err,
    size_t errlen)
{
	const char *const	*name;
	const char		*v;
	json_t			*o = NULL;
	int			 port, i;

	*out = NULL;
	for (name = proxy_vars; *name != NULL; name++) {
		if ((v = getenv(*name)) == NULL || *v == '\0')
			continue;
		if (strcasecmp(*name, "no_proxy") != 0) {
			if ((port = proxy_port(v)) == -1) {
				(void)snprintf(err, errlen, "%s is not a proxy "
				    "URL ([scheme://][user[:password]@]host"
				    "[:port])", *name);
				json_decref(o);
				return -1;
			}
			for (i = 0; i < *n && ports[i] != port; i++)
				;
			if (i == *n && *n < max)
				ports[(*n)++] = port;
		}
		if ((o == NULL && (o = json_object()) == NULL) ||
		    json_object_set_new(o, *name, json_string(v)) == -1) {
			(void)snprintf(err, errlen, "out of memory");
			json_decref(o);
			return -1;
		}
	}
	*out = o;
	return 0;
}
