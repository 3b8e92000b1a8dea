/* test_defrag.c: IP fragment reassembly (src/decode/defrag.c), fed
 * fragments laid out by hand (RFC 791: offsets in 8-byte units, MF). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <pcap/dlt.h>

#include "decode/defrag.h"
#include "decode/link.h"
#include "bounds.h"

struct fx {
	struct budget budget;
	struct stats stats;
	struct defrag *d;
};

static int
setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	assert_non_null(fx);
	fx->budget.max = 1u << 20;
	fx->d = defrag_new(&fx->budget, &fx->stats);
	assert_non_null(fx->d);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *fx = *state;

	defrag_free(fx->d);
	assert_int_equal(fx->budget.used, 0);
	free(fx);
	return 0;
}

/* An IPv4 fragment of datagram `id` (protocol TCP): data at byte
 * offset `off` (a multiple of 8), MF set unless is_last. */
static size_t
frag4(uint8_t *buf, uint16_t id, uint32_t off, bool is_last,
    const uint8_t *data, size_t n)
{
	size_t total = 20 + n;
	uint16_t fo = (uint16_t)(off / 8) | (is_last ? 0 : 0x2000);

	memset(buf, 0, 20);
	buf[0] = 0x45;
	buf[2] = (uint8_t)(total >> 8);
	buf[3] = (uint8_t)total;
	buf[4] = (uint8_t)(id >> 8);
	buf[5] = (uint8_t)id;
	buf[6] = (uint8_t)(fo >> 8);
	buf[7] = (uint8_t)fo;
	buf[8] = 64;
	buf[9] = 6;
	buf[12] = 192, buf[13] = 0, buf[14] = 2, buf[15] = 1;
	buf[16] = 198, buf[17] = 51, buf[18] = 100, buf[19] = 1;
	memcpy(buf + 20, data, n);
	return total;
}

/* Feed one fragment; returns whether it completed the datagram. */
static bool
add(struct fx *fx, const uint8_t *pkt, size_t len, int64_t now,
    uint8_t **out, size_t *out_len)
{
	struct pkt_view pv;
	uint8_t *copy = malloc(len);

	assert_non_null(copy);
	memcpy(copy, pkt, len);
	assert_int_equal(link_decode(DLT_RAW, copy, len, &pv),
	    STAT_IPV4_FRAGMENT);
	bool is_whole = defrag_add(fx->d, &pv, copy, now, out, out_len);

	free(copy);	/* the defragmenter keeps its own copy */
	return is_whole;
}

/* 40 bytes of "TCP": header + payload, the datagram split 16/16/8. */
static uint8_t tcp[40];

static void
fill_tcp(void)
{
	for (size_t i = 0; i < sizeof(tcp); i++)
		tcp[i] = (uint8_t)('A' + i % 26);
}

static void
test_defrag_in_order_fragments_rebuild_the_datagram(void **state)
{
	struct fx *fx = *state;
	uint8_t pkt[64];
	uint8_t *out;
	size_t out_len;

	fill_tcp();
	assert_false(add(fx, pkt, frag4(pkt, 7, 0, false, tcp, 16), 100,
	    &out, &out_len));
	assert_false(add(fx, pkt, frag4(pkt, 7, 16, false, tcp + 16, 16),
	    100, &out, &out_len));
	assert_true(add(fx, pkt, frag4(pkt, 7, 32, true, tcp + 32, 8), 100,
	    &out, &out_len));
	assert_int_equal(out_len, 20 + 40);
	assert_int_equal(out[0], 0x45);
	assert_int_equal(out[6] & 0x3f, 0);	/* no MF, offset 0 */
	assert_int_equal(out[9], 6);
	assert_memory_equal(out + 20, tcp, 40);
	assert_int_equal(fx->stats.v[STAT_IP_REASSEMBLED], 1);
	defrag_done(fx->d);
}

static void
test_defrag_out_of_order_and_overlap_first_copy_wins(void **state)
{
	struct fx *fx = *state;
	uint8_t pkt[64], evil[16];
	uint8_t *out;
	size_t out_len;

	fill_tcp();
	memset(evil, 'Z', sizeof(evil));
	assert_false(add(fx, pkt, frag4(pkt, 9, 32, true, tcp + 32, 8), 5,
	    &out, &out_len));
	assert_false(add(fx, pkt, frag4(pkt, 9, 16, false, tcp + 16, 16), 5,
	    &out, &out_len));
	/* a second copy of [16, 32) with other bytes: counted, ignored */
	assert_false(add(fx, pkt, frag4(pkt, 9, 16, false, evil, 16), 5, &out,
	    &out_len));
	assert_true(add(fx, pkt, frag4(pkt, 9, 0, false, tcp, 16), 5, &out,
	    &out_len));
	assert_memory_equal(out + 20, tcp, 40);
	assert_int_equal(fx->stats.v[STAT_IP_FRAG_CONFLICT], 1);
	defrag_done(fx->d);
}

static void
test_defrag_inconsistent_end_gives_up(void **state)
{
	struct fx *fx = *state;
	uint8_t pkt[64];
	uint8_t *out;
	size_t out_len;

	fill_tcp();
	assert_false(add(fx, pkt, frag4(pkt, 3, 16, true, tcp + 16, 8), 5,
	    &out, &out_len));
	/* data past the end the last fragment set */
	assert_false(add(fx, pkt, frag4(pkt, 3, 24, false, tcp + 24, 16), 5,
	    &out, &out_len));
	assert_int_equal(fx->stats.v[STAT_CAP_FRAG], 2);
	/* the datagram was dropped: a new first fragment starts over */
	assert_false(add(fx, pkt, frag4(pkt, 3, 0, false, tcp, 16), 5, &out,
	    &out_len));
}

static void
test_defrag_incomplete_datagrams_expire(void **state)
{
	struct fx *fx = *state;
	uint8_t pkt[64];
	uint8_t *out;
	size_t out_len;

	fill_tcp();
	assert_false(add(fx, pkt, frag4(pkt, 4, 0, false, tcp, 16), 100,
	    &out, &out_len));
	defrag_expire(fx->d, 120);	/* 20 s: not yet */
	assert_int_equal(fx->stats.v[STAT_CAP_FRAG], 0);
	defrag_expire(fx->d, 131);	/* over DEFRAG_TIMEOUT */
	assert_int_equal(fx->stats.v[STAT_CAP_FRAG], 1);
	assert_int_equal(fx->budget.used, 0);
}

static void
test_defrag_flood_is_bounded(void **state)
{
	struct fx *fx = *state;
	uint8_t pkt[64];
	uint8_t *out;
	size_t out_len;

	fill_tcp();
	/* more datagrams in progress than the limit: the oldest go */
	for (uint32_t i = 0; i < 3 * DEFRAG_DATAGRAMS_MAX; i++)
		assert_false(add(fx, pkt, frag4(pkt, (uint16_t)i, 0, false,
				     tcp, 16),
		    (int64_t)i, &out, &out_len));
	assert_int_equal(fx->stats.v[STAT_CAP_FRAG],
	    2 * DEFRAG_DATAGRAMS_MAX);
	assert_true(fx->budget.used <= DEFRAG_DATAGRAMS_MAX * (40 + 16) * 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_defrag_in_order_fragments_rebuild_the_datagram, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_defrag_out_of_order_and_overlap_first_copy_wins, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_defrag_inconsistent_end_gives_up, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_defrag_incomplete_datagrams_expire, setup, teardown),
		cmocka_unit_test_setup_teardown(test_defrag_flood_is_bounded,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
