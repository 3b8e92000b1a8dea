/* test_cli.c: command-line parsing (src/cli.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cli.h"
#include "bounds.h"

#define ARGV(...)                                                            \
	char *argv[] = {"plainsight", __VA_ARGS__, NULL};                    \
	int argc = (int)(sizeof(argv) / sizeof(argv[0])) - 1

static void
test_cli_defaults(void **state)
{
	(void)state;
	ARGV("-r", "a.pcap");
	struct cli cli;
	char err[CLI_ERR_MAX];

	assert_int_equal(cli_parse(argc, argv, &cli, err), CLI_RUN);
	assert_int_equal(cli.n_files, 1);
	assert_string_equal(cli.files[0], "a.pcap");
	assert_int_equal(cli.format, SINK_TEXT);
	assert_null(cli.output);
	assert_null(cli.filter);
	assert_int_equal(cli.engine.n_pop3_ports, 1);
	assert_int_equal(cli.engine.pop3_ports[0], 110);
	assert_int_equal(cli.engine.imap_ports[0], 143);
	assert_int_equal(cli.engine.max_flows, FLOWS_DEFAULT);
	assert_int_equal(cli.engine.max_buffer, BUFFER_DEFAULT);
	cli_free(&cli);
}

static void
test_cli_files_ports_format_filter(void **state)
{
	(void)state;
	ARGV("-r", "a.pcap", "--imap-ports", "143,1143", "-r", "-",
	    "--format", "json", "-w", "out.json", "--max-buffer", "8M",
	    "--max-flows", "1000", "-vv", "tcp", "and", "host", "192.0.2.1");
	struct cli cli;
	char err[CLI_ERR_MAX];

	assert_int_equal(cli_parse(argc, argv, &cli, err), CLI_RUN);
	assert_int_equal(cli.n_files, 2);
	assert_string_equal(cli.files[1], "-");
	assert_int_equal(cli.engine.n_imap_ports, 2);
	assert_int_equal(cli.engine.imap_ports[1], 1143);
	assert_int_equal(cli.format, SINK_JSON);
	assert_string_equal(cli.output, "out.json");
	assert_int_equal(cli.engine.max_buffer, 8u * 1024 * 1024);
	assert_int_equal(cli.engine.max_flows, 1000);
	assert_int_equal(cli.verbosity, 2);
	assert_string_equal(cli.filter, "tcp and host 192.0.2.1");
	cli_free(&cli);
}

static void
expect_error(int argc, char **argv, const char *needle)
{
	struct cli cli;
	char err[CLI_ERR_MAX];

	assert_int_equal(cli_parse(argc, argv, &cli, err), CLI_ERROR);
	if (strstr(err, needle) == NULL)
		fail_msg("error '%s' does not mention '%s'", err, needle);
	cli_free(&cli);
}

static void
test_cli_errors_say_what_is_wrong(void **state)
{
	(void)state;
	{
		char *argv[] = {"plainsight", NULL};

		expect_error(1, argv, "-r FILE");
	}
	{
		ARGV("-r", "a", "--imap-ports", "0");
		expect_error(argc, argv, "--imap-ports");
	}
	{
		ARGV("-r", "a", "--imap-ports", "143,,144");
		expect_error(argc, argv, "--imap-ports");
	}
	{
		ARGV("-r", "a", "--pop3-ports", "65536");
		expect_error(argc, argv, "--pop3-ports");
	}
	{
		ARGV("-r", "a", "--pop3-ports", "143");
		expect_error(argc, argv, "both");
	}
	{
		ARGV("-r", "a", "--format", "xml");
		expect_error(argc, argv, "--format");
	}
	{
		ARGV("-r", "a", "--max-flows", "-1");
		expect_error(argc, argv, "--max-flows");
	}
	{
		ARGV("-r", "a", "--max-buffer", "1K");
		expect_error(argc, argv, "64K");
	}
	{
		ARGV("-r", "a", "--bogus");
		expect_error(argc, argv, "--bogus");
	}
	{
		ARGV("-r");
		expect_error(argc, argv, "argument");
	}
}

static void
test_cli_help_and_version(void **state)
{
	(void)state;
	struct cli cli;
	char err[CLI_ERR_MAX];
	{
		ARGV("--help");
		assert_int_equal(cli_parse(argc, argv, &cli, err), CLI_HELP);
	}
	{
		ARGV("-V");
		assert_int_equal(cli_parse(argc, argv, &cli, err),
		    CLI_VERSION);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cli_defaults),
		cmocka_unit_test(test_cli_files_ports_format_filter),
		cmocka_unit_test(test_cli_errors_say_what_is_wrong),
		cmocka_unit_test(test_cli_help_and_version),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
