/* probe_check.h: the checklist of one port of one host, for
 * plainsight probe (docs/probe.md says what each check means).
 */
#ifndef PLAINSIGHT_PROBE_CHECK_H
#define PLAINSIGHT_PROBE_CHECK_H

#include <stdbool.h>

#include <openssl/ssl.h>

#include "probe/probe_out.h"

struct probe_check_run {
	SSL_CTX *ctx;		/* from probe_tls_ctx_new() */
	const char *fake_user;	/* the fake account, checked to be an atom;
				 * NULL: no cleartext login is tried */
	const char *servername;	/* SNI and the certificate's name, or NULL
				 * for the target's host */
	bool has_ca_file;	/* certificates verified against --ca-file */
	int timeout_ms;		/* for each step */
};

/* probe_check_target(): probe t (host, port, protocol set) and set its
 * rows: every check that applies to the port once it answers, or only
 * the "connect" row when it does not (a skip on a default port where
 * nothing listens, an error otherwise). */
void probe_check_target(const struct probe_check_run *run,
    struct probe_target *t);

#endif
