/* value.h: typed values of the scenario language, read from one token.
 *
 * Each function reads a whole token (struct lex_tok) and returns false if
 * the token is not exactly a value of its kind; the caller words the error.
 * Nothing here allocates or keeps a pointer to the token.
 */
#ifndef PCAPGEN_VALUE_H
#define PCAPGEN_VALUE_H

#include <stdbool.h>
#include <stdint.h>

#include "lex.h"

/* Longest duration: 2^32-1 s is all of pcap's clock, so anything longer
 * can only be a typo. */
#define VALUE_DURATION_MAX_NS ((uint64_t)UINT32_MAX * 1000000000u)

/* value_duration(): "250us", "1ms", "30s", "7ns" -> nanoseconds. */
bool value_duration(const struct lex_tok *t, uint64_t *ns);

/* value_utc_time(): RFC 3339 in UTC, "2026-01-05T10:00:00Z", with an
 * optional fraction of 1..9 digits before the Z, from 1970 to
 * 2106-02-07T06:28:15Z (pcap's 32-bit seconds) -> ns since 1970. */
bool value_utc_time(const struct lex_tok *t, uint64_t *ns);

/* value_endpoint(): "192.0.2.1:143" or "[2001:db8::1]:143", port 1..65535.
 * ip gets the address in network byte order (IPv4 in the first 4 bytes,
 * the rest zero). */
bool value_endpoint(
    const struct lex_tok *t, bool *is_ipv6, uint8_t ip[16], uint16_t *port);

/* value_mac(): "02:00:00:00:00:01" (two hex digits per byte). */
bool value_mac(const struct lex_tok *t, uint8_t mac[6]);

/* value_is_name(): 1..PCAPGEN_NAME_MAX of A-Z a-z 0-9 _ - . */
bool value_is_name(const struct lex_tok *t);

#endif
