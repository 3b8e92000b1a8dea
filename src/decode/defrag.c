/* defrag.c: IP fragment reassembly (see defrag.h).
 *
 * RFC 791 and 8200 sec. 4.5.  Each datagram keeps a buffer grown to the
 * highest byte seen (charged to the budget; never realloc'd, which would
 * free an unwiped copy) and a sorted list of the byte ranges received.
 * A new fragment fills only the bytes not received yet; the bytes it
 * overlaps are compared with the first copy.  Lookups are a scan of the
 * datagrams in progress: fragmented TCP to a mail port is rare, and the
 * number in progress is capped.
 */
#include "decode/defrag.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "bounds.h"

#define DEFRAG_HEADER_ROOM 40u	/* room for the rebuilt IP header */
#define DEFRAG_DATA_MAX 65535u	/* an IP datagram's data, at most */

struct range {
	uint32_t off;
	uint32_t len;
};

struct datagram {
	bool is_used;
	bool has_end;
	uint8_t family;
	uint8_t proto;
	uint8_t src[16];
	uint8_t dst[16];
	uint32_t id;
	int64_t first_sec;
	uint32_t end;		/* data length, known from the last fragment */
	uint32_t n_frags;	/* fragments received */
	uint8_t *buf;		/* DEFRAG_HEADER_ROOM + data */
	size_t size;		/* allocated */
	uint32_t n_ranges;
	struct range ranges[DEFRAG_FRAGMENTS_MAX];
};

struct defrag {
	struct budget *budget;
	struct stats *stats;
	struct datagram *done;	/* handed out by defrag_add() */
	struct datagram slot[DEFRAG_DATAGRAMS_MAX];
};

struct defrag *
defrag_new(struct budget *budget, struct stats *stats)
{
	/* ~600 KiB, committed by the kernel only as slots are used */
	struct defrag *d = calloc(1, sizeof(*d));

	if (d != NULL) {
		d->budget = budget;
		d->stats = stats;
	}
	return d;
}

static void
drop(struct defrag *d, struct datagram *g)
{
	if (g->buf != NULL) {
		OPENSSL_cleanse(g->buf, g->size);
		free(g->buf);
		budget_give(d->budget, g->size);
	}
	memset(g, 0, sizeof(*g));
}

void
defrag_free(struct defrag *d)
{
	if (d == NULL)
		return;
	for (size_t i = 0; i < DEFRAG_DATAGRAMS_MAX; i++)
		if (d->slot[i].is_used)
			drop(d, &d->slot[i]);
	free(d);
}

/* Give up a datagram: its fragments are counted as dropped. */
static void
give_up(struct defrag *d, struct datagram *g)
{
	d->stats->v[STAT_CAP_FRAG] += g->n_frags ? g->n_frags : 1;
	drop(d, g);
}

static struct datagram *
find(struct defrag *d, const struct pkt_view *pv)
{
	struct datagram *free_slot = NULL, *oldest = NULL;

	for (size_t i = 0; i < DEFRAG_DATAGRAMS_MAX; i++) {
		struct datagram *g = &d->slot[i];

		if (!g->is_used) {
			if (free_slot == NULL)
				free_slot = g;
			continue;
		}
		if (g->family == pv->frag.family && g->id == pv->frag.id &&
		    g->proto == pv->frag.proto &&
		    memcmp(g->src, pv->src, 16) == 0 &&
		    memcmp(g->dst, pv->dst, 16) == 0)
			return g;
		if (oldest == NULL || g->first_sec < oldest->first_sec)
			oldest = g;
	}
	if (free_slot == NULL) {
		/* full: the oldest datagram in progress goes */
		give_up(d, oldest);
		free_slot = oldest;
	}
	return free_slot;
}

/* Make room for data bytes [0, need). */
static bool
grow(struct defrag *d, struct datagram *g, uint32_t need)
{
	size_t want = DEFRAG_HEADER_ROOM + (size_t)need;

	if (want <= g->size)
		return true;
	if (want < g->size * 2)
		want = g->size * 2;
	if (want > DEFRAG_HEADER_ROOM + DEFRAG_DATA_MAX)
		want = DEFRAG_HEADER_ROOM + DEFRAG_DATA_MAX;
	if (!budget_take(d->budget, want - g->size))
		return false;
	uint8_t *nb = calloc(1, want);

	if (nb == NULL) {
		budget_give(d->budget, want - g->size);
		return false;
	}
	if (g->buf != NULL) {
		memcpy(nb, g->buf, g->size);
		OPENSSL_cleanse(g->buf, g->size);
		free(g->buf);
	}
	g->buf = nb;
	g->size = want;
	return true;
}

/* Copy [off, off+len) where nothing was received yet; compare the rest
 * with the first copy.  Keeps the ranges sorted and merged. */
static bool
fill(struct defrag *d, struct datagram *g, uint32_t off, uint32_t len,
    const uint8_t *p)
{
	uint8_t *data = g->buf + DEFRAG_HEADER_ROOM;
	uint32_t end = off + len;
	bool is_conflict = false;

	for (uint32_t i = 0; i < g->n_ranges; i++) {
		struct range *r = &g->ranges[i];
		uint32_t a = off > r->off ? off : r->off;
		uint32_t b = end < r->off + r->len ? end : r->off + r->len;

		if (a < b && memcmp(data + a, p + (a - off), b - a) != 0)
			is_conflict = true;
	}
	/* copy the uncovered parts: walk the gaps between ranges */
	uint32_t cur = off;

	for (uint32_t i = 0; i <= g->n_ranges && cur < end; i++) {
		uint32_t gap_end = i < g->n_ranges ? g->ranges[i].off : end;

		if (gap_end > end)
			gap_end = end;
		if (cur < gap_end)
			memcpy(data + cur, p + (cur - off), gap_end - cur);
		if (i < g->n_ranges) {
			uint32_t r_end = g->ranges[i].off + g->ranges[i].len;

			if (r_end > cur)
				cur = r_end > gap_end ? r_end : gap_end;
		}
	}
	if (is_conflict)
		d->stats->v[STAT_IP_FRAG_CONFLICT]++;
	/* insert [off, end) and merge */
	if (g->n_ranges >= DEFRAG_FRAGMENTS_MAX)
		return false;
	uint32_t at = 0;

	while (at < g->n_ranges && g->ranges[at].off < off)
		at++;
	memmove(&g->ranges[at + 1], &g->ranges[at],
	    (g->n_ranges - at) * sizeof(g->ranges[0]));
	g->ranges[at].off = off;
	g->ranges[at].len = len;
	g->n_ranges++;
	uint32_t w = 0;

	for (uint32_t i = 1; i < g->n_ranges; i++) {
		struct range *last = &g->ranges[w];
		uint32_t last_end = last->off + last->len;

		if (g->ranges[i].off <= last_end) {
			uint32_t e = g->ranges[i].off + g->ranges[i].len;

			if (e > last_end)
				last->len = e - last->off;
		} else {
			g->ranges[++w] = g->ranges[i];
		}
	}
	g->n_ranges = w + 1;
	return true;
}

static void
put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

bool
defrag_add(struct defrag *d, const struct pkt_view *pv, const uint8_t *frame,
    int64_t now, uint8_t **out, size_t *out_len)
{
	const struct pkt_frag *f = &pv->frag;
	struct datagram *g = find(d, pv);

	if (!g->is_used) {
		g->is_used = true;
		g->family = f->family;
		g->proto = f->proto;
		g->id = f->id;
		memcpy(g->src, pv->src, 16);
		memcpy(g->dst, pv->dst, 16);
		g->first_sec = now;
	}
	g->n_frags++;
	uint32_t end = f->offset + f->len;

	/* a cut fragment leaves a hole that never fills; a datagram past
	 * 64 KiB, or an end that moves, is not a datagram */
	if (f->is_cut || end > DEFRAG_DATA_MAX || f->len == 0 ||
	    (g->has_end && (end > g->end || (f->is_last && end != g->end))) ||
	    (!f->is_last && f->len % 8 != 0)) {
		give_up(d, g);
		return false;
	}
	if (f->is_last) {
		g->has_end = true;
		g->end = end;
	}
	if (!grow(d, g, end) || !fill(d, g, f->offset, f->len,
				       frame + f->data_off)) {
		give_up(d, g);
		return false;
	}
	if (!g->has_end || g->n_ranges != 1 || g->ranges[0].off != 0 ||
	    g->ranges[0].len != g->end)
		return false;
	/* whole: a fresh header in front of the data */
	size_t hlen = g->family == 4 ? 20 : 40;
	uint8_t *h = g->buf + DEFRAG_HEADER_ROOM - hlen;

	if (g->family == 4 && g->end > DEFRAG_DATA_MAX - 20) {
		give_up(d, g);
		return false;
	}
	memset(h, 0, hlen);
	if (g->family == 4) {
		h[0] = 0x45;
		put16(h + 2, 20 + g->end);
		put16(h + 4, g->id);
		h[8] = 64;
		h[9] = g->proto;
		memcpy(h + 12, g->src, 4);
		memcpy(h + 16, g->dst, 4);
	} else {
		h[0] = 0x60;
		put16(h + 4, g->end);
		h[6] = g->proto;
		h[7] = 64;
		memcpy(h + 8, g->src, 16);
		memcpy(h + 24, g->dst, 16);
	}
	d->stats->v[STAT_IP_REASSEMBLED]++;
	d->done = g;
	*out = h;
	*out_len = hlen + g->end;
	return true;
}

void
defrag_done(struct defrag *d)
{
	if (d->done != NULL)
		drop(d, d->done);
	d->done = NULL;
}

void
defrag_expire(struct defrag *d, int64_t now)
{
	for (size_t i = 0; i < DEFRAG_DATAGRAMS_MAX; i++) {
		struct datagram *g = &d->slot[i];

		if (g->is_used && g->first_sec + (int64_t)DEFRAG_TIMEOUT < now)
			give_up(d, g);
	}
}
