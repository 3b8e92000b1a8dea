/* probe_tls.h: the TLS side of plainsight probe (OpenSSL).
 *
 * Makes the client context, and after a handshake judges what the server
 * showed: the protocol version and cipher, and its certificate: chain
 * verified against the system's trusted CAs or --ca-file, the name the
 * user gave, the validity dates, self-signed or not, the key's strength.
 * The handshake itself never fails on a bad certificate (it is verified,
 * not enforced), so that everything can be reported at once.
 */
#ifndef PLAINSIGHT_PROBE_TLS_H
#define PLAINSIGHT_PROBE_TLS_H

#include <stdbool.h>
#include <stddef.h>

#include <openssl/ssl.h>

#include "probe/probe_out.h"

/* A certificate that expires within this many days is a warning: time
 * to renew.  Two weeks leaves room to act after a failed automatic
 * renewal, which usually runs 30 days before expiry. */
#define PROBE_TLS_EXPIRY_WARN_DAYS 14

/* probe_tls_ctx_new(): a client context that trusts ca_file (PEM) or,
 * when it is NULL, the system's trusted CAs.  NULL on error, with err
 * saying why.  Free with SSL_CTX_free(). */
__attribute__((warn_unused_result)) SSL_CTX *
probe_tls_ctx_new(const char *ca_file, char *err, size_t err_cap);

/* probe_tls_sni(): the name to send as SNI for host: host itself, or NULL
 * for an IP address (RFC 6066 3: literal addresses are not sent). */
const char *probe_tls_sni(const char *host);

/* probe_tls_check(): set t's rows tls_version, tls_cipher and cert_* from
 * ssl, whose handshake is done.  The certificate's names are matched
 * against name (a DNS name or an IP address); has_ca_file says what the
 * chain was verified against, for the reason. */
void probe_tls_check(struct probe_target *t, SSL *ssl, const char *name,
    bool has_ca_file);

#endif
