/* proof-listener - hostile servers on 127.0.0.1 for tests/e2e/proof_hostile.sh.
 *
 *   proof-listener MODE PORTFILE
 *
 * Binds 127.0.0.1 on a port the kernel picks, writes the port to PORTFILE
 * (atomically: PORTFILE.tmp then rename) and serves every connection in
 * MODE, one at a time, until its parent goes away or 120 s pass:
 *
 *   pg-close      reads the PostgreSQL startup packet (answers 'N' to an
 *                 SSLRequest first), then closes: the handshake is cut
 *   pg-midquery   completes the handshake (AuthenticationOk, parameter
 *                 statuses, BackendKeyData, ReadyForQuery), then closes as
 *                 soon as the first query arrives
 *   pg-rogue-error   answers the startup packet with a FATAL ErrorResponse
 *                 whose text holds terminal escape sequences, a carriage
 *                 return, a fake "ok" line and bidi controls
 *   pg-rogue-notice  completes the handshake with 2000 NoticeResponses of
 *                 that text after AuthenticationOk, sends 2000 more for
 *                 the first query and answers it with an ErrorResponse of
 *                 that text
 *   http-redirect answers every request with 302 to the same path: a
 *                 redirect loop
 *   http-half     announces a 100000-byte body, sends 10 bytes, closes
 *   silent        accepts and never says a word (connections held open)
 *   freeport      prints a free port and exits (for servers that cannot
 *                 bind port 0 themselves)
 *   leak          loses 4096 bytes and exits 0: the control that shows
 *                 proof_valgrind.sh's valgrind invocation does catch a
 *                 definite leak
 *
 * Loopback only; never a test target other than itself. */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static void die(const char *what)
{
	perror(what);
	exit(1);
}

/* Read exactly n bytes within 10 s; false on EOF, error or timeout. */
static int read_full(int fd, void *buf, size_t n)
{
	size_t got = 0;

	while (got < n) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t r;

		if (poll(&p, 1, 10000) <= 0)
			return 0;
		r = read(fd, (char *)buf + got, n - got);
		if (r <= 0)
			return 0;
		got += (size_t)r;
	}
	return 1;
}

static void write_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;

	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w <= 0)
			return;
		p += w;
		n -= (size_t)w;
	}
}

static uint32_t be32(const unsigned char *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static void put32(unsigned char *b, uint32_t v)
{
	b[0] = v >> 24;
	b[1] = v >> 16;
	b[2] = v >> 8;
	b[3] = v;
}

/* Read one startup packet; 1 when it was a real StartupMessage. */
static int pg_startup(int fd)
{
	for (;;) {
		unsigned char hdr[8], rest[10000];
		uint32_t len;

		if (!read_full(fd, hdr, 8))
			return 0;
		len = be32(hdr);
		if (len < 8 || len > sizeof(rest) + 8)
			return 0;
		if (len > 8 && !read_full(fd, rest, len - 8))
			return 0;
		if (be32(hdr + 4) == 80877103u || be32(hdr + 4) == 80877104u) {
			write_all(fd, "N", 1);  /* no SSL / no GSS: go on in clear */
			continue;
		}
		return 1;
	}
}

static void pg_msg(int fd, char type, const void *body, size_t n)
{
	unsigned char h[5];

	h[0] = (unsigned char)type;
	put32(h + 1, (uint32_t)(n + 4));
	write_all(fd, h, 5);
	write_all(fd, body, n);
}

static void pg_param(int fd, const char *k, const char *v)
{
	char b[256];
	size_t kl = strlen(k) + 1, vl = strlen(v) + 1;

	memcpy(b, k, kl);
	memcpy(b + kl, v, vl);
	pg_msg(fd, 'S', b, kl + vl);
}

/* What a rogue server says: escape sequences (window title, clear screen,
 * colour), a carriage return and newline before a fake verdict, and a
 * right-to-left override, U+202E, in UTF-8. */
#define ROGUE_TEXT "\033]0;owned\007\033[2J\033[1;32mALL CHECKS PASSED\033[0m\r\n" \
	"osmigrate: ok \342\200\256evil"

/* ErrorResponse ('E') or NoticeResponse ('N') with text as its message. */
static void pg_report(int fd, char type, const char *severity, const char *text)
{
	char b[1024];
	size_t n = 0;
	const char *f[][2] = { { "S", severity }, { "V", severity }, { "C", "XX000" }, { "M", text } };

	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		size_t l = strlen(f[i][1]) + 1;

		b[n++] = f[i][0][0];
		memcpy(b + n, f[i][1], l);
		n += l;
	}
	b[n++] = '\0';
	pg_msg(fd, type, b, n);
}

static void serve_pg(int fd, int midquery, int rogue)
{
	unsigned char b[8];

	if (!pg_startup(fd))
		return;
	if (rogue == 1) {
		pg_report(fd, 'E', "FATAL", ROGUE_TEXT);
		return;
	}
	if (!midquery && !rogue)
		return;
	put32(b, 0);
	pg_msg(fd, 'R', b, 4);  /* AuthenticationOk */
	if (rogue)  /* libpq takes notices from here on, not before */
		for (int i = 0; i < 2000; i++)
			pg_report(fd, 'N', "WARNING", ROGUE_TEXT);
	pg_param(fd, "server_version", "15.4");
	pg_param(fd, "server_encoding", "UTF8");
	pg_param(fd, "client_encoding", "UTF8");
	pg_param(fd, "DateStyle", "ISO, MDY");
	pg_param(fd, "integer_datetimes", "on");
	pg_param(fd, "standard_conforming_strings", "on");
	pg_param(fd, "TimeZone", "UTC");
	put32(b, 4242);
	put32(b + 4, 0x5eed);
	pg_msg(fd, 'K', b, 8);  /* BackendKeyData */
	pg_msg(fd, 'Z', "I", 1);  /* ReadyForQuery, idle */
	/* The first byte of the first query is enough: the close lands while
	 * the client waits for its result. */
	read_full(fd, b, 1);
	if (rogue) {
		for (int i = 0; i < 2000; i++)
			pg_report(fd, 'N', "NOTICE", ROGUE_TEXT);
		pg_report(fd, 'E', "ERROR", ROGUE_TEXT);
		pg_msg(fd, 'Z', "I", 1);
		/* The client hangs up on the error: wait for it to. */
		while (read_full(fd, b, 1))
			;
	}
}

static void serve_http(int fd, int redirect)
{
	char req[8192], path[2048] = "/", out[4096];
	size_t n = 0;

	/* Up to the end of the request head. */
	while (n < sizeof(req) - 1) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t r;

		if (poll(&p, 1, 10000) <= 0)
			return;
		r = read(fd, req + n, sizeof(req) - 1 - n);
		if (r <= 0)
			return;
		n += (size_t)r;
		req[n] = '\0';
		if (strstr(req, "\r\n\r\n"))
			break;
	}
	sscanf(req, "%*s %2047s", path);
	if (redirect) {
		snprintf(out, sizeof(out),
			 "HTTP/1.1 302 Found\r\nLocation: %s\r\nContent-Length: 0\r\n"
			 "Connection: close\r\n\r\n", path);
		write_all(fd, out, strlen(out));
	} else {
		snprintf(out, sizeof(out),
			 "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n"
			 "Connection: close\r\n\r\n<html><bo");
		write_all(fd, out, strlen(out));
	}
}

int main(int argc, char **argv)
{
	struct sockaddr_in a;
	socklen_t al = sizeof(a);
	int l, one = 1;
	time_t end = time(NULL) + 120;
	pid_t parent = getppid();
	const char *mode;

	if (argc < 2) {
		fprintf(stderr, "usage: proof-listener MODE [PORTFILE]\n");
		return 64;
	}
	mode = argv[1];
	if (strcmp(mode, "leak") == 0) {
		volatile char *lost = malloc(4096);

		if (lost)
			lost[0] = 1;
		lost = NULL;
		return 0;
	}
	signal(SIGPIPE, SIG_IGN);
	l = socket(AF_INET, SOCK_STREAM, 0);
	if (l < 0)
		die("socket");
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(l, (struct sockaddr *)&a, sizeof(a)) < 0)
		die("bind");
	if (getsockname(l, (struct sockaddr *)&a, &al) < 0)
		die("getsockname");
	if (strcmp(mode, "freeport") == 0) {
		printf("%u\n", ntohs(a.sin_port));
		return 0;
	}
	if (argc < 3) {
		fprintf(stderr, "usage: proof-listener MODE PORTFILE\n");
		return 64;
	}
	if (strcmp(mode, "pg-close") && strcmp(mode, "pg-midquery") &&
	    strcmp(mode, "pg-rogue-error") && strcmp(mode, "pg-rogue-notice") &&
	    strcmp(mode, "http-redirect") && strcmp(mode, "http-half") && strcmp(mode, "silent")) {
		fprintf(stderr, "proof-listener: unknown mode %s\n", mode);
		return 64;
	}
	if (listen(l, 16) < 0)
		die("listen");
	{
		char tmp[4096];
		FILE *f;

		snprintf(tmp, sizeof(tmp), "%s.tmp", argv[2]);
		f = fopen(tmp, "w");
		if (!f)
			die(tmp);
		fprintf(f, "%u\n", ntohs(a.sin_port));
		if (fclose(f) != 0 || rename(tmp, argv[2]) != 0)
			die(argv[2]);
	}
	while (time(NULL) < end && getppid() == parent) {
		struct pollfd p = { .fd = l, .events = POLLIN };
		int c;

		if (poll(&p, 1, 500) <= 0)
			continue;
		c = accept(l, NULL, NULL);
		if (c < 0)
			continue;
		if (strcmp(mode, "silent") == 0)
			continue;  /* held open until exit: the client waits */
		if (strcmp(mode, "pg-close") == 0)
			serve_pg(c, 0, 0);
		else if (strcmp(mode, "pg-midquery") == 0)
			serve_pg(c, 1, 0);
		else if (strcmp(mode, "pg-rogue-error") == 0)
			serve_pg(c, 0, 1);
		else if (strcmp(mode, "pg-rogue-notice") == 0)
			serve_pg(c, 0, 2);
		else
			serve_http(c, strcmp(mode, "http-redirect") == 0);
		close(c);
	}
	return 0;
}
