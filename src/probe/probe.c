/* probe.c: the `plainsight probe` command: options, targets (HOST,
 * HOST:PORT, [IPv6]:PORT, imap://, imaps://, pop3://, pop3s:// URLs), the
 * run over every port, the output and the exit status (docs/probe.md).
 *
 * What is checked on a port is probe_check.c's business; this file only
 * decides which ports and reads the results: any error -> 2, else any
 * fail -> 1, else 0.  The fake account's name is checked here, before it
 * can reach a command line.
 */
#include "probe/probe.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/ssl.h>

#include "bounds.h"
#include "probe/probe_check.h"
#include "probe/probe_out.h"
#include "probe/probe_proto.h"
#include "probe/probe_tls.h"

#define EXIT_PASS 0
#define EXIT_FAIL 1
#define EXIT_TROUBLE 2

#define FAKE_USER_DEFAULT "plainsight-probe-fake"
#define FAKE_USER_MAX 64
#define TIMEOUT_DEFAULT_S 10
#define TIMEOUT_MAX_S 600
#define ERR_MAX 256

struct opts {
	bool has_pop3;		/* --pop3 */
	bool has_imap;		/* --imap */
	bool is_try_cleartext;
	bool is_json;
	const char *fake_user;
	const char *ca_file;
	const char *servername;
	int timeout_ms;
};

enum long_only {
	OPT_POP3 = 256,
	OPT_IMAP,
	OPT_TRY_CLEARTEXT,
	OPT_FAKE_USER,
	OPT_CA_FILE,
	OPT_SERVERNAME,
	OPT_TIMEOUT,
	OPT_FORMAT
};

static const struct option long_options[] = {
	{"pop3", no_argument, NULL, OPT_POP3},
	{"imap", no_argument, NULL, OPT_IMAP},
	{"try-cleartext", no_argument, NULL, OPT_TRY_CLEARTEXT},
	{"fake-user", required_argument, NULL, OPT_FAKE_USER},
	{"ca-file", required_argument, NULL, OPT_CA_FILE},
	{"servername", required_argument, NULL, OPT_SERVERNAME},
	{"timeout", required_argument, NULL, OPT_TIMEOUT},
	{"format", required_argument, NULL, OPT_FORMAT},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

static void
usage(FILE *out)
{
	fputs(
"Usage: plainsight probe [options] HOST[:PORT]...\n"
"\n"
"Check a mail server's side of a cleartext-login cutover, port by port:\n"
"is secure login enforced, does STARTTLS work, will clients trust the\n"
"certificate.  Each HOST is probed on POP3 110, IMAP 143, POP3S 995 and\n"
"IMAPS 993; HOST:PORT names one port; a URL (imap://, imaps://, pop3://,\n"
"pop3s://HOST:PORT) gives the protocol of a non-standard port.  IPv6\n"
"addresses go in brackets: [2001:db8::25]:143.\n"
"\n"
"Options\n"
"      --pop3, --imap    only POP3 (110, 995) or only IMAP (143, 993); the\n"
"                        protocol of a non-standard HOST:PORT (STARTTLS)\n"
"      --try-cleartext   also send one login in clear, for a fake account,\n"
"                        and tell \"refused: TLS required\" (pass) from\n"
"                        \"refused as a bad password\" (fail: the server\n"
"                        would take a real one).  Never a real credential:\n"
"                        the password is always the fixed string\n"
"                        \"" PROBE_FAKE_PASSWORD "\".\n"
"      --fake-user NAME  the fake account (default " FAKE_USER_DEFAULT "):\n"
"                        letters, digits and . _ - + @, at most 64.  Name no\n"
"                        real account: a failed login may count against it\n"
"      --ca-file FILE    verify certificates against the CAs in FILE (PEM)\n"
"                        instead of the system's trusted CAs\n"
"      --servername NAME the name to send as SNI and to find in the\n"
"                        certificate, instead of HOST: to probe each node\n"
"                        behind a load balancer by its address\n"
"      --timeout S       seconds allowed to each step: connecting, each\n"
"                        answer, the TLS handshake (1-600, default 10)\n"
"      --format FORMAT   text (default): a checklist per port; json: JSON\n"
"                        Lines, one \"type\":\"probe\" record per check\n"
"  -h, --help            this help\n"
"\n"
"Exit status: 0 every check passed (warnings allowed), 1 at least one\n"
"failed, 2 a usage error or a port that could not be checked.  A default\n"
"port where nothing listens is skipped, not an error, unless no port of\n"
"the host answers.  See docs/probe.md.\n",
	    out);
}

/* A decimal number in [min, max], the whole string. */
static bool
parse_uint(const char *s, size_t len, unsigned long min, unsigned long max,
    unsigned long *out)
{
	unsigned long v = 0;

	if (len == 0 || len > 9)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	if (v < min || v > max)
		return false;
	*out = v;
	return true;
}

/* The fake account's name goes into a command line: an IMAP atom and a
 * POP3 argument, so no space, quote, bracket or control byte. */
static bool
is_fake_user_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > FAKE_USER_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			(c >= '0' && c <= '9') || c == '.' || c == '_' ||
			c == '-' || c == '+' || c == '@'))
			return false;
	}
	return true;
}

static bool
is_host_ok(const char *s, size_t n)
{
	if (n == 0 || n > PROBE_HOST_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			(c >= '0' && c <= '9') || c == '.' || c == '-' ||
			c == '_' || c == ':' || c == '%'))
			return false;
	}
	return true;
}

struct port_kind {
	const char *scheme;
	enum proto proto;
	uint16_t port;
	bool is_implicit;
};

/* The standard ports, in the order a host's defaults are probed. */
static const struct port_kind standard[] = {
	{"pop3", PROTO_POP3, 110, false},
	{"imap", PROTO_IMAP, 143, false},
	{"pop3s", PROTO_POP3, 995, true},
	{"imaps", PROTO_IMAP, 993, true},
};
#define N_STANDARD (sizeof(standard) / sizeof(standard[0]))

static void
target_init(struct probe_target *t, const char *host, size_t host_len,
    const struct port_kind *k, uint16_t port, bool is_default)
{
	memset(t, 0, sizeof(*t));
	memcpy(t->host, host, host_len);
	t->host[host_len] = '\0';
	t->port = port;
	t->proto = k->proto;
	t->is_implicit = k->is_implicit;
	t->is_default = is_default;
}

/* One HOST[:PORT] or URL argument into targets[*n...]; false with err set
 * on a usage error. */
static bool
parse_target(const char *arg, const struct opts *o,
    struct probe_target *targets, size_t *n, char err[ERR_MAX])
{
	const struct port_kind *scheme = NULL;
	const char *s = arg;

	for (size_t i = 0; i < N_STANDARD; i++) {
		size_t len = strlen(standard[i].scheme);

		if (strncmp(s, standard[i].scheme, len) == 0 &&
		    strncmp(s + len, "://", 3) == 0) {
			scheme = &standard[i];
			s += len + 3;
			break;
		}
	}
	size_t len = strlen(s);

	if (scheme != NULL && len > 0 && s[len - 1] == '/')
		len--;		/* imap://host/ */
	const char *host = s, *port_s = NULL;
	size_t host_len = len, port_len = 0;

	if (len > 0 && s[0] == '[') {
		const char *close = memchr(s, ']', len);

		if (close == NULL || memchr(s, ':', len) == NULL)
			goto bad;
		host = s + 1;
		host_len = (size_t)(close - host);
		size_t rest = len - (size_t)(close + 1 - s);

		if (rest > 0) {
			if (close[1] != ':')
				goto bad;
			port_s = close + 2;
			port_len = rest - 1;
		}
	} else {
		const char *colon = memchr(s, ':', len);

		/* One colon: HOST:PORT.  More: an IPv6 address alone. */
		if (colon != NULL && memchr(colon + 1, ':', len - (size_t)(
		    colon + 1 - s)) == NULL) {
			host_len = (size_t)(colon - s);
			port_s = colon + 1;
			port_len = len - host_len - 1;
		}
	}
	if (!is_host_ok(host, host_len))
		goto bad;
	unsigned long port = 0;

	if (port_s != NULL && !parse_uint(port_s, port_len, 1, 65535, &port)) {
		snprintf(err, ERR_MAX, "'%s': the port is not a number from 1 "
				       "to 65535",
		    arg);
		return false;
	}
	if (*n + N_STANDARD > PROBE_TARGETS_MAX) {
		snprintf(err, ERR_MAX, "at most %u ports in all",
		    PROBE_TARGETS_MAX);
		return false;
	}
	if (scheme != NULL) {
		target_init(&targets[(*n)++], host, host_len, scheme,
		    port ? (uint16_t)port : scheme->port, false);
		return true;
	}
	if (port_s == NULL) {
		for (size_t i = 0; i < N_STANDARD; i++) {
			bool is_wanted = (!o->has_pop3 && !o->has_imap) ||
			    (standard[i].proto == PROTO_POP3 ? o->has_pop3
							     : o->has_imap);

			if (is_wanted)
				target_init(&targets[(*n)++], host, host_len,
				    &standard[i], standard[i].port, true);
		}
		return true;
	}
	for (size_t i = 0; i < N_STANDARD; i++)
		if (standard[i].port == port) {
			target_init(&targets[(*n)++], host, host_len,
			    &standard[i], (uint16_t)port, false);
			return true;
		}
	if (o->has_pop3 != o->has_imap) {
		target_init(&targets[(*n)++], host, host_len,
		    &standard[o->has_pop3 ? 0 : 1], (uint16_t)port, false);
		return true;
	}
	snprintf(err, ERR_MAX,
	    "'%s': port %lu is not a standard POP3 or IMAP port: give --pop3 "
	    "or --imap, or a URL such as imaps://HOST:%lu",
	    arg, port, port);
	return false;
bad:
	snprintf(err, ERR_MAX, "'%s' is not HOST, HOST:PORT, [IPv6]:PORT or a "
			       "pop3, pop3s, imap or imaps URL",
	    arg);
	return false;
}

/* The defaults of a host where nothing at all answered: that is not a
 * server with a closed port, it is no server. */
static void
no_service(struct probe_target *targets, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct probe_row *row =
		    &targets[i].rows[PROBE_CHECK_CONNECT];

		if (!targets[i].is_default || !row->is_set ||
		    row->result != PROBE_SKIP)
			return;
	}
	for (size_t i = 0; i < n; i++) {
		char was[PROBE_REASON_MAX];

		memcpy(was, targets[i].rows[PROBE_CHECK_CONNECT].reason,
		    sizeof(was));
		probe_out_set(&targets[i], PROBE_CHECK_CONNECT, PROBE_ERROR,
		    "%s; no POP3 or IMAP port of this host answers", was);
	}
}

static int
parse_options(int argc, char **argv, struct opts *o,
    struct probe_target *targets, size_t *n, size_t *n_groups,
    size_t *group_end)
{
	char err[ERR_MAX];
	int c;
	unsigned long v;

	memset(o, 0, sizeof(*o));
	o->fake_user = FAKE_USER_DEFAULT;
	o->timeout_ms = TIMEOUT_DEFAULT_S * 1000;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", long_options, NULL)) != -1) {
		switch (c) {
		case OPT_POP3:
			o->has_pop3 = true;
			break;
		case OPT_IMAP:
			o->has_imap = true;
			break;
		case OPT_TRY_CLEARTEXT:
			o->is_try_cleartext = true;
			break;
		case OPT_FAKE_USER:
			if (!is_fake_user_ok(optarg)) {
				snprintf(err, sizeof(err),
				    "--fake-user: '%s' is not 1 to %d letters, "
				    "digits or . _ - + @",
				    optarg, FAKE_USER_MAX);
				goto usage;
			}
			o->fake_user = optarg;
			break;
		case OPT_CA_FILE:
			o->ca_file = optarg;
			break;
		case OPT_SERVERNAME:
			if (!is_host_ok(optarg, strlen(optarg))) {
				snprintf(err, sizeof(err),
				    "--servername: '%s' is not a host name",
				    optarg);
				goto usage;
			}
			o->servername = optarg;
			break;
		case OPT_TIMEOUT:
			if (!parse_uint(optarg, strlen(optarg), 1,
				TIMEOUT_MAX_S, &v)) {
				snprintf(err, sizeof(err),
				    "--timeout: '%s' is not a number of "
				    "seconds from 1 to %d",
				    optarg, TIMEOUT_MAX_S);
				goto usage;
			}
			o->timeout_ms = (int)v * 1000;
			break;
		case OPT_FORMAT:
			if (strcmp(optarg, "json") == 0)
				o->is_json = true;
			else if (strcmp(optarg, "text") != 0) {
				snprintf(err, sizeof(err),
				    "--format: '%s' is not text or json",
				    optarg);
				goto usage;
			}
			break;
		case 'h':
			usage(stdout);
			return EXIT_PASS;
		case ':':
			snprintf(err, sizeof(err), "%s needs an argument",
			    argv[optind - 1]);
			goto usage;
		default:
			snprintf(err, sizeof(err), "unknown option '%s'",
			    argv[optind - 1]);
			goto usage;
		}
	}
	if (optind >= argc) {
		snprintf(err, sizeof(err), "no server to probe: give HOST");
		goto usage;
	}
	*n = 0;
	*n_groups = 0;
	for (int i = optind; i < argc; i++) {
		if (!parse_target(argv[i], o, targets, n, err))
			goto usage;
		group_end[(*n_groups)++] = *n;
	}
	return -1;
usage:
	fprintf(stderr, "plainsight probe: %s\n"
			"Try 'plainsight probe --help' for more.\n",
	    err);
	return EXIT_TROUBLE;
}

int
probe_main(int argc, char **argv)
{
	struct probe_target *targets = calloc(PROBE_TARGETS_MAX,
	    sizeof(*targets));
	size_t group_end[PROBE_TARGETS_MAX];
	size_t n, n_groups;
	struct opts o;
	struct probe_check_run run;
	char err[ERR_MAX];
	uint64_t counts[PROBE_RESULT_COUNT] = {0};
	struct sigaction sa;

	if (targets == NULL) {
		fprintf(stderr, "plainsight probe: out of memory\n");
		return EXIT_TROUBLE;
	}
	int status = parse_options(argc, argv, &o, targets, &n, &n_groups,
	    group_end);

	if (status >= 0)
		goto out;
	/* A server that closes while we write must not kill us (SIGPIPE):
	 * the write fails and the check says so. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGPIPE, &sa, NULL);

	run.fake_user = o.is_try_cleartext ? o.fake_user : NULL;
	run.servername = o.servername;
	run.has_ca_file = o.ca_file != NULL;
	run.timeout_ms = o.timeout_ms;
	run.ctx = probe_tls_ctx_new(o.ca_file, err, sizeof(err));
	if (run.ctx == NULL) {
		fprintf(stderr, "plainsight probe: %s\n", err);
		status = EXIT_TROUBLE;
		goto out;
	}
	size_t start = 0;

	for (size_t g = 0; g < n_groups; g++) {
		for (size_t i = start; i < group_end[g]; i++)
			probe_check_target(&run, &targets[i]);
		no_service(targets + start, group_end[g] - start);
		for (size_t i = start; i < group_end[g]; i++) {
			for (int c = 0; c < PROBE_CHECK_COUNT; c++)
				if (targets[i].rows[c].is_set)
					counts[targets[i].rows[c].result]++;
			if (o.is_json)
				probe_out_json(stdout, &targets[i]);
			else
				probe_out_text(stdout, &targets[i]);
			fflush(stdout);
		}
		start = group_end[g];
	}
	if (!o.is_json)
		probe_out_text_summary(stdout, n, counts);
	SSL_CTX_free(run.ctx);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "plainsight probe: writing the report: %s\n",
		    strerror(errno));
		status = EXIT_TROUBLE;
	} else if (counts[PROBE_ERROR] > 0)
		status = EXIT_TROUBLE;
	else
		status = counts[PROBE_FAIL] > 0 ? EXIT_FAIL : EXIT_PASS;
out:
	free(targets);
	return status;
}
