/* probe_conn.h: one TCP connection of plainsight probe to a mail server.
 *
 * Connects (every address of the name in turn, at most PROBE_ADDRS_MAX),
 * sends commands, and reads lines in clear or inside TLS (OpenSSL), with
 * every wait bounded by the connection's timeout: each step (connecting,
 * a command and its answer, the TLS handshake) gets a fresh deadline and
 * fails with PROBE_IO_TIMEOUT when it passes.  Lines are capped at
 * PROBE_LINE_MAX bytes and a connection at PROBE_CONN_BYTES_MAX bytes
 * (src/bounds.h): a server gets no more of our memory or time than that.
 * Knows nothing of POP3 or IMAP.
 */
#ifndef PLAINSIGHT_PROBE_CONN_H
#define PLAINSIGHT_PROBE_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <netinet/in.h>
#include <openssl/ssl.h>

#include "bounds.h"
#include "proto/line.h"

#define PROBE_ERR_MAX 160
#define PROBE_IP_MAX 46		/* INET6_ADDRSTRLEN */

enum probe_io {
	PROBE_IO_OK,
	PROBE_IO_NO_HOST,	/* the name does not resolve */
	PROBE_IO_REFUSED,	/* nothing listens on the port */
	PROBE_IO_TIMEOUT,	/* the step's deadline passed */
	PROBE_IO_CLOSED,	/* the server closed the connection */
	PROBE_IO_TOO_LONG,	/* a line longer than PROBE_LINE_MAX */
	PROBE_IO_TOO_MUCH,	/* more than PROBE_CONN_BYTES_MAX in all */
	PROBE_IO_CLEARTEXT,	/* cleartext where a TLS record was due */
	PROBE_IO_ERROR,		/* a socket or TLS error (see err) */
	PROBE_IO_COUNT
};

struct probe_conn {
	int fd;			/* -1 when closed */
	SSL *ssl;		/* NULL until TLS started */
	BIO *rbio;		/* the TLS input, fed by us (owned by ssl) */
	bool is_eof;		/* the server closed (seen under TLS) */
	int timeout_ms;
	struct timespec deadline;	/* of the current step, monotonic */
	uint8_t in[PROBE_LINE_MAX];	/* received, not yet given out */
	size_t in_len;
	size_t line_used;	/* bytes of in[] the last line took */
	size_t total;		/* bytes received on this connection */
	char ip[PROBE_IP_MAX];	/* the address connected to */
	char err[PROBE_ERR_MAX];	/* what went wrong, for the report */
};

/* probe_conn_open(): connect to host:port within timeout_ms per address.
 * On PROBE_IO_OK the connection is open and c->ip says where; otherwise
 * c->err says why and nothing is left open.  Call probe_conn_close() in
 * both cases. */
__attribute__((warn_unused_result)) enum probe_io
probe_conn_open(struct probe_conn *c, const char *host, uint16_t port,
    int timeout_ms);

/* probe_conn_send(): start a new step (fresh deadline) and send s, in
 * clear or inside TLS. */
__attribute__((warn_unused_result)) enum probe_io
probe_conn_send(struct probe_conn *c, const char *s);

/* probe_conn_line(): the next line (without CR LF).  *out points into
 * c->in and is valid until the next call on c. */
__attribute__((warn_unused_result)) enum probe_io
probe_conn_line(struct probe_conn *c, struct line *out);

/* probe_conn_pending(): bytes received after the last line given out. */
size_t probe_conn_pending(const struct probe_conn *c);

/* probe_conn_tls(): start TLS on the connection (a fresh step) with ctx,
 * sending sni when it is not NULL.  Bytes received before (see
 * probe_conn_pending()) are dropped, never fed to TLS.  The first bytes
 * the server sends must be a TLS record: if they are not, the TLS
 * session is abandoned and PROBE_IO_CLEARTEXT returned with those bytes
 * still unread, for probe_conn_line() to read in clear.  On any other
 * failure the connection is closed: nothing more can be said on it. */
__attribute__((warn_unused_result)) enum probe_io
probe_conn_tls(struct probe_conn *c, SSL_CTX *ctx, const char *sni);

/* probe_conn_close(): close and free; safe to call twice. */
void probe_conn_close(struct probe_conn *c);

/* probe_conn_fail(): set c->err from fmt and return r, so that a failure
 * is one statement. */
__attribute__((format(printf, 3, 4))) enum probe_io
probe_conn_fail(struct probe_conn *c, enum probe_io r, const char *fmt, ...);

#endif
