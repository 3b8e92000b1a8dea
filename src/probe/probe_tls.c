/* probe_tls.c: client context and the TLS and certificate checks of
 * plainsight probe (probe_tls.h).
 *
 * RFC 8996 (TLS 1.0 and 1.1 deprecated), RFC 6125 (names in
 * certificates: OpenSSL's X509_check_host / X509_check_ip_asc), RFC 6066
 * (SNI), NIST SP 800-57 (112-bit security as the floor for keys).  Judges
 * a session that is already up; does not connect or read lines.
 * Certificate text (names) is the server's: it is reduced to a safe set
 * of characters before it is quoted.
 */
#include "probe/probe_tls.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

/* How many of the certificate's names a name mismatch quotes. */
#define NAMES_QUOTED_MAX 3

SSL_CTX *
probe_tls_ctx_new(const char *ca_file, char *err, size_t err_cap)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	char buf[120];

	if (ctx == NULL)
		goto fail;
	/* To report a weak server we must be able to talk to it: every
	 * version and cipher OpenSSL still has is allowed, and judged after
	 * the handshake (tls_version, tls_cipher, cert_key).  The strong
	 * ones come first, anonymous and NULL ciphers last, so only a server
	 * that prefers weak ones gets them; the probe sends no secret for
	 * them to expose. */
	SSL_CTX_set_security_level(ctx, 0);
	if (SSL_CTX_set_min_proto_version(ctx, TLS1_VERSION) != 1 ||
	    SSL_CTX_set_cipher_list(ctx,
		"ALL:eNULL:+aNULL:+eNULL:@SECLEVEL=0") != 1)
		goto fail;
	SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
	/* Verified, not enforced: the result is read after the handshake. */
	SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	if (ca_file != NULL) {
		if (SSL_CTX_load_verify_locations(ctx, ca_file, NULL) != 1) {
			ERR_error_string_n(ERR_peek_last_error(), buf,
			    sizeof(buf));
			snprintf(err, err_cap,
			    "--ca-file %s: no certificate could be read (%s)",
			    ca_file, buf);
			ERR_clear_error();
			SSL_CTX_free(ctx);
			return NULL;
		}
	} else if (SSL_CTX_set_default_verify_paths(ctx) != 1)
		goto fail;
	return ctx;
fail:
	ERR_error_string_n(ERR_peek_last_error(), buf, sizeof(buf));
	snprintf(err, err_cap, "OpenSSL: %s", buf);
	ERR_clear_error();
	SSL_CTX_free(ctx);
	return NULL;
}

static bool
is_ip_literal(const char *host)
{
	unsigned char a[16];

	return inet_pton(AF_INET, host, a) == 1 ||
	    inet_pton(AF_INET6, host, a) == 1;
}

const char *
probe_tls_sni(const char *host)
{
	return is_ip_literal(host) ? NULL : host;
}

static void
check_version(struct probe_target *t, SSL *ssl)
{
	const char *name = SSL_get_version(ssl);
	struct probe_row *row;

	if (SSL_version(ssl) >= TLS1_2_VERSION)
		row = probe_out_set(t, PROBE_CHECK_TLS_VERSION, PROBE_PASS,
		    "%s", name);
	else
		row = probe_out_set(t, PROBE_CHECK_TLS_VERSION, PROBE_FAIL,
		    "%s is deprecated (RFC 8996): the server should offer "
		    "TLS 1.2 or 1.3",
		    name);
	snprintf(row->value, sizeof(row->value), "%s", name);
}

static void
check_cipher(struct probe_target *t, SSL *ssl)
{
	const SSL_CIPHER *ci = SSL_get_current_cipher(ssl);
	struct probe_row *row;

	if (ci == NULL) {
		probe_out_set(t, PROBE_CHECK_TLS_CIPHER, PROBE_ERROR,
		    "no cipher negotiated");
		return;
	}
	const char *name = SSL_CIPHER_get_name(ci);
	int bits = SSL_CIPHER_get_bits(ci, NULL);

	if (bits == 0)
		row = probe_out_set(t, PROBE_CHECK_TLS_CIPHER, PROBE_FAIL,
		    "%s: no encryption at all", name);
	else if (bits < 128)
		row = probe_out_set(t, PROBE_CHECK_TLS_CIPHER, PROBE_FAIL,
		    "%s: %d-bit, weaker than 128", name, bits);
	else if (SSL_CIPHER_get_kx_nid(ci) == NID_kx_rsa)
		row = probe_out_set(t, PROBE_CHECK_TLS_CIPHER, PROBE_WARN,
		    "%s: RSA key exchange, no forward secrecy", name);
	else if (!SSL_CIPHER_is_aead(ci))
		row = probe_out_set(t, PROBE_CHECK_TLS_CIPHER, PROBE_WARN,
		    "%s: CBC mode, not an AEAD cipher", name);
	else
		row = probe_out_set(t, PROBE_CHECK_TLS_CIPHER, PROBE_PASS,
		    "%s, %d-bit", name, bits);
	snprintf(row->value, sizeof(row->value), "%s", name);
}

/* Append a name from the certificate, made safe, to buf. */
static void
append_name(char *buf, size_t cap, const unsigned char *p, int len)
{
	size_t n = strlen(buf);

	if (n > 0 && n + 2 < cap) {
		memcpy(buf + n, ", ", 3);
		n += 2;
	}
	for (int i = 0; i < len && i < 64 && n + 1 < cap; i++) {
		unsigned char b = p[i];
		bool is_ok = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') ||
		    (b >= '0' && b <= '9') || b == '.' || b == '-' ||
		    b == '*' || b == '_' || b == ':';

		buf[n++] = is_ok ? (char)b : '?';
	}
	buf[n] = '\0';
}

/* The first names the certificate is for (DNS and IP subjectAltNames,
 * or the subject's CN when it has none). */
static void
cert_names(X509 *cert, char *buf, size_t cap)
{
	GENERAL_NAMES *gens =
	    X509_get_ext_d2i(cert, NID_subject_alt_name, NULL, NULL);
	int shown = 0;

	buf[0] = '\0';
	for (int i = 0; gens != NULL && i < sk_GENERAL_NAME_num(gens) &&
	     shown < NAMES_QUOTED_MAX; i++) {
		const GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);

		if (g->type == GEN_DNS) {
			append_name(buf, cap,
			    ASN1_STRING_get0_data(g->d.dNSName),
			    ASN1_STRING_length(g->d.dNSName));
			shown++;
		} else if (g->type == GEN_IPADD) {
			int len = ASN1_STRING_length(g->d.iPAddress);
			char ip[PROBE_IP_MAX];

			if ((len == 4 || len == 16) &&
			    inet_ntop(len == 4 ? AF_INET : AF_INET6,
				ASN1_STRING_get0_data(g->d.iPAddress), ip,
				sizeof(ip)) != NULL) {
				append_name(buf, cap, (const unsigned char *)ip,
				    (int)strlen(ip));
				shown++;
			}
		}
	}
	GENERAL_NAMES_free(gens);
	if (shown > 0)
		return;
	X509_NAME *subject = X509_get_subject_name(cert);
	int idx = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);

	if (idx >= 0) {
		ASN1_STRING *cn =
		    X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, idx));

		append_name(buf, cap, ASN1_STRING_get0_data(cn),
		    ASN1_STRING_length(cn));
	}
	if (buf[0] == '\0')
		snprintf(buf, cap, "no name");
}

static void
check_name(struct probe_target *t, X509 *cert, const char *name)
{
	bool is_match = is_ip_literal(name)
	    ? X509_check_ip_asc(cert, name, 0) == 1
	    : X509_check_host(cert, name, strlen(name), 0, NULL) == 1;
	char names[160];

	if (is_match) {
		probe_out_set(t, PROBE_CHECK_CERT_NAME, PROBE_PASS,
		    "matches %s", name);
		return;
	}
	cert_names(cert, names, sizeof(names));
	probe_out_set(t, PROBE_CHECK_CERT_NAME, PROBE_FAIL,
	    "does not match %s: the certificate is for %s", name, names);
}

static void
check_chain(struct probe_target *t, SSL *ssl, bool has_ca_file)
{
	long v = SSL_get_verify_result(ssl);
	const char *store = has_ca_file ? "--ca-file" : "the system's CAs";
	struct probe_row *row;

	if (v == X509_V_OK) {
		probe_out_set(t, PROBE_CHECK_CERT_CHAIN, PROBE_PASS,
		    "verified against %s", store);
		return;
	}
	row = probe_out_set(t, PROBE_CHECK_CERT_CHAIN, PROBE_FAIL,
	    "not verified against %s: %s", store,
	    X509_verify_cert_error_string(v));
	snprintf(row->value, sizeof(row->value), "%ld", v);
}

static bool
time_tm(const ASN1_TIME *at, struct tm *tm)
{
	memset(tm, 0, sizeof(*tm));
	return at != NULL && ASN1_TIME_to_tm(at, tm) == 1;
}

static void
check_expiry(struct probe_target *t, X509 *cert)
{
	const ASN1_TIME *not_before = X509_get0_notBefore(cert);
	const ASN1_TIME *not_after = X509_get0_notAfter(cert);
	struct tm nb, na;
	int days = 0, secs = 0;
	struct probe_row *row;

	if (!time_tm(not_before, &nb) || !time_tm(not_after, &na) ||
	    ASN1_TIME_diff(&days, &secs, NULL, not_after) != 1) {
		probe_out_set(t, PROBE_CHECK_CERT_EXPIRY, PROBE_FAIL,
		    "the validity dates cannot be read");
		return;
	}
	char date[40];

	snprintf(date, sizeof(date), "%04d-%02d-%02d", na.tm_year + 1900,
	    na.tm_mon + 1, na.tm_mday);
	if (X509_cmp_current_time(not_before) > 0)
		row = probe_out_set(t, PROBE_CHECK_CERT_EXPIRY, PROBE_FAIL,
		    "not valid yet: valid from %04d-%02d-%02d",
		    nb.tm_year + 1900, nb.tm_mon + 1, nb.tm_mday);
	else if (X509_cmp_current_time(not_after) <= 0)
		row = probe_out_set(t, PROBE_CHECK_CERT_EXPIRY, PROBE_FAIL,
		    "expired on %s, %d day%s ago", date, -days,
		    days == -1 ? "" : "s");
	else if (days < PROBE_TLS_EXPIRY_WARN_DAYS)
		row = probe_out_set(t, PROBE_CHECK_CERT_EXPIRY, PROBE_WARN,
		    "expires on %s, in %d day%s: renew it", date, days,
		    days == 1 ? "" : "s");
	else
		row = probe_out_set(t, PROBE_CHECK_CERT_EXPIRY, PROBE_PASS,
		    "valid until %s, %d days left", date, days);
	snprintf(row->value, sizeof(row->value),
	    "%04d-%02d-%02dT%02d:%02d:%02dZ", na.tm_year + 1900, na.tm_mon + 1,
	    na.tm_mday, na.tm_hour, na.tm_min, na.tm_sec);
	row->has_days_left = true;
	row->days_left = days;
}

static void
check_self_signed(struct probe_target *t, X509 *cert)
{
	if (X509_self_signed(cert, 1) == 1)
		probe_out_set(t, PROBE_CHECK_CERT_SELF_SIGNED, PROBE_FAIL,
		    "self-signed: no CA vouches for it, clients warn or "
		    "refuse");
	else
		probe_out_set(t, PROBE_CHECK_CERT_SELF_SIGNED, PROBE_PASS,
		    "issued by a CA");
}

static const char *
key_type(const EVP_PKEY *pk)
{
	switch (EVP_PKEY_get_base_id(pk)) {
	case EVP_PKEY_RSA:
		return "RSA";
	case EVP_PKEY_RSA_PSS:
		return "RSA-PSS";
	case EVP_PKEY_EC:
		return "EC";
	case EVP_PKEY_DSA:
		return "DSA";
	case EVP_PKEY_ED25519:
		return "Ed25519";
	case EVP_PKEY_ED448:
		return "Ed448";
	default:
		return "unknown";
	}
}

static void
check_key(struct probe_target *t, X509 *cert)
{
	EVP_PKEY *pk = X509_get0_pubkey(cert);
	struct probe_row *row;

	if (pk == NULL) {
		probe_out_set(t, PROBE_CHECK_CERT_KEY, PROBE_FAIL,
		    "the public key cannot be read");
		return;
	}
	const char *type = key_type(pk);
	int bits = EVP_PKEY_get_bits(pk);

	/* 112-bit security: RSA and DSA of 2048 bits, EC of 224. */
	if (EVP_PKEY_get_security_bits(pk) < 112)
		row = probe_out_set(t, PROBE_CHECK_CERT_KEY, PROBE_FAIL,
		    "%s %d bits: too weak (RSA needs 2048 bits, EC 224)", type,
		    bits);
	else
		row = probe_out_set(t, PROBE_CHECK_CERT_KEY, PROBE_PASS,
		    "%s %d bits", type, bits);
	snprintf(row->value, sizeof(row->value), "%s %d", type, bits);
}

void
probe_tls_check(struct probe_target *t, SSL *ssl, const char *name,
    bool has_ca_file)
{
	check_version(t, ssl);
	check_cipher(t, ssl);
	X509 *cert = SSL_get0_peer_certificate(ssl);

	if (cert == NULL) {
		static const enum probe_check certs[] = {
			PROBE_CHECK_CERT_CHAIN, PROBE_CHECK_CERT_NAME,
			PROBE_CHECK_CERT_EXPIRY, PROBE_CHECK_CERT_SELF_SIGNED,
			PROBE_CHECK_CERT_KEY,
		};

		for (size_t i = 0; i < sizeof(certs) / sizeof(certs[0]); i++)
			probe_out_set(t, certs[i], PROBE_FAIL,
			    "the server showed no certificate");
		return;
	}
	check_chain(t, ssl, has_ca_file);
	check_name(t, cert, name);
	check_expiry(t, cert);
	check_self_signed(t, cert);
	check_key(t, cert);
}
