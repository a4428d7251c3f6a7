/* sha256.h - SHA-256 (FIPS 180-4), for digests of evidence files and
 * pages: what was compared is named by its digest in the records. */
#ifndef OSM_SHA256_H
#define OSM_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t h[8];
	uint64_t len;         /* bytes so far */
	unsigned char buf[64];
	size_t nbuf;
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t len);
/* The digest as 64 lowercase hex digits and a NUL. */
void sha256_final_hex(struct sha256 *s, char out[65]);
void sha256_hex(const void *data, size_t len, char out[65]);

#endif
