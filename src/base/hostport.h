/* hostport.h - a database server address as the Configuration Tool's
 * database tabs carry it: host:port, [IPv6]:port, or SQL Server's
 * host,port.  Read by the settings validator ([endpoint] old/new) and the
 * endpoint checks; probed by endpoint.h.
 * UI-free: never include curses here. */
#ifndef OSM_HOSTPORT_H
#define OSM_HOSTPORT_H

#include <stdbool.h>
#include <stddef.h>

#define EP_HOST_MAX 256

struct endpoint {
	char host[EP_HOST_MAX];   /* name or address, without IPv6 brackets */
	char port[6];             /* decimal, 1..65535 */
};

/* Parse "host:port", "[v6]:port" or "host,port" (surrounding blanks are
 * ignored).  Returns false and fills msg with what is wrong and how to
 * write it instead. */
bool endpoint_parse(const char *text, struct endpoint *ep, char *msg, size_t msglen);
/* "host:port" or "[v6]:port", for messages. */
void endpoint_format(const struct endpoint *ep, char *buf, size_t len);

#endif
