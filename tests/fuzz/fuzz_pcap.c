/* fuzz_pcap.c: whole capture files, read by libpcap from memory and
 * analysed by the engine with every output format's report. */
#define _DEFAULT_SOURCE 1	/* fmemopen, and libpcap's u_int types */

#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "plainsight/plainsight.h"
#include "report/report.h"
#include "report/sink.h"

struct ctx {
	struct report *report;
	struct stats stats;
	FILE *out;
};

static void
on_event(const struct event *ev, void *arg)
{
	struct ctx *c = arg;
	struct sink_run run = {0};

	report_add(c->report, ev, &c->stats);
	if (ev->type == EVENT_LOGIN)
		sink_json_ops.login(c->out, &ev->u.login, false, &run);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[PCAP_ERRBUF_SIZE];
	uint8_t *copy = fuzz_copy(data, size);
	FILE *f = fmemopen(copy, size ? size : 1, "rb");
	struct plainsight_config cfg;
	struct plainsight *ps;
	struct ctx c;
	pcap_t *p;

	if (f == NULL)
		goto out;
	p = pcap_fopen_offline(f, err);
	if (p == NULL) {
		fclose(f);
		goto out;
	}
	memset(&c, 0, sizeof(c));
	c.report = report_new();
	c.out = fopen("/dev/null", "w");
	plainsight_config_init(&cfg);
	cfg.max_flows = 64;	/* small caps: reach eviction */
	cfg.max_buffer = 64 * 1024;
	cfg.on_event = on_event;
	cfg.on_event_arg = &c;
	if (c.report == NULL || c.out == NULL ||
	    plainsight_new(&cfg, &ps) != ST_OK)
		abort();
	struct pcap_pkthdr *h;
	const u_char *bytes;

	while (pcap_next_ex(p, &h, &bytes) == 1) {
		struct plainsight_pkt pkt = {
		    {(int64_t)h->ts.tv_sec, (uint32_t)h->ts.tv_usec},
		    h->caplen, h->len};

		if (plainsight_dlt_supported(pcap_datalink(p)))
			plainsight_packet(ps, pcap_datalink(p), &pkt,
			    (uint8_t *)(uintptr_t)bytes);
	}
	plainsight_finish(ps);
	report_sort(c.report);
	for (int fmt = 0; fmt < SINK_FORMAT_COUNT; fmt++) {
		struct sink_run run = {0};

		sink_ops_for((enum sink_format)fmt)
		    ->end(c.out, c.report, plainsight_stats(ps), &run);
	}
	plainsight_free(ps);
	report_free(c.report);
	fclose(c.out);
	pcap_close(p);
out:
	free(copy);
	return 0;
}
