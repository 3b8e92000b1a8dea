/* probe_out.c: the probe checklist as text or JSON Lines (probe_out.h,
 * docs/output.md "probe").
 *
 * Writes rows in a fixed order with fixed keys; the only values that
 * change from run to run against the same server are the ones that
 * depend on the date (cert_expiry's days left).  Does no probing.
 */
#include "probe/probe_out.h"

#include <assert.h>
#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

#include "report/sink.h"

static const char *const check_names[] = {
	[PROBE_CHECK_CONNECT] = "connect",
	[PROBE_CHECK_STARTTLS_OFFERED] = "starttls_offered",
	[PROBE_CHECK_LOGIN_DISABLED] = "login_disabled",
	[PROBE_CHECK_USER_BEFORE_TLS] = "user_before_tls",
	[PROBE_CHECK_AUTH_BEFORE_TLS] = "auth_before_tls",
	[PROBE_CHECK_CLEARTEXT_LOGIN] = "cleartext_login",
	[PROBE_CHECK_STARTTLS] = "starttls",
	[PROBE_CHECK_TLS_HANDSHAKE] = "tls_handshake",
	[PROBE_CHECK_TLS_VERSION] = "tls_version",
	[PROBE_CHECK_TLS_CIPHER] = "tls_cipher",
	[PROBE_CHECK_CERT_CHAIN] = "cert_chain",
	[PROBE_CHECK_CERT_NAME] = "cert_name",
	[PROBE_CHECK_CERT_EXPIRY] = "cert_expiry",
	[PROBE_CHECK_CERT_SELF_SIGNED] = "cert_self_signed",
	[PROBE_CHECK_CERT_KEY] = "cert_key",
	[PROBE_CHECK_LOGIN_AFTER_TLS] = "login_after_tls",
	[PROBE_CHECK_STARTTLS_INJECTION] = "starttls_injection",
};
static_assert(sizeof(check_names) / sizeof(check_names[0]) ==
    PROBE_CHECK_COUNT, "every probe_check needs a name");

static const char *const result_names[] = {
	[PROBE_PASS] = "pass",
	[PROBE_WARN] = "warn",
	[PROBE_FAIL] = "fail",
	[PROBE_SKIP] = "skip",
	[PROBE_ERROR] = "error",
};
static_assert(sizeof(result_names) / sizeof(result_names[0]) ==
    PROBE_RESULT_COUNT, "every probe_result needs a name");

/* The text format's names: upper case stands out in a checklist. */
static const char *const result_labels[] = {
	[PROBE_PASS] = "PASS",
	[PROBE_WARN] = "WARN",
	[PROBE_FAIL] = "FAIL",
	[PROBE_SKIP] = "SKIP",
	[PROBE_ERROR] = "ERROR",
};
static_assert(sizeof(result_labels) / sizeof(result_labels[0]) ==
    PROBE_RESULT_COUNT, "every probe_result needs a label");

struct probe_row *
probe_out_set(struct probe_target *t, enum probe_check c,
    enum probe_result r, const char *fmt, ...)
{
	struct probe_row *row = &t->rows[c];
	va_list ap;

	assert((unsigned)c < PROBE_CHECK_COUNT);
	memset(row, 0, sizeof(*row));
	row->is_set = true;
	row->result = r;
	va_start(ap, fmt);
	/* started just above: clang-analyzer 14 misreads the varargs */
	vsnprintf(row->reason, sizeof(row->reason), fmt, ap); // NOLINT(clang-analyzer-valist.Uninitialized)
	va_end(ap);
	return row;
}

/* "host:port", with brackets around an IPv6 address. */
static void
host_port(const struct probe_target *t, char *buf, size_t cap)
{
	bool is_v6 = strchr(t->host, ':') != NULL;

	snprintf(buf, cap, "%s%s%s:%u", is_v6 ? "[" : "", t->host,
	    is_v6 ? "]" : "", (unsigned)t->port);
}

static const char *
scheme(const struct probe_target *t)
{
	if (t->proto == PROTO_POP3)
		return t->is_implicit ? "pop3s" : "pop3";
	return t->is_implicit ? "imaps" : "imap";
}

void
probe_out_text(FILE *out, const struct probe_target *t)
{
	char hp[PROBE_HOST_MAX + 16];

	host_port(t, hp, sizeof(hp));
	fprintf(out, "%s %s", hp, scheme(t));
	if (t->ip[0] != '\0' && strcmp(t->ip, t->host) != 0)
		fprintf(out, " (%s)", t->ip);
	fputc('\n', out);
	for (int c = 0; c < PROBE_CHECK_COUNT; c++) {
		const struct probe_row *row = &t->rows[c];

		if (!row->is_set)
			continue;
		fprintf(out, "  %-5s  %-18s  %s\n", result_labels[row->result],
		    check_names[c], row->reason);
	}
	fputc('\n', out);
}

static void
key_str(FILE *out, const char *key, const char *value)
{
	fprintf(out, ",\"%s\":", key);
	sink_json_string(out, value);
}

void
probe_out_json(FILE *out, const struct probe_target *t)
{
	for (int c = 0; c < PROBE_CHECK_COUNT; c++) {
		const struct probe_row *row = &t->rows[c];

		if (!row->is_set)
			continue;
		fputs("{\"type\":\"probe\"", out);
		key_str(out, "host", t->host);
		fprintf(out, ",\"port\":%u", (unsigned)t->port);
		key_str(out, "proto", event_proto_name(t->proto));
		key_str(out, "tls_mode", t->is_implicit ? "implicit"
							: "starttls");
		if (t->ip[0] != '\0')
			key_str(out, "ip", t->ip);
		key_str(out, "check", check_names[c]);
		key_str(out, "result", result_names[row->result]);
		key_str(out, "reason", row->reason);
		if (row->value[0] != '\0')
			key_str(out, "value", row->value);
		if (row->has_days_left)
			fprintf(out, ",\"days_left\":%" PRId64, row->days_left);
		if (row->has_mechanisms) {
			const char *names[SASL_COUNT];
			size_t n;

			sink_sasl_names(row->mechanisms, names, &n);
			fputs(",\"mechanisms\":[", out);
			for (size_t i = 0; i < n; i++) {
				if (i)
					fputc(',', out);
				sink_json_string(out, names[i]);
			}
			fputc(']', out);
		}
		if (row->code[0] != '\0')
			key_str(out, "response_code", row->code);
		fputs("}\n", out);
	}
}

void
probe_out_text_summary(FILE *out, size_t targets,
    const uint64_t counts[PROBE_RESULT_COUNT])
{
	uint64_t checks = 0;

	for (int r = 0; r < PROBE_RESULT_COUNT; r++)
		checks += counts[r];
	fprintf(out,
	    "plainsight probe: %zu port%s, %" PRIu64 " checks: %" PRIu64
	    " pass, %" PRIu64 " warn, %" PRIu64 " fail, %" PRIu64
	    " skipped, %" PRIu64 " error%s\n",
	    targets, targets == 1 ? "" : "s", checks, counts[PROBE_PASS],
	    counts[PROBE_WARN], counts[PROBE_FAIL], counts[PROBE_SKIP],
	    counts[PROBE_ERROR], counts[PROBE_ERROR] == 1 ? "" : "s");
}
