/* hostport.c - database server addresses as operators write them (see hostport.h). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "hostport.h"
#include "util.h"

static bool parse_port(const char *s, char out[6])
{
	long v = 0;

	if (!*s || strlen(s) > 5)
		return false;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return false;
		v = v * 10 + (*p - '0');
	}
	if (v < 1 || v > 65535)
		return false;
	snprintf(out, 6, "%ld", v);
	return true;
}

static bool host_ok(const char *h)
{
	if (!*h)
		return false;
	for (const unsigned char *p = (const unsigned char *)h; *p; p++)
		if (*p <= ' ' || *p == '/' || *p == '[' || *p == ']' || *p == '\\' || *p == 0x7f)
			return false;
	return true;
}

bool endpoint_parse(const char *text, struct endpoint *ep, char *msg, size_t msglen)
{
	char buf[EP_HOST_MAX + 16];
	char *s, *host, *port, *sep;

	memset(ep, 0, sizeof *ep);
	if (str_empty(text)) {
		snprintf(msg, msglen, "no address given: write host:port "
			 "(SQL Server usually listens on 1433, Oracle on 1521)");
		return false;
	}
	if (strlen(text) >= sizeof buf) {
		snprintf(msg, msglen, "the address is longer than %d characters: "
			 "write host:port", EP_HOST_MAX - 1);
		return false;
	}
	strcpy(buf, text);
	s = str_trim(buf);
	if (strchr(s, '\\')) {
		/* SQL Server named instances find their port through the SQL Browser
		 * (UDP 1434), which a TCP probe cannot follow. */
		snprintf(msg, msglen, "'%s' names a SQL Server instance: write the TCP "
			 "port the instance listens on instead, as host:port", s);
		return false;
	}
	if (*s == '[') {
		host = s + 1;
		sep = strchr(host, ']');
		if (!sep) {
			snprintf(msg, msglen, "'%s' has no closing ']': write [IPv6]:port, "
				 "for example [2001:db8::5]:1433", s);
			return false;
		}
		*sep = '\0';
		if (sep[1] != ':' && sep[1] != ',') {
			snprintf(msg, msglen, "no port after ']' in '%s': write [IPv6]:port, "
				 "for example [%s]:1433", text, host);
			return false;
		}
		port = sep + 2;
	} else {
		char *colon = strchr(s, ':');
		char *comma = strchr(s, ',');

		if (colon && strchr(colon + 1, ':')) {
			snprintf(msg, msglen, "'%s' looks like an IPv6 address: put it in brackets "
				 "and add the port, for example [%s]:1433", s, s);
			return false;
		}
		if (colon && comma) {
			snprintf(msg, msglen, "'%s' has both ':' and ',': write host:port", s);
			return false;
		}
		sep = colon ? colon : comma;
		if (!sep) {
			snprintf(msg, msglen, "no port in '%s': write host:port "
				 "(SQL Server usually listens on 1433, Oracle on 1521)", s);
			return false;
		}
		*sep = '\0';
		host = s;
		port = sep + 1;
	}
	if (!host_ok(host) || strlen(host) >= EP_HOST_MAX) {
		snprintf(msg, msglen, "'%s' is not a host name or address: write host:port, "
			 "for example db1.example.com:1433", text);
		return false;
	}
	if (!parse_port(port, ep->port)) {
		snprintf(msg, msglen, "'%s' is not a port number (1-65535) in '%s'", port, text);
		return false;
	}
	strcpy(ep->host, host);
	return true;
}

void endpoint_format(const struct endpoint *ep, char *buf, size_t len)
{
	if (strchr(ep->host, ':'))
		snprintf(buf, len, "[%s]:%s", ep->host, ep->port);
	else
		snprintf(buf, len, "%s:%s", ep->host, ep->port);
}
