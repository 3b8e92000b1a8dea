/* main.c: bench/gen, the workload generator of the benchmark.
 *
 *   gen [--scale F] [--seed N] WORKLOAD OUTDIR
 *
 * Writes OUTDIR/WORKLOAD.pcap and its ground truth (WORKLOAD.logins.tsv,
 * WORKLOAD.offenders.tsv, truth.h) and WORKLOAD.meta.json (what was made,
 * for bench/run).  The same seed and scale give the same bytes on every
 * machine.  Workloads (docs/performance.md):
 *
 *   mix    about 1 GiB of web, SSH and SMB traffic with 2% of connections
 *          POP3/IMAP, cycling through every session kind of mail.c
 *   mail   110 k short POP3/IMAP sessions from 22 k clients to 48 servers
 *   flood  a million one-packet flows and unanswered SYNs to the mail
 *          ports, with 2000 real sessions mixed in
 *   bulk   about 1 GiB of long sessions downloading large mailboxes
 *
 * Connections are interleaved: a fixed number of slots each play one
 * connection's script, and every packet comes from a slot drawn at random,
 * so the capture looks like many concurrent connections, in time order.
 *
 * Addresses: clients 10.0.0.0/8 and 2001:db8:c::/48 (the flood spoofs
 * 172.16.0.0/12), mail servers 198.51.100.0/24 and 2001:db8:5::/48, other
 * servers 203.0.113.0/24 and 2001:db8:3::/48.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conv.h"
#include "mail.h"
#include "noise.h"
#include "truth.h"
#include "wire.h"

#define GEN_VERSION 2	/* bump when the output of a seed changes */

#define GEN_EPOCH 1767607200u	/* 2026-01-05T10:00:00Z */
#define GEN_MAIL_SERVERS_V4 40u
#define GEN_MAIL_SERVERS_V6 8u
#define GEN_KINDS_MAX 64u
#define GEN_PORT_FIRST 32768u
#define GEN_PORT_SPAN 28000u

struct gen;

struct workload {
	const char *name;
	uint32_t slots;		/* connections in progress at once */
	uint32_t gap_us;	/* mean time between packets */
	bool (*start)(struct gen *g, struct conv *c);
};

struct gen {
	const struct workload *wl;
	double scale;
	struct rng rng;
	struct conv_pools pools;
	struct wire wire;
	struct truth truth;
	uint64_t now_us;
	uint64_t conns;
	/* clients: an address each, and the next source port */
	uint32_t nclients4;
	uint32_t nclients6;
	uint16_t *next_port;
	/* quotas and counters */
	uint64_t target_bytes;
	uint64_t mail_target;
	uint64_t flood_target;
	uint64_t mail_sessions;
	uint64_t other_flows;
	uint64_t flood_flows;
	uint64_t kind_count[GEN_KINDS_MAX];
	uint64_t shape_count[CONV_SHAPE_COUNT];
	uint64_t ipv6_conns;
	uint64_t vlan_conns;
	bool is_bug;
};

/* --- addresses --- */

static void
set_v4(uint8_t *a, uint32_t v)
{
	memset(a, 0, 16);
	a[0] = (uint8_t)(v >> 24);
	a[1] = (uint8_t)(v >> 16);
	a[2] = (uint8_t)(v >> 8);
	a[3] = (uint8_t)v;
}

static void
set_v6(uint8_t *a, uint16_t site, uint32_t host)
{
	static const uint8_t prefix[4] = {0x20, 0x01, 0x0d, 0xb8};

	memset(a, 0, 16);
	memcpy(a, prefix, 4);
	a[4] = (uint8_t)(site >> 8);
	a[5] = (uint8_t)site;
	a[12] = (uint8_t)(host >> 24);
	a[13] = (uint8_t)(host >> 16);
	a[14] = (uint8_t)(host >> 8);
	a[15] = (uint8_t)host;
}

static void
set_mac(uint8_t *mac, uint32_t id)
{
	mac[0] = 0x02;
	mac[1] = 0x00;
	mac[2] = (uint8_t)(id >> 24);
	mac[3] = (uint8_t)(id >> 16);
	mac[4] = (uint8_t)(id >> 8);
	mac[5] = (uint8_t)id;
}

/* A connection from client `client` (IPv6 if it is past the IPv4 ones)
 * to server `server` on `port`; 10% of them tagged with a VLAN. */
static void
make_path(struct gen *g, struct wire_path *p, uint32_t client,
    uint32_t server, bool is_mail_server, uint16_t port)
{
	bool is_v6 = client >= g->nclients4;

	memset(p, 0, sizeof(*p));
	p->family = is_v6 ? 6 : 4;
	if (is_v6) {
		set_v6(p->addr[0], 0xc, client - g->nclients4 + 1u);
		set_v6(p->addr[1], is_mail_server ? 0x5 : 0x3, server + 16u);
		g->ipv6_conns++;
	} else {
		set_v4(p->addr[0], 0x0a010000u + client + 1u);
		uint32_t net = is_mail_server ? 0xc6336400u + 10u
					      : 0xcb007100u + 1u;

		set_v4(p->addr[1], net + server);
	}
	p->port[0] = (uint16_t)(GEN_PORT_FIRST +
	    g->next_port[client]++ % GEN_PORT_SPAN);
	p->port[1] = port;
	set_mac(p->mac[0], 0x0a000000u + client);
	set_mac(p->mac[1], 1);		/* the gateway */
	if (rng_percent(&g->rng, 10)) {
		p->vlan = (uint16_t)rng_range(&g->rng, 10, 99);
		g->vlan_conns++;
	}
}

/* A connection's script starts with random ISNs (drawn one per statement:
 * the order in which a call's arguments are evaluated is unspecified, and
 * gcc and clang differ). */
static void
reset(struct gen *g, struct conv *c, const struct wire_path *p)
{
	uint32_t isn_c = (uint32_t)rng_next(&g->rng);
	uint32_t isn_s = (uint32_t)rng_next(&g->rng);

	conv_reset(c, p, isn_c, isn_s);
}

static uint32_t
pick_client(struct gen *g, bool allow_v6)
{
	uint32_t n = g->nclients4 + (allow_v6 ? g->nclients6 : 0u);

	return rng_below(&g->rng, n);
}

/* --- mail sessions --- */

static enum conv_shape
pick_shape(struct gen *g)
{
	uint32_t r = rng_below(&g->rng, 100);

	if (r < 70)
		return CONV_WHOLE;
	if (r < 82)
		return CONV_SPLIT;
	if (r < 91)
		return CONV_REORDER;
	return CONV_RETRANS;
}

static uint32_t
kind_weight(const struct mail_kind *k, bool is_bulk)
{
	return is_bulk ? k->bulk_weight : k->weight;
}

/* The next kind: every kind once, in table order, then by weight (or, for
 * `mix`, every kind in turn all along). */
static const struct mail_kind *
next_kind(struct gen *g, bool is_cycle, bool is_bulk)
{
	const struct mail_kind *kinds;
	size_t n = mail_kinds(&kinds);
	size_t eligible = 0;

	for (size_t i = 0; i < n; i++)
		if (kind_weight(&kinds[i], is_bulk) > 0)
			eligible++;
	if (is_cycle || g->mail_sessions < eligible) {
		size_t want = (size_t)(g->mail_sessions % eligible);

		for (size_t i = 0; i < n; i++) {
			if (kind_weight(&kinds[i], is_bulk) == 0)
				continue;
			if (want-- == 0)
				return &kinds[i];
		}
	}
	return mail_pick(&g->rng, is_bulk);
}

static void
start_mail(struct gen *g, struct conv *c, const struct mail_kind *k,
    uint32_t downloads, uint32_t size_min, uint32_t size_max)
{
	const struct mail_kind *kinds;
	size_t nkinds = mail_kinds(&kinds);
	size_t idx = (size_t)(k - kinds);
	struct wire_path p;
	uint32_t client = pick_client(g, true);
	bool is_v6 = client >= g->nclients4;
	uint32_t nservers = is_v6 ? GEN_MAIL_SERVERS_V6 : GEN_MAIL_SERVERS_V4;
	/* most clients always use the same server */
	uint32_t server = client % nservers;

	if (rng_percent(&g->rng, 10))
		server = rng_below(&g->rng, nservers);

	make_path(g, &p, client, server, true, k->port);
	reset(g, c, &p);

	struct mail_ctx m = {
		.c = c,
		.rng = &g->rng,
		.truth = &g->truth,
		.conn = ++g->conns,
		.user = client,
		.shape = pick_shape(g),
		.downloads = downloads,
		.size_min = size_min,
		.size_max = size_max,
		.tag = 0,
	};

	k->build(&m);
	g->mail_sessions++;
	if (idx < nkinds && idx < GEN_KINDS_MAX)
		g->kind_count[idx]++;
	g->shape_count[m.shape]++;
	if (c->is_overflow) {
		fprintf(stderr, "gen: the script of %s did not fit\n", k->name);
		g->is_bug = true;
	}
}

/* --- workloads --- */

static bool
start_mix(struct gen *g, struct conv *c)
{
	if (g->wire.file_bytes >= g->target_bytes)
		return false;
	/* one connection in 50 is POP3/IMAP */
	if ((g->mail_sessions + g->other_flows) % 50 == 25) {
		uint32_t downloads = rng_below(&g->rng, 4);

		start_mail(g, c, next_kind(g, true, false), downloads, 2000,
		    200000);
		return true;
	}
	static const uint32_t share[NOISE_KIND_COUNT] = {45, 25, 15, 15};
	uint32_t r = rng_below(&g->rng, 100);
	enum noise_kind k = NOISE_HTTPS;

	for (int i = 0; i < NOISE_KIND_COUNT; i++) {
		if (r < share[i]) {
			k = (enum noise_kind)i;
			break;
		}
		r -= share[i];
	}
	uint64_t size = rng_percent(&g->rng, 90)
	    ? mail_size(&g->rng, 300, 16384)
	    : mail_size(&g->rng, 16384, 786432);
	struct wire_path p;
	uint32_t client = pick_client(g, true);
	uint32_t server = rng_below(&g->rng,
	    client >= g->nclients4 ? 16u : 200u);

	make_path(g, &p, client, server, false, noise_port(k));
	reset(g, c, &p);
	noise_build(c, &g->rng, k, size);
	g->conns++;
	g->other_flows++;
	return true;
}

static bool
start_mail_wl(struct gen *g, struct conv *c)
{
	if (g->mail_sessions >= g->mail_target)
		return false;
	uint32_t r = rng_below(&g->rng, 100);
	uint32_t downloads = r < 30 ? 0 : r < 90 ? 1 : 2;

	start_mail(g, c, next_kind(g, false, false), downloads, 300, 3000);
	return true;
}

static bool
start_flood(struct gen *g, struct conv *c)
{
	uint64_t mail_left = g->mail_target - g->mail_sessions;
	uint64_t flood_left = g->flood_target - g->flood_flows;

	if (mail_left + flood_left == 0)
		return false;
	/* real sessions spread evenly through the flood */
	if (rng_unit(&g->rng) * (double)(mail_left + flood_left) <
	    (double)mail_left) {
		start_mail(g, c, next_kind(g, false, false), 1, 600, 8000);
		return true;
	}
	struct wire_path p;
	/* half unanswered SYNs, half lone segments of text or bytes */
	enum flood_kind k = rng_percent(&g->rng, 50)
	    ? FLOOD_SYN
	    : rng_percent(&g->rng, 50) ? FLOOD_PROBE : FLOOD_JUNK;

	memset(&p, 0, sizeof(p));
	p.family = 4;
	set_v4(p.addr[0], 0xac100000u + rng_below(&g->rng, 1u << 20));
	set_v4(p.addr[1], 0xc6336400u + 10u +
	    rng_below(&g->rng, GEN_MAIL_SERVERS_V4));
	p.port[0] = (uint16_t)rng_range(&g->rng, 1024, 65535);
	p.port[1] = rng_percent(&g->rng, 50) ? 110 : 143;
	set_mac(p.mac[0], 0xac000000u);
	set_mac(p.mac[1], 1);
	reset(g, c, &p);
	noise_flood(c, &g->rng, k);
	g->conns++;
	g->flood_flows++;
	return true;
}

static bool
start_bulk(struct gen *g, struct conv *c)
{
	if (g->wire.file_bytes >= g->target_bytes)
		return false;
	/* smaller mailboxes at small scales, so that --quick stays quick */
	double f = g->scale * 20.0 < 1.0 ? g->scale * 20.0 : 1.0;
	uint32_t hi = (uint32_t)(4.0 * 1048576.0 * f);

	if (hi < 131072)
		hi = 131072;
	const struct mail_kind *k = next_kind(g, false, true);

	start_mail(g, c, k, rng_range(&g->rng, 4, 12), 65536, hi);
	return true;
}

static const struct workload workloads[] = {
	{"mix", 48, 100, start_mix},
	{"mail", 512, 30, start_mail_wl},
	{"flood", 64, 50, start_flood},
	{"bulk", 16, 10, start_bulk},
};

/* --- the mixer --- */

static bool
run(struct gen *g)
{
	uint32_t n = g->wl->slots;
	struct conv *slot = malloc((size_t)n * sizeof(*slot));
	uint32_t *active = malloc((size_t)n * sizeof(*active));
	uint32_t nactive = 0;

	if (slot == NULL || active == NULL) {
		free(slot);
		free(active);
		return false;
	}
	for (uint32_t i = 0; i < n && g->wl->start(g, &slot[i]); i++)
		active[nactive++] = i;
	while (nactive > 0) {
		uint32_t k = rng_below(&g->rng, nactive);
		struct conv *c = &slot[active[k]];

		if (conv_emit(c, &g->pools, &g->rng, &g->wire, g->now_us)) {
			g->now_us += 1u + rng_below(&g->rng,
			    2u * g->wl->gap_us);
			continue;
		}
		if (!g->wl->start(g, c))
			active[k] = active[--nactive];
	}
	free(slot);
	free(active);
	return true;
}

/* --- output --- */

static bool
write_meta(struct gen *g, const char *path, uint64_t seed, long offenders)
{
	FILE *f = fopen(path, "w");
	const struct mail_kind *kinds;
	size_t nk = mail_kinds(&kinds);
	static const char *const shape_name[] = {"whole", "split", "reorder",
	    "retransmit"};

	if (f == NULL)
		return false;
	fprintf(f,
	    "{\"workload\":\"%s\",\"generator\":%d,\"seed\":%llu,"
	    "\"scale\":%g,\"packets\":%llu,\"file_bytes\":%llu,"
	    "\"wire_bytes\":%llu,\"seconds\":%.3f,\"connections\":%llu,"
	    "\"mail_sessions\":%llu,\"other_flows\":%llu,"
	    "\"flood_flows\":%llu,\"ipv6_connections\":%llu,"
	    "\"vlan_connections\":%llu,\"logins\":%zu,\"offenders\":%ld,"
	    "\"kinds\":{",
	    g->wl->name, GEN_VERSION, (unsigned long long)seed, g->scale,
	    (unsigned long long)g->wire.packets,
	    (unsigned long long)g->wire.file_bytes,
	    (unsigned long long)g->wire.wire_bytes,
	    (double)(g->now_us - (uint64_t)GEN_EPOCH * 1000000u) / 1e6,
	    (unsigned long long)g->conns,
	    (unsigned long long)g->mail_sessions,
	    (unsigned long long)g->other_flows,
	    (unsigned long long)g->flood_flows,
	    (unsigned long long)g->ipv6_conns,
	    (unsigned long long)g->vlan_conns, g->truth.n, offenders);
	for (size_t i = 0; i < nk && i < GEN_KINDS_MAX; i++)
		fprintf(f, "%s\"%s\":%llu", i ? "," : "", kinds[i].name,
		    (unsigned long long)g->kind_count[i]);
	fprintf(f, "},\"shapes\":{");
	for (int i = 0; i < CONV_SHAPE_COUNT; i++)
		fprintf(f, "%s\"%s\":%llu", i ? "," : "", shape_name[i],
		    (unsigned long long)g->shape_count[i]);
	fprintf(f, "}}\n");
	return fclose(f) == 0;
}

static void
usage(FILE *out)
{
	fprintf(out,
	    "usage: gen [--scale F] [--seed N] WORKLOAD OUTDIR\n"
	    "       gen --version\n"
	    "WORKLOAD: mix, mail, flood, bulk.  Writes OUTDIR/WORKLOAD.pcap,\n"
	    "WORKLOAD.logins.tsv, WORKLOAD.offenders.tsv, WORKLOAD.meta.json.\n"
	    "--scale F multiplies the size (default 1); --seed N (default "
	    "1).\n");
}

int
main(int argc, char **argv)
{
	double scale = 1.0;
	uint64_t seed = 1;
	int i = 1;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--version") == 0) {
			printf("%d\n", GEN_VERSION);
			return 0;
		} else if (strcmp(argv[i], "--scale") == 0 && i + 1 < argc) {
			scale = strtod(argv[++i], NULL);
		} else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
			seed = strtoull(argv[++i], NULL, 10);
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (argc - i != 2 || !(scale > 0.0 && scale <= 16.0)) {
		usage(stderr);
		return 2;
	}
	const char *name = argv[i];
	const char *dir = argv[i + 1];
	struct gen g;

	memset(&g, 0, sizeof(g));
	for (size_t k = 0; k < sizeof(workloads) / sizeof(workloads[0]); k++)
		if (strcmp(name, workloads[k].name) == 0)
			g.wl = &workloads[k];
	if (g.wl == NULL) {
		usage(stderr);
		return 2;
	}
	g.scale = scale;
	/* each workload has its own stream of the seed */
	g.rng.s = seed * 0x100000001b3u + (uint64_t)(g.wl - workloads);
	g.now_us = (uint64_t)GEN_EPOCH * 1000000u;
	g.target_bytes = (uint64_t)(1073741824.0 * scale);
	g.mail_target = (uint64_t)(110000.0 * scale);
	if (strcmp(name, "flood") == 0) {
		g.mail_target = (uint64_t)(2000.0 * scale);
		if (g.mail_target < 40)
			g.mail_target = 40;
		g.flood_target = (uint64_t)(1000000.0 * scale);
	}
	/* many thousands of clients (fewer at small scales, so that each
	 * offender row still has a few attempts) */
	g.nclients4 = (uint32_t)(20000.0 * (scale < 1.0 ? scale : 1.0));
	if (g.nclients4 < 200)
		g.nclients4 = 200;
	g.nclients6 = g.nclients4 / 10;
	g.next_port = calloc((size_t)(g.nclients4 + g.nclients6),
	    sizeof(*g.next_port));

	char path[4096], lpath[4096], opath[4096], mpath[4096];

	snprintf(path, sizeof(path), "%s/%s.pcap", dir, name);
	snprintf(lpath, sizeof(lpath), "%s/%s.logins.tsv", dir, name);
	snprintf(opath, sizeof(opath), "%s/%s.offenders.tsv", dir, name);
	snprintf(mpath, sizeof(mpath), "%s/%s.meta.json", dir, name);
	if (g.next_port == NULL || !conv_pools_init(&g.pools, &g.rng)) {
		fprintf(stderr, "gen: out of memory\n");
		return 1;
	}
	if (!wire_open(&g.wire, path)) {
		fprintf(stderr, "gen: %s: %s\n", path, strerror(errno));
		return 1;
	}
	bool is_ok = run(&g);

	is_ok = wire_close(&g.wire) && is_ok;
	long offenders = is_ok && !g.truth.is_nomem
	    ? truth_write(&g.truth, lpath, opath)
	    : -1;

	if (!is_ok || offenders < 0 ||
	    !write_meta(&g, mpath, seed, offenders)) {
		fprintf(stderr, "gen: writing %s: %s\n", dir, strerror(errno));
		return 1;
	}
	if (g.is_bug)
		return 1;
	fprintf(stderr,
	    "gen: %s: %llu packets, %.1f MiB, %llu connections, %zu logins, "
	    "%ld offenders\n",
	    path, (unsigned long long)g.wire.packets,
	    (double)g.wire.file_bytes / 1048576.0,
	    (unsigned long long)g.conns, g.truth.n, offenders);
	truth_free(&g.truth);
	conv_pools_free(&g.pools);
	free(g.next_port);
	return 0;
}
