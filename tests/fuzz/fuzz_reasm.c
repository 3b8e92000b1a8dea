/* fuzz_reasm.c: one direction's reassembly fed a sequence of segments.
 * Input: records [op][delta hi][delta lo][len][len bytes of payload];
 * op picks segment / peer ACK / flush, delta is a signed offset from the
 * expected sequence number (so holes, overlaps and retransmissions are
 * all likely), with a small budget so the caps are hit too.  Checks that
 * bytes come out at most once and that the budget is given back. */
#include <stdlib.h>
#include <string.h>

#include "flow/reasm.h"
#include "fuzz.h"

struct seen {
	uint64_t delivered;
	uint64_t gaps;
};

static void
on_data(void *arg, const uint8_t *p, uint32_t n, struct event_time ts)
{
	struct seen *s = arg;
	volatile uint8_t sink = 0;

	(void)ts;
	for (uint32_t i = 0; i < n; i++)
		sink ^= p[i];	/* touch every byte: ASan checks them */
	(void)sink;
	s->delivered += n;
}

static void
on_gap(void *arg, uint32_t n, struct event_time ts)
{
	struct seen *s = arg;

	(void)ts;
	s->gaps += n;
}

static void
on_conflict(void *arg, const uint8_t *kept, uint32_t kept_n,
    const uint8_t *other, uint32_t other_n, struct event_time ts)
{
	volatile uint8_t sink = 0;

	(void)arg;
	(void)ts;
	for (uint32_t i = 0; i < kept_n; i++)
		sink ^= kept[i];	/* both copies must be readable */
	for (uint32_t i = 0; i < other_n; i++)
		sink ^= other[i];
	(void)sink;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct stats stats;
	struct budget budget = {.max = 4096};
	struct reasm_env env = {&stats, &budget, {0, 0}, NULL};
	struct seen seen = {0, 0};
	const struct reasm_sink sink = {on_data, on_gap, &seen, on_conflict};
	struct reasm r;
	size_t i = 0;

	memset(&stats, 0, sizeof(stats));
	memset(&r, 0, sizeof(r));
	reasm_start(&r, 0xfffff000u);	/* wrap within reach */
	reasm_record(&r);
	while (i + 4 <= size) {
		uint8_t op = data[i];
		/* a signed 16-bit offset, sign-extended by hand */
		uint32_t delta = (uint32_t)data[i + 1] << 8 | data[i + 2];
		size_t len = data[i + 3];

		i += 4;
		if (len > size - i)
			len = size - i;
		uint32_t seq = r.next + (delta & 0x8000u ? 0xffff0000u | delta
							 : delta);

		env.now.usec++;
		switch (op % 4) {
		case 0:
		case 1: {
			uint8_t *p = fuzz_copy(data + i, len);
			/* sometimes a snaplen cut: fewer bytes captured */
			uint32_t caplen = op & 0x80 ? (uint32_t)len / 2
						    : (uint32_t)len;

			reasm_segment(&r, &env, seq, p, caplen, (uint32_t)len,
			    &sink);
			free(p);
			i += len;
			break;
		}
		case 2:
			reasm_peer_ack(&r, &env, seq, &sink);
			break;
		default:
			reasm_flush(&r, &env, &sink);
			break;
		}
		if (r.queued > 256u * 1024u || budget.used > budget.max)
			abort();
	}
	reasm_flush(&r, &env, &sink);
	reasm_free(&r, &env);
	if (budget.used != 0 || r.ooo != NULL)
		abort();
	return 0;
}
