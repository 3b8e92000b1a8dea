/* cli.c: command-line parsing and --help (see cli.h).
 *
 * tcpdump conventions: -r to read captures, -w to write (here: the
 * report), -v for more, a BPF expression as the trailing arguments.
 * Numbers are parsed strictly (strtoull with full checks), never atoi.
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "bounds.h"

enum long_only {
	OPT_FORMAT = 256,
	OPT_POP3_PORTS,
	OPT_IMAP_PORTS,
	OPT_ACCOUNT_KEY,
	OPT_MAX_FLOWS,
	OPT_MAX_BUFFER,
	OPT_IDLE_TIMEOUT,
	OPT_SYSLOG,
	OPT_REPORT_INTERVAL,
	OPT_ALLOW,
	OPT_BASELINE,
	OPT_FAIL_ON,
	OPT_THREADS
};

static const struct option long_options[] = {
	{"read", required_argument, NULL, 'r'},
	{"write", required_argument, NULL, 'w'},
	{"format", required_argument, NULL, OPT_FORMAT},
	{"pop3-ports", required_argument, NULL, OPT_POP3_PORTS},
	{"imap-ports", required_argument, NULL, OPT_IMAP_PORTS},
	{"account-key", required_argument, NULL, OPT_ACCOUNT_KEY},
	{"max-flows", required_argument, NULL, OPT_MAX_FLOWS},
	{"max-buffer", required_argument, NULL, OPT_MAX_BUFFER},
	{"idle-timeout", required_argument, NULL, OPT_IDLE_TIMEOUT},
	{"interface", required_argument, NULL, 'i'},
	{"snapshot-length", required_argument, NULL, 's'},
	{"buffer-size", required_argument, NULL, 'B'},
	{"no-promiscuous-mode", no_argument, NULL, 'p'},
	{"relinquish-privileges", required_argument, NULL, 'Z'},
	{"syslog", no_argument, NULL, OPT_SYSLOG},
	{"report-interval", required_argument, NULL, OPT_REPORT_INTERVAL},
	{"allow", required_argument, NULL, OPT_ALLOW},
	{"baseline", required_argument, NULL, OPT_BASELINE},
	{"fail-on", required_argument, NULL, OPT_FAIL_ON},
	{"threads", required_argument, NULL, OPT_THREADS},
	{"verbose", no_argument, NULL, 'v'},
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, 'V'},
	{NULL, 0, NULL, 0},
};

void
cli_usage(FILE *out)
{
	fputs(
"Usage: plainsight -r FILE [-r FILE ...] [options] [BPF expression]\n"
"       plainsight -i IFACE [options] [BPF expression]\n"
"       plainsight probe [options] HOST[:PORT]...  (see plainsight probe -h)\n"
"\n"
"Find the machines that send POP3 and IMAP passwords in cleartext, the\n"
"servers they send them to, and what the servers answered, from packet\n"
"captures or live on an interface (a span port).  No password, token or\n"
"user name is ever stored or printed.\n"
"\n"
"Input\n"
"  -r, --read FILE       read a pcap or pcapng file; '-' reads standard\n"
"                        input.  Repeat for several files: they are one\n"
"                        timeline, read in the order given.\n"
"  -i, --interface IFACE capture live on IFACE ('any': all interfaces);\n"
"                        runs until SIGINT or SIGTERM\n"
"  BPF expression        only analyse packets that match (tcpdump syntax),\n"
"                        e.g. 'net 10.1.0.0/16'; live, the kernel filters\n"
"                        on the mail ports (also VLAN-tagged) and on it\n"
"  --pop3-ports LIST     ports that carry POP3 (default 110); replaces the\n"
"                        default, e.g. --pop3-ports 110,1110\n"
"  --imap-ports LIST     ports that carry IMAP (default 143); replaces the\n"
"                        default, e.g. --imap-ports 143,1143\n"
"\n"
"Live capture\n"
"  -s, --snapshot-length N\n"
"                        bytes kept per packet (default 262144)\n"
"  -B, --buffer-size MIB kernel capture buffer in MiB (default 32)\n"
"  -p, --no-promiscuous-mode\n"
"                        do not put the interface in promiscuous mode\n"
"  -Z, --relinquish-privileges USER\n"
"                        switch to USER once the capture is open\n"
"      --report-interval S\n"
"                        write the offender, server and stats records every\n"
"                        S seconds (SIGUSR1: now; SIGHUP: reopen -w FILE)\n"
"      --syslog          also send each login event to syslog (JSON)\n"
"\n"
"Cutover\n"
"      --allow FILE      CIDR blocks of known legacy clients (one a line,\n"
"                        '#' comments): reported, marked allowed, and not\n"
"                        counted for the exit status\n"
"      --baseline REPORT compare with an earlier --format json report: mark\n"
"                        offenders new, still or gone, and servers whose\n"
"                        posture changed\n"
"      --fail-on WHAT    exposure (default): exit 1 if any cleartext login\n"
"                        was seen; accepted: only if a server accepted one\n"
"\n"
"Output\n"
"  -w, --write FILE      write the report to FILE instead of standard output\n"
"      --format FORMAT   text (default): tables for people; json: JSON Lines,\n"
"                        one record per login attempt, offender, server and\n"
"                        the stats; csv: the offender rows\n"
"      --account-key FILE\n"
"                        give each login a pseudonym of its account: the\n"
"                        first 16 hex digits of HMAC-SHA256(key, user name\n"
"                        lower-cased), the key being the bytes of FILE.\n"
"                        Without it no trace of any user name is kept.\n"
"  -v, --verbose         more diagnostics on standard error (-vv: debug);\n"
"                        never any payload\n"
"\n"
"Limits (memory stays bounded whatever the traffic)\n"
"      --max-flows N     connections tracked at once (default 262144);\n"
"                        when full, those with nothing left to tell go first\n"
"      --max-buffer SIZE bytes of per-connection state in all (default 64M;\n"
"                        K, M, G suffixes)\n"
"      --idle-timeout S  seconds of capture time after which an idle\n"
"                        connection is closed (default 600)\n"
"\n"
"Speed\n"
"      --threads N       read files on N threads, 1 (default) or 2: one\n"
"                        reads and decodes, the other analyses; the same\n"
"                        results, sooner on captures of many short mail\n"
"                        sessions, later on most others\n"
"\n"
"  -h, --help            this help\n"
"  -V, --version         the version\n"
"\n"
"Exit status: 0 no cleartext login seen, 1 at least one seen (not from an\n"
"allowed client; with --fail-on accepted, one that a server accepted), 2 a\n"
"usage error or an input that could not be read (findings from the other\n"
"inputs are still reported).  A capture cut short in its last record is a\n"
"warning, not an error.\n"
"\n"
"Every skipped packet and every limit hit is counted by name in the stats\n"
"(--format json shows all of them).  See docs/usage.md and docs/output.md.\n",
	    out);
}

/* A decimal number in [min, max], the whole string. */
static bool
parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (*s < '0' || *s > '9')
		return false;	/* no sign, no blank */
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < min || v > max)
		return false;
	*out = v;
	return true;
}

static bool
parse_size(const char *s, uint64_t *out)
{
	char num[32];
	size_t n = strlen(s);
	uint64_t mult = 1;

	if (n == 0 || n >= sizeof(num))
		return false;
	memcpy(num, s, n + 1);
	switch (num[n - 1]) {
	case 'k':
	case 'K':
		mult = 1024;
		break;
	case 'm':
	case 'M':
		mult = 1024 * 1024;
		break;
	case 'g':
	case 'G':
		mult = 1024 * 1024 * 1024;
		break;
	default:
		break;
	}
	if (mult != 1)
		num[n - 1] = '\0';
	uint64_t v;

	if (!parse_u64(num, 1, UINT64_MAX / mult, &v))
		return false;
	*out = v * mult;
	return true;
}

static bool
parse_ports(const char *s, uint16_t *ports, size_t *n, char err[CLI_ERR_MAX],
    const char *flag)
{
	char item[16];
	size_t k = 0;

	*n = 0;
	for (const char *p = s;; p++) {
		if (*p != ',' && *p != '\0') {
			if (k + 1 >= sizeof(item))
				goto bad;
			item[k++] = *p;
			continue;
		}
		item[k] = '\0';
		uint64_t v;

		if (!parse_u64(item, 1, 65535, &v))
			goto bad;
		if (*n >= PLAINSIGHT_PORTS_MAX) {
			snprintf(err, CLI_ERR_MAX, "%s: at most %d ports", flag,
			    PLAINSIGHT_PORTS_MAX);
			return false;
		}
		ports[(*n)++] = (uint16_t)v;
		k = 0;
		if (*p == '\0')
			return true;
	}
bad:
	snprintf(err, CLI_ERR_MAX,
	    "%s: '%s' is not a list of ports (1-65535, comma separated)", flag,
	    s);
	return false;
}

/* Join the trailing arguments into one BPF expression, as tcpdump does. */
static char *
join_args(int argc, char **argv)
{
	size_t len = 1;
	char *s;

	for (int i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	s = malloc(len);
	if (s == NULL)
		return NULL;
	s[0] = '\0';
	size_t k = 0;

	for (int i = 0; i < argc; i++) {
		size_t n = strlen(argv[i]);

		if (i)
			s[k++] = ' ';
		memcpy(s + k, argv[i], n);
		k += n;
		s[k] = '\0';
	}
	return s;
}

enum cli_result
cli_parse(int argc, char **argv, struct cli *cli, char err[CLI_ERR_MAX])
{
	int c;
	uint64_t v;

	memset(cli, 0, sizeof(*cli));
	cli->format = SINK_TEXT;
	cli->snaplen = CLI_SNAPLEN_DEFAULT;
	cli->buffer_mib = CLI_BUFFER_MIB_DEFAULT;
	cli->is_promisc = true;
	plainsight_config_init(&cli->engine);
	err[0] = '\0';
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":r:w:i:s:B:pZ:vhV", long_options,
		    NULL)) != -1) {
		switch (c) {
		case 'r':
			if (cli->n_files >= CLI_FILES_MAX) {
				snprintf(err, CLI_ERR_MAX,
				    "-r: at most %d files", CLI_FILES_MAX);
				return CLI_ERROR;
			}
			cli->files[cli->n_files++] = optarg;
			break;
		case 'w':
			cli->output = optarg;
			break;
		case OPT_FORMAT:
			if (!sink_format_parse(optarg, &cli->format)) {
				snprintf(err, CLI_ERR_MAX,
				    "--format: '%s' is not text, json or csv",
				    optarg);
				return CLI_ERROR;
			}
			break;
		case OPT_POP3_PORTS:
			if (!parse_ports(optarg, cli->engine.pop3_ports,
				&cli->engine.n_pop3_ports, err, "--pop3-ports"))
				return CLI_ERROR;
			break;
		case OPT_IMAP_PORTS:
			if (!parse_ports(optarg, cli->engine.imap_ports,
				&cli->engine.n_imap_ports, err, "--imap-ports"))
				return CLI_ERROR;
			break;
		case OPT_ACCOUNT_KEY:
			cli->account_key_file = optarg;
			break;
		case OPT_THREADS:
			if (!parse_u64(optarg, 1, 2, &v)) {
				snprintf(err, CLI_ERR_MAX,
				    "--threads: '%s' is not 1 or 2", optarg);
				return CLI_ERROR;
			}
			cli->threads = (unsigned)v;
			break;
		case OPT_MAX_FLOWS:
			if (!parse_u64(optarg, 1, FLOWS_MAX, &v)) {
				snprintf(err, CLI_ERR_MAX,
				    "--max-flows: '%s' is not a number from 1 "
				    "to %u",
				    optarg, FLOWS_MAX);
				return CLI_ERROR;
			}
			cli->engine.max_flows = (uint32_t)v;
			break;
		case OPT_MAX_BUFFER:
			if (!parse_size(optarg, &v) || v < BUFFER_MIN ||
			    v > SIZE_MAX) {
				snprintf(err, CLI_ERR_MAX,
				    "--max-buffer: '%s' is not a size of at "
				    "least 64K (e.g. 64M)",
				    optarg);
				return CLI_ERROR;
			}
			cli->engine.max_buffer = (size_t)v;
			break;
		case OPT_IDLE_TIMEOUT:
			if (!parse_u64(optarg, 1, 7u * 24 * 3600, &v)) {
				snprintf(err, CLI_ERR_MAX,
				    "--idle-timeout: '%s' is not a number of "
				    "seconds from 1 to 604800",
				    optarg);
				return CLI_ERROR;
			}
			cli->engine.idle_timeout = (uint32_t)v;
			break;
		case 'i':
			cli->iface = optarg;
			break;
		case 's':
			if (!parse_u64(optarg, 64, 262144, &v)) {
				snprintf(err, CLI_ERR_MAX,
				    "-s: '%s' is not a snapshot length from 64 "
				    "to 262144",
				    optarg);
				return CLI_ERROR;
			}
			cli->snaplen = (int)v;
			break;
		case 'B':
			if (!parse_u64(optarg, 1, 4096, &v)) {
				snprintf(err, CLI_ERR_MAX,
				    "-B: '%s' is not a buffer size in MiB from 1 "
				    "to 4096",
				    optarg);
				return CLI_ERROR;
			}
			cli->buffer_mib = (int)v;
			break;
		case 'p':
			cli->is_promisc = false;
			break;
		case 'Z':
			cli->user = optarg;
			break;
		case OPT_SYSLOG:
			cli->is_syslog = true;
			break;
		case OPT_REPORT_INTERVAL:
			if (!parse_u64(optarg, 1, 7u * 24 * 3600, &v)) {
				snprintf(err, CLI_ERR_MAX,
				    "--report-interval: '%s' is not a number of "
				    "seconds from 1 to 604800",
				    optarg);
				return CLI_ERROR;
			}
			cli->report_interval = (unsigned)v;
			break;
		case OPT_ALLOW:
			cli->allow_file = optarg;
			break;
		case OPT_BASELINE:
			cli->baseline_file = optarg;
			break;
		case OPT_FAIL_ON:
			if (strcmp(optarg, "exposure") == 0) {
				cli->is_fail_on_accepted = false;
			} else if (strcmp(optarg, "accepted") == 0) {
				cli->is_fail_on_accepted = true;
			} else {
				snprintf(err, CLI_ERR_MAX,
				    "--fail-on: '%s' is not exposure or "
				    "accepted",
				    optarg);
				return CLI_ERROR;
			}
			break;
		case 'v':
			cli->verbosity++;
			break;
		case 'h':
			return CLI_HELP;
		case 'V':
			return CLI_VERSION;
		case ':':
			snprintf(err, CLI_ERR_MAX, "%s needs an argument",
			    argv[optind - 1]);
			return CLI_ERROR;
		default:
			snprintf(err, CLI_ERR_MAX, "unknown option '%s'",
			    argv[optind - 1]);
			return CLI_ERROR;
		}
	}
	if (cli->n_files == 0 && cli->iface == NULL) {
		snprintf(err, CLI_ERR_MAX,
		    "nothing to read: give a capture with -r FILE, or an "
		    "interface with -i IFACE");
		return CLI_ERROR;
	}
	if (cli->n_files > 0 && cli->iface != NULL) {
		snprintf(err, CLI_ERR_MAX,
		    "-r and -i: read files or capture live, not both");
		return CLI_ERROR;
	}
	if (cli->iface != NULL && cli->threads > 0) {
		snprintf(err, CLI_ERR_MAX,
		    "--threads is for reading files (-r); live capture "
		    "runs on one");
		return CLI_ERROR;
	}
	if (cli->iface == NULL && (cli->report_interval > 0 ||
	    cli->user != NULL)) {
		snprintf(err, CLI_ERR_MAX, "%s is for live capture (-i)",
		    cli->report_interval > 0 ? "--report-interval" : "-Z");
		return CLI_ERROR;
	}
	for (size_t i = 0; i < cli->engine.n_pop3_ports; i++)
		for (size_t j = 0; j < cli->engine.n_imap_ports; j++)
			if (cli->engine.pop3_ports[i] ==
			    cli->engine.imap_ports[j]) {
				snprintf(err, CLI_ERR_MAX,
				    "port %u is in both --pop3-ports and "
				    "--imap-ports",
				    (unsigned)cli->engine.pop3_ports[i]);
				return CLI_ERROR;
			}
	if (optind < argc) {
		cli->filter = join_args(argc - optind, argv + optind);
		if (cli->filter == NULL) {
			snprintf(err, CLI_ERR_MAX, "out of memory");
			return CLI_ERROR;
		}
	}
	return CLI_RUN;
}

void
cli_free(struct cli *cli)
{
	free(cli->filter);
	cli->filter = NULL;
}
