/* report.c: offender and server rows from events (see report.h).
 *
 * Rows live in growable arrays with an open-addressing index (keys are
 * address bytes chosen by the network, hence the keyed SipHash).
 */
#include "report/report.h"

#include <arpa/inet.h>
#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/cursor.h"
#include "util/hash.h"

/* The server's part first: a server row's key is that part alone (its
 * client bytes are zero), and only that much is hashed and compared. */
struct row_key {
	uint8_t proto;
	uint8_t family;
	uint16_t port;
	uint8_t server[16];
	uint8_t client[16];
};

#define SERVER_KEY_LEN offsetof(struct row_key, client)
#define OFFENDER_KEY_LEN sizeof(struct row_key)

/* Open addressing, linear probing.  Each slot keeps the low 32 bits of
 * its row's key hash next to the row number: a probe compares those
 * before it reads the row's key, so a lookup touches one row (rows are
 * hundreds of bytes; comparing keys row by row was most of report_add's
 * time on bench/run mail), and growing needs no rehash. */
struct slot {
	uint32_t row;		/* row + 1; 0: empty */
	uint32_t hash;
};

struct index {
	struct slot *slot;
	size_t size;		/* power of two, at most 2^32 */
};

/* Every event names a server, and a run sees few servers (bench/run
 * mail: 96 of them): the rows found lately are remembered in a small
 * table, at a place picked by a cheap mix of the key, and tried before
 * the index (~190 instructions: a keyed hash and a probe).  It is only a
 * hint: a row is used only if its key is the one looked up, so keys
 * that collide here (chosen by the network or not) cost a lookup in the
 * index, no more.  report_sort() moves rows, and clears it. */
#define SRV_MEMO_SIZE 256

struct report {
	struct report_offender *off;
	size_t n_off, cap_off;
	struct index off_index;
	struct report_server *srv;
	size_t n_srv, cap_srv;
	struct index srv_index;
	/* server rows found lately, + 1 (0: none), by srv_memo_at() */
	uint32_t srv_memo[SRV_MEMO_SIZE];
	struct hash_key hkey;
	uint64_t logins;
	bool is_sorted;
	const struct allow *allow;
	const struct baseline *baseline;
};

struct report *
report_new(void)
{
	struct report *r = calloc(1, sizeof(*r));

	if (r != NULL)
		r->hkey = hash_key_random();
	return r;
}

void
report_free(struct report *r)
{
	if (r == NULL)
		return;
	free(r->off);
	free(r->srv);
	free(r->off_index.slot);
	free(r->srv_index.slot);
	free(r);
}

static struct row_key
key_of(enum proto p, const struct endpoint *client,
    const struct endpoint *server)
{
	struct row_key k;

	memset(&k, 0, sizeof(k));
	k.proto = (uint8_t)p;
	k.family = server->family;
	k.port = server->port;
	if (client != NULL)
		memcpy(k.client, client->addr, 16);
	memcpy(k.server, server->addr, 16);
	return k;
}

/* Whether row i has key k: its fields compared where they are, not a
 * row_key built from them and compared with a memcmp() call (the key of
 * every probed row was; bench/run mail).  The same fields as key_of(),
 * truncated as it truncates them. */
static bool
server_has_key(const struct report_server *s, const struct row_key *k)
{
	return (uint8_t)s->proto == k->proto &&
	    s->server.family == k->family && s->server.port == k->port &&
	    memcmp(s->server.addr, k->server, sizeof(k->server)) == 0;
}

static bool
offender_has_key(const struct report_offender *o, const struct row_key *k)
{
	return (uint8_t)o->proto == k->proto &&
	    o->server.family == k->family && o->server.port == k->port &&
	    memcmp(o->server.addr, k->server, sizeof(k->server)) == 0 &&
	    memcmp(o->client.addr, k->client, sizeof(k->client)) == 0;
}

static bool
row_has_key(const void *rows, size_t i, const struct row_key *k,
    bool is_server)
{
	if (is_server)
		return server_has_key(
		    &((const struct report_server *)rows)[i], k);
	return offender_has_key(&((const struct report_offender *)rows)[i], k);
}

/* Four bytes, little-endian, as a number. */
static uint64_t
le32(const uint8_t *p)
{
	return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 |
	    (uint64_t)p[3] << 24;
}

/* The key's hash.  Only the order of the index depends on it, never the
 * output.  Equal keys hash equal: an IPv4 key is hashed by the bytes an
 * IPv4 address uses (its first four; the family is hashed too), so that
 * a server key is one SipHash block and an offender key one block and
 * the last, not three and five (bench/run mail is IPv4 mostly). */
static uint32_t
key_hash(const struct report *r, const struct row_key *k, bool is_server)
{
	uint64_t head = (uint64_t)k->proto | (uint64_t)k->family << 8 |
	    (uint64_t)k->port << 16;

	if (k->family != 6) {
		struct hash_sip s = hash_sip_init(&r->hkey);

		hash_sip_block(&s, head | le32(k->server) << 32);
		if (is_server)
			return (uint32_t)hash_sip_final(&s, (uint64_t)8 << 56);
		return (uint32_t)hash_sip_final(&s,
		    le32(k->client) | (uint64_t)12 << 56);
	}
	/* each length a constant: hash_sip13() is inlined for each, with
	 * its block loop unrolled */
	if (is_server)
		return (uint32_t)hash_sip13(&r->hkey, k, SERVER_KEY_LEN);
	return (uint32_t)hash_sip13(&r->hkey, k, OFFENDER_KEY_LEN);
}

/* Put a slot in the first free place from its hash (size: a power of
 * two, with room). */
static void
place(struct slot *slot, size_t size, struct slot s)
{
	size_t h = s.hash & (size - 1);

	while (slot[h].row != 0)
		h = (h + 1) & (size - 1);
	slot[h] = s;
}

static struct row_key
offender_key(const struct report_offender *o)
{
	return key_of(o->proto, &o->client, &o->server);
}

static struct row_key
server_key(const struct report_server *s)
{
	return key_of(s->proto, NULL, &s->server);
}

/* Make room in the index for one more row (n rows now): false if memory
 * ran out.  An index dropped by report_sort() is built again from the
 * rows; a grown one from the hashes its slots keep. */
static bool
index_room(struct report *r, struct index *ix, const void *rows, size_t n,
    bool is_server)
{
	if (ix->size != 0 && (n + 1) * 2 <= ix->size)
		return true;
	size_t size = ix->size ? ix->size * 2 : 64;

	while ((n + 1) * 2 > size)
		size *= 2;
	struct slot *slot = calloc(size, sizeof(*slot));

	if (slot == NULL)
		return false;
	if (ix->size == 0) {
		for (size_t i = 0; i < n; i++) {
			struct row_key ki = is_server
			    ? server_key(&((const struct report_server *)rows)[i])
			    : offender_key(
				  &((const struct report_offender *)rows)[i]);

			place(slot, size, (struct slot){(uint32_t)(i + 1),
			    key_hash(r, &ki, is_server)});
		}
	} else {
		for (size_t i = 0; i < ix->size; i++)
			if (ix->slot[i].row != 0)
				place(slot, size, ix->slot[i]);
	}
	free(ix->slot);
	ix->slot = slot;
	ix->size = size;
	return true;
}

/* Find or make the row for key k (a server row's if is_server, else an
 * offender's): returns its index, or SIZE_MAX.  Inline: each caller
 * passes a constant is_server, and gets its own probe loop. */
static inline size_t
lookup(struct report *r, struct index *ix, const struct row_key *k,
    void **rows, size_t *n, size_t *cap, size_t row_size, bool is_server,
    struct stats *stats)
{
	if (!index_room(r, ix, *rows, *n, is_server))
		return SIZE_MAX;
	uint32_t hash = key_hash(r, k, is_server);
	size_t h = hash & (ix->size - 1);

	while (ix->slot[h].row != 0) {
		if (ix->slot[h].hash == hash) {
			size_t i = ix->slot[h].row - 1;

			if (row_has_key(*rows, i, k, is_server))
				return i;
		}
		h = (h + 1) & (ix->size - 1);
	}
	if (*n >= REPORT_ROWS_MAX) {
		stats->v[STAT_CAP_REPORT_ROWS]++;
		return SIZE_MAX;
	}
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		void *nrows = realloc(*rows, ncap * row_size);

		if (nrows == NULL)
			return SIZE_MAX;
		*rows = nrows;
		*cap = ncap;
	}
	memset((uint8_t *)*rows + *n * row_size, 0, row_size);
	ix->slot[h].row = (uint32_t)(*n + 1);
	ix->slot[h].hash = hash;
	return (*n)++;
}

/* The memo's place for a server key: its last address bytes (an IPv4
 * address's are zero), port and protocol, mixed by a multiplication. */
static size_t
srv_memo_at(const struct row_key *k)
{
	uint32_t x = (uint32_t)(le32(k->server) ^ le32(k->server + 12)) ^
	    ((uint32_t)k->port << 8 | k->proto);

	static_assert((SRV_MEMO_SIZE & (SRV_MEMO_SIZE - 1)) == 0 &&
		SRV_MEMO_SIZE <= 256,
	    "a power of two, at most 8 bits");
	return (x * 0x9e3779b1u) >> 24 & (SRV_MEMO_SIZE - 1);
}

static struct report_server *
server_row(struct report *r, enum proto p, const struct endpoint *server,
    struct stats *stats)
{
	struct row_key k = key_of(p, NULL, server);

	uint32_t *memo = &r->srv_memo[srv_memo_at(&k)];

	if (*memo != 0 && server_has_key(&r->srv[*memo - 1], &k))
		return &r->srv[*memo - 1];
	void *rows = r->srv;
	size_t i = lookup(r, &r->srv_index, &k, &rows, &r->n_srv,
	    &r->cap_srv, sizeof(*r->srv), true, stats);

	r->srv = rows;
	if (i == SIZE_MAX)
		return NULL;
	struct report_server *s = &r->srv[i];

	*memo = (uint32_t)i + 1;
	s->proto = p;
	s->server = *server;
	return s;
}

static bool
time_lt(struct event_time a, struct event_time b)
{
	return a.sec < b.sec || (a.sec == b.sec && a.usec < b.usec);
}

static void
count_verdict(enum verdict v, uint64_t *acc, uint64_t *rej, uint64_t *unk)
{
	if (v == VERDICT_ACCEPTED)
		(*acc)++;
	else if (v == VERDICT_REJECTED)
		(*rej)++;
	else
		(*unk)++;
}

static void
add_login(struct report *r, const struct event_login *l, struct stats *stats)
{
	struct endpoint client = l->client;

	r->logins++;
	client.port = 0;
	struct row_key k = key_of(l->proto, &client, &l->server);
	void *rows = r->off;
	size_t i = lookup(r, &r->off_index, &k, &rows, &r->n_off,
	    &r->cap_off, sizeof(*r->off), false, stats);

	r->off = rows;
	if (i != SIZE_MAX) {
		struct report_offender *o = &r->off[i];

		if (o->attempts == 0) {
			/* new, or a baseline's "gone" row seen again: what
			 * the baseline said of it is not this run's */
			memset(o, 0, sizeof(*o));
			o->proto = l->proto;
			o->client = client;
			o->server = l->server;
			o->first_seen = o->last_seen = l->ts;
			o->is_allowed = allow_match(r->allow, &client);
		}
		o->attempts++;
		count_verdict(l->verdict, &o->accepted, &o->rejected,
		    &o->unknown);
		o->mechs |= 1u << l->mech;
		o->exposures |= 1u << l->exposure;
		if (time_lt(l->ts, o->first_seen))
			o->first_seen = l->ts;
		if (time_lt(o->last_seen, l->ts))
			o->last_seen = l->ts;
		if (l->client_software[0] != '\0') {
			bool is_known = false;

			for (size_t j = 0; j < o->n_software; j++)
				is_known |= strcmp(o->software[j],
						l->client_software) == 0;
			if (!is_known && o->n_software < REPORT_SOFTWARE_MAX)
				memcpy(o->software[o->n_software++],
				    l->client_software,
				    sizeof(o->software[0]));
		}
	}
	/* The offender row's key holds its server row's (protocol, server
	 * address and port): once found, that row is remembered there, and
	 * a login costs one lookup, not two (bench/run mail). */
	struct report_server *s;

	if (i != SIZE_MAX && r->off[i].srv_row != 0) {
		s = &r->srv[r->off[i].srv_row - 1];
	} else {
		s = server_row(r, l->proto, &l->server, stats);
		if (i != SIZE_MAX && s != NULL)
			r->off[i].srv_row = (uint32_t)(s - r->srv) + 1;
	}
	if (s != NULL) {
		s->is_seen = true;
		s->attempts++;
		count_verdict(l->verdict, &s->accepted, &s->rejected,
		    &s->unknown);
	}
}

#define SASL_CLEARTEXT_BITS ((1u << SASL_PLAIN) | (1u << SASL_LOGIN))

void
report_add(struct report *r, const struct event *ev, struct stats *stats)
{
	r->is_sorted = false;
	if (ev->type == EVENT_LOGIN) {
		add_login(r, &ev->u.login, stats);
		return;
	}
	const struct event_server *e = &ev->u.server;
	struct report_server *s = server_row(r, e->proto, &e->server, stats);

	if (s == NULL)
		return;
	s->is_seen = true;
	if (e->kind != SERVER_CAPS)
		return;
	s->cap_lists++;
	s->cap_starttls += e->has_starttls;
	s->cap_disabled += e->has_login_disabled;
	s->cap_user += e->has_user;
	s->cap_cleartext_sasl += (e->sasl_offered & SASL_CLEARTEXT_BITS) != 0;
	s->sasl_offered |= e->sasl_offered;
}

/* Eight address bytes as a big-endian number: comparing two of them
 * orders as memcmp() does (compilers make this one load and a swap). */
static uint64_t
be64(const uint8_t *p)
{
	return (uint64_t)block_be32(p) << 32 | block_be32(p + 4);
}

/* Family, then address bytes, then port.  The addresses as two numbers,
 * not a memcmp() call: sorting the rows makes ~12 comparisons a row,
 * and the calls were most of their cost (bench/run mail). */
static int
cmp_endpoint(const struct endpoint *a, const struct endpoint *b)
{
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	for (size_t i = 0; i < sizeof(a->addr); i += 8) {
		uint64_t x = be64(a->addr + i), y = be64(b->addr + i);

		if (x != y)
			return x < y ? -1 : 1;
	}
	return a->port < b->port ? -1 : a->port > b->port;
}

static int
cmp_offender(const void *pa, const void *pb)
{
	const struct report_offender *a = pa, *b = pb;
	int c = cmp_endpoint(&a->client, &b->client);

	if (c == 0)
		c = cmp_endpoint(&a->server, &b->server);
	if (c == 0)
		c = (int)a->proto - (int)b->proto;
	return c;
}

static int
cmp_server(const void *pa, const void *pb)
{
	const struct report_server *a = pa, *b = pb;
	int c = cmp_endpoint(&a->server, &b->server);

	return c != 0 ? c : (int)a->proto - (int)b->proto;
}

/* Sorting the offender rows: qsort() on rows of hundreds of bytes, its
 * comparison called through a pointer ~15 times a row, was a third of
 * writing the report (bench/run mail, 43 k rows).  The rows are sorted
 * as row numbers with the first 64 bits of their order (the client's
 * family and first seven address bytes): by those bits with a radix
 * sort, then each run of equal bits (one client's rows) by a merge sort
 * that calls cmp_offender(); then the rows are moved into that order in
 * place (sort_offenders()).  The order is total (no two rows compare equal), so any correct
 * sort writes the same report. */
struct sort_item {
	uint64_t key;
	uint32_t row;
};

static uint64_t
offender_sort_key(const struct report_offender *o)
{
	return (uint64_t)o->client.family << 56 | be64(o->client.addr) >> 8;
}

static bool
item_lt(const struct sort_item *a, const struct sort_item *b,
    const struct report_offender *rows)
{
	if (a->key != b->key)
		return a->key < b->key;
	return cmp_offender(&rows[a->row], &rows[b->row]) < 0;
}

/* Bottom-up merge sort of n items, with tmp (n items) to merge into:
 * returns the one of the two that holds the result. */
static struct sort_item *
merge_sort(struct sort_item *a, struct sort_item *tmp, size_t n,
    const struct report_offender *rows)
{
	for (size_t w = 1; w < n; w *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * w) {
			size_t mid = lo + w < n ? lo + w : n;
			size_t hi = lo + 2 * w < n ? lo + 2 * w : n;
			size_t i = lo, j = mid, k = lo;

			while (i < mid && j < hi)
				tmp[k++] = item_lt(&a[j], &a[i], rows) ? a[j++]
								       : a[i++];
			while (i < mid)
				tmp[k++] = a[i++];
			while (j < hi)
				tmp[k++] = a[j++];
		}
		struct sort_item *t = a;

		a = tmp;
		tmp = t;
	}
	return a;
}

/* Stable LSD radix sort of n items by key, a byte at a time, with tmp
 * (n items) to scatter into; a byte all items share is skipped (an IPv4
 * client's key has four that vary).  Returns the one of the two buffers
 * that holds the result. */
static struct sort_item *
radix_sort(struct sort_item *a, struct sort_item *tmp, size_t n)
{
	uint32_t count[8][256];

	memset(count, 0, sizeof(count));
	for (size_t i = 0; i < n; i++)
		for (unsigned d = 0; d < 8; d++)
			count[d][a[i].key >> (8 * d) & 255]++;
	for (unsigned d = 0; d < 8; d++) {
		uint32_t *c = count[d];
		uint32_t sum = 0;

		if (c[a[0].key >> (8 * d) & 255] == n)
			continue;
		for (unsigned b = 0; b < 256; b++) {
			uint32_t k = c[b];

			c[b] = sum;
			sum += k;
		}
		for (size_t i = 0; i < n; i++)
			tmp[c[a[i].key >> (8 * d) & 255]++] = a[i];
		struct sort_item *t = a;

		a = tmp;
		tmp = t;
	}
	return a;
}

/* Put the offender rows in output order: false if memory ran out (the
 * rows are as they were). */
static bool
sort_offenders(struct report *r)
{
	size_t n = r->n_off;
	struct sort_item *items = malloc(2 * n * sizeof(*items));

	if (items == NULL)
		return false;
	for (size_t i = 0; i < n; i++)
		items[i] = (struct sort_item){offender_sort_key(&r->off[i]),
		    (uint32_t)i};
	struct sort_item *order = radix_sort(items, items + n, n);
	struct sort_item *spare = order == items ? items + n : items;

	/* rows of the same key bits (one client's), in full order; a merge
	 * sort, not an insertion sort: a client may have thousands */
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i + 1; j < n && order[j].key == order[i].key; j++)
			;
		if (j - i < 2)
			continue;
		const struct sort_item *run = merge_sort(order + i, spare + i,
		    j - i, r->off);

		if (run != order + i)
			memcpy(order + i, run, (j - i) * sizeof(*order));
	}

	/* rows moved in place, a cycle of the permutation at a time, with
	 * one row aside: a sorted copy would double the rows' memory at
	 * the end (up to REPORT_ROWS_MAX of them, hundreds of bytes each);
	 * position k takes the row order[k] names */
	for (size_t s = 0; s < n; s++) {
		if (order[s].row == s)
			continue;
		struct report_offender aside = r->off[s];
		size_t k = s;

		for (;;) {
			size_t from = order[k].row;

			order[k].row = (uint32_t)k;	/* placed */
			if (from == s) {
				r->off[k] = aside;
				break;
			}
			r->off[k] = r->off[from];
			k = from;
		}
	}
	free(items);
	return true;
}

void
report_set_allow(struct report *r, const struct allow *a)
{
	r->allow = a;
}

void
report_set_baseline(struct report *r, const struct baseline *b)
{
	r->baseline = b;
	r->is_sorted = false;
}

bool
report_is_allowed(const struct report *r, const struct endpoint *client)
{
	return allow_match(r->allow, client);
}

bool
report_has_allow(const struct report *r)
{
	return r->allow != NULL;
}

bool
report_has_baseline(const struct report *r)
{
	return r->baseline != NULL;
}

const char *
report_mark_name(enum report_mark m)
{
	static const char *const names[MARK_COUNT] = {
		[MARK_NONE] = "",
		[MARK_NEW] = "new",
		[MARK_STILL] = "still",
		[MARK_GONE] = "gone",
		[MARK_SAME] = "same",
		[MARK_CHANGED] = "changed",
	};

	return m < MARK_COUNT ? names[m] : "?";
}

static enum tri
tri_bool(bool b)
{
	return b ? TRI_TRUE : TRI_FALSE;
}

/* Compare with the baseline: marks on every row, and rows for what the
 * baseline had and this run has not seen (attempts 0, mark gone). */
static void
apply_baseline(struct report *r, struct stats *stats)
{
	const struct baseline *b = r->baseline;

	for (size_t i = 0; i < b->n_off; i++) {
		const struct baseline_offender *bo = &b->off[i];
		struct row_key k = key_of(bo->proto, &bo->client, &bo->server);
		void *rows = r->off;
		size_t j = lookup(r, &r->off_index, &k, &rows, &r->n_off,
		    &r->cap_off, sizeof(*r->off), false, stats);

		r->off = rows;
		if (j == SIZE_MAX || r->off[j].attempts > 0)
			continue;
		/* not seen in this run: the baseline's row, marked gone */
		struct report_offender *o = &r->off[j];

		o->proto = bo->proto;
		o->client = bo->client;
		o->server = bo->server;
		o->mechs = bo->mechs;
		o->exposures = bo->exposures;
		o->first_seen = bo->first_seen;
		o->last_seen = bo->last_seen;
		o->is_allowed = allow_match(r->allow, &bo->client);
	}
	for (size_t j = 0; j < r->n_off; j++) {
		struct report_offender *o = &r->off[j];

		if (o->attempts == 0) {
			o->mark = MARK_GONE;
			continue;
		}
		o->mark = MARK_NEW;
		for (size_t i = 0; i < b->n_off; i++)
			if (b->off[i].proto == o->proto &&
			    report_same_host(&b->off[i].client, &o->client) &&
			    cmp_endpoint(&b->off[i].server, &o->server) == 0)
				o->mark = MARK_STILL;
	}
	size_t n_now = r->n_srv;

	for (size_t j = 0; j < n_now; j++) {
		struct report_server *s = &r->srv[j];

		if (!s->is_seen)
			continue;	/* a baseline row: gone, below */
		s->mark = MARK_NEW;
		for (size_t i = 0; i < b->n_srv; i++) {
			const struct baseline_server *bs = &b->srv[i];

			if (bs->proto != s->proto ||
			    cmp_endpoint(&bs->server, &s->server) != 0)
				continue;
			s->was_starttls = bs->starttls_offered;
			s->was_disabled = bs->login_disabled;
			s->was_accepted = bs->is_cleartext_accepted;
			bool is_same =
			    bs->starttls_offered == report_starttls_offered(s) &&
			    bs->login_disabled == report_login_disabled(s) &&
			    tri_bool(bs->is_cleartext_accepted) ==
				tri_bool(s->accepted > 0);

			s->mark = is_same ? MARK_SAME : MARK_CHANGED;
		}
	}
	for (size_t i = 0; i < b->n_srv; i++) {
		const struct baseline_server *bs = &b->srv[i];
		struct report_server *s = server_row(r, bs->proto, &bs->server,
		    stats);

		if (s != NULL && !s->is_seen) {
			s->mark = MARK_GONE;
			s->was_starttls = bs->starttls_offered;
			s->was_disabled = bs->login_disabled;
			s->was_accepted = bs->is_cleartext_accepted;
		}
	}
}

uint64_t
report_findings(const struct report *r, bool is_accepted_only)
{
	uint64_t n = 0;

	for (size_t i = 0; i < r->n_off; i++)
		if (!r->off[i].is_allowed)
			n += is_accepted_only ? r->off[i].accepted
					      : r->off[i].attempts;
	return n;
}

void
report_sort(struct report *r)
{
	if (r->is_sorted)
		return;
	if (r->baseline != NULL) {
		struct stats ignored;

		/* rows from the baseline are bounded by its size, already
		 * read; a refusal here has nowhere useful to be counted */
		memset(&ignored, 0, sizeof(ignored));
		for (size_t i = 0; i < r->n_srv; i++)
			r->srv[i].mark = MARK_NONE;
		apply_baseline(r, &ignored);
	}
	/* the indexes point at row numbers: they are no longer valid */
	if (r->n_off && !sort_offenders(r))
		qsort(r->off, r->n_off, sizeof(*r->off), cmp_offender);
	if (r->n_srv)
		qsort(r->srv, r->n_srv, sizeof(*r->srv), cmp_server);
	for (size_t i = 0; i < r->n_off; i++)
		r->off[i].srv_row = 0;
	memset(r->srv_memo, 0, sizeof(r->srv_memo));
	free(r->off_index.slot);
	free(r->srv_index.slot);
	memset(&r->off_index, 0, sizeof(r->off_index));
	memset(&r->srv_index, 0, sizeof(r->srv_index));
	r->is_sorted = true;
}

size_t
report_offenders(const struct report *r, const struct report_offender **rows)
{
	*rows = r->off;
	return r->n_off;
}

size_t
report_servers(const struct report *r, const struct report_server **rows)
{
	*rows = r->srv;
	return r->n_srv;
}

uint64_t
report_logins(const struct report *r)
{
	return r->logins;
}

enum tri
report_starttls_offered(const struct report_server *s)
{
	if (s->cap_lists == 0)
		return TRI_UNKNOWN;
	return s->cap_starttls > 0 ? TRI_TRUE : TRI_FALSE;
}

enum tri
report_login_disabled(const struct report_server *s)
{
	if (s->cap_lists == 0)
		return TRI_UNKNOWN;
	if (s->proto == PROTO_IMAP)
		return s->cap_disabled == s->cap_lists ? TRI_TRUE : TRI_FALSE;
	/* POP3 has no LOGINDISABLED: a server that never offers USER nor
	 * a cleartext SASL mechanism before TLS has disabled them */
	return s->cap_user == 0 && s->cap_cleartext_sasl == 0 ? TRI_TRUE
							       : TRI_FALSE;
}

enum tri
report_user_offered(const struct report_server *s)
{
	if (s->cap_lists == 0 || s->proto != PROTO_POP3)
		return TRI_UNKNOWN;
	return s->cap_user > 0 ? TRI_TRUE : TRI_FALSE;
}

bool
report_same_host(const struct endpoint *a, const struct endpoint *b)
{
	return a->family == b->family &&
	    memcmp(a->addr, b->addr, sizeof(a->addr)) == 0;
}

/* "00" to "99": two digits per division (a time is written for every
 * login and twice per offender row; bench/run mail) */
const char report_digit_pairs[201] =
	"0001020304050607080910111213141516171819"
	"2021222324252627282930313233343536373839"
	"4041424344454647484950515253545556575859"
	"6061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

/* v (< 100) as two decimal digits at p; returns the end. */
static char *
put2(char *p, unsigned v)
{
	memcpy(p, report_digit_pairs + 2 * v, 2);
	return p + 2;
}

/* Each octet (0-255) in decimal, no leading zeros: its up to three
 * digits, then their count.  An address's octets are copied from here
 * four bytes at a time, not formatted with a branch per digit (two
 * addresses a login record; bench/run mail). */
#define OCT(v)                                                                \
	{(char)((v) >= 100 ? '0' + (v) / 100                                  \
			    : (v) >= 10 ? '0' + (v) / 10 : '0' + (v)),        \
	    (char)((v) >= 100 ? '0' + (v) / 10 % 10                           \
			      : (v) >= 10 ? '0' + (v) % 10 : 0),              \
	    (char)((v) >= 100 ? '0' + (v) % 10 : 0),                          \
	    (char)(1 + ((v) >= 10) + ((v) >= 100))}
#define OCT4(v) OCT(v), OCT((v) + 1), OCT((v) + 2), OCT((v) + 3)
#define OCT16(v) OCT4(v), OCT4((v) + 4), OCT4((v) + 8), OCT4((v) + 12)
#define OCT64(v) OCT16(v), OCT16((v) + 16), OCT16((v) + 32), OCT16((v) + 48)
static const char octet_text[256][4] = {
	OCT64(0), OCT64(64), OCT64(128), OCT64(192),
};
#undef OCT64
#undef OCT16
#undef OCT4
#undef OCT

/* An octet at p (room for four bytes); returns the end of its digits. */
static inline char *
put_octet(char *p, uint8_t v)
{
	memcpy(p, octet_text[v], 4);
	return p + octet_text[v][3];
}

/* An IPv4 address at p (room for 16 bytes: the last octet writes four,
 * past its digits); returns the end. */
static inline char *
put_ipv4(char *p, const uint8_t *a)
{
	p = put_octet(p, a[0]);
	*p++ = '.';
	p = put_octet(p, a[1]);
	*p++ = '.';
	p = put_octet(p, a[2]);
	*p++ = '.';
	return put_octet(p, a[3]);
}

/* IPv6 as glibc's inet_ntop writes it (RFC 5952 but for the v4 tail):
 * hex groups without leading zeros, the first longest run of two or
 * more zero groups as "::", and the last 32 bits dotted after a run of
 * six zero groups (::a.b.c.d) or five and ffff (::ffff:a.b.c.d).
 * Not inlined: inlined, its registers were saved and restored by
 * report_addr_text() for every IPv4 address too (~20 instructions). */
__attribute__((noinline)) static char *
put_ipv6(char *p, const uint8_t *a)
{
	static const char hex[] = "0123456789abcdef";
	unsigned w[8];
	int best = -1, best_len = 0, cur = -1;

	for (int i = 0; i < 8; i++)
		w[i] = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
	/* i == 8 closes a run that reaches the end; strictly longer
	 * keeps the first of equal runs */
	for (int i = 0; i <= 8; i++) {
		if (i < 8 && w[i] == 0) {
			if (cur < 0)
				cur = i;
			continue;
		}
		if (cur >= 0 && i - cur > best_len) {
			best = cur;
			best_len = i - cur;
		}
		cur = -1;
	}
	if (best_len < 2)
		best = -1;	/* a single zero group is written "0" */
	for (int i = 0; i < 8; i++) {
		if (best >= 0 && i >= best && i < best + best_len) {
			if (i == best)
				*p++ = ':';
			continue;
		}
		if (i != 0)
			*p++ = ':';
		if (i == 6 && best == 0 &&
		    (best_len == 6 || (best_len == 5 && w[5] == 0xffff)))
			return put_ipv4(p, a + 12);
		if (w[i] >= 0x1000)
			*p++ = hex[w[i] >> 12];
		if (w[i] >= 0x100)
			*p++ = hex[w[i] >> 8 & 15];
		if (w[i] >= 0x10)
			*p++ = hex[w[i] >> 4 & 15];
		*p++ = hex[w[i] & 15];
	}
	if (best >= 0 && best + best_len == 8)
		*p++ = ':';	/* the run ends the address: "1::" */
	return p;
}

size_t
report_addr_text(const struct endpoint *e, char *buf, size_t size)
{
	/* by hand: inet_ntop was a visible share of writing a report row,
	 * and an IPv6 address through its sprintf calls cost ~3000
	 * instructions (bench/run mail) */
	char *p;

	if (e->family != 6 && size >= REPORT_ADDR_V4_MAX)
		p = put_ipv4(buf, e->addr);
	else if (e->family == 6 && size >= REPORT_ADDR_MAX)
		p = put_ipv6(buf, e->addr);
	else if (size > 0) {
		/* too small a buffer for the longest text: inet_ntop
		 * checks what this one fits */
		if (inet_ntop(e->family == 6 ? AF_INET6 : AF_INET, e->addr,
			buf, (socklen_t)size) == NULL)
			snprintf(buf, size, "?");
		return strlen(buf);
	} else
		return 0;
	*p = '\0';
	return (size_t)(p - buf);
}

const char *
report_addr(const struct endpoint *e, char *buf, size_t size)
{
	report_addr_text(e, buf, size);
	return buf;
}

/* The days of the years RFC 3339 can write (four digits), counted from
 * 1970-01-01. */
#define DAYS_MIN (-719528)	/* 0000-01-01 */
#define DAYS_MAX 2932896	/* 9999-12-31 */

/* Days since 1970-01-01 (DAYS_MIN to DAYS_MAX) to a civil date
 * (proleptic Gregorian), by Neri and Schneider's Euclidean affine
 * functions ("Euclidean affine functions and their application to
 * calendar algorithms", Softw. Pract. Exper. 2023): the year within its
 * century by one 64-bit multiplication, and month and day by a 16-bit
 * fixed-point one, where Hinnant's civil_from_days divided six times
 * (~60 instructions a time; a time is written for every login and twice
 * per offender row, bench/run mail).  Days are shifted by one 400-year
 * era so that every one counts up from a positive number in 32 bits. */
static void
civil_from_days(int32_t days, unsigned *y, unsigned *m, unsigned *d)
{
	/* from 0000-03-01 less one era; March first, so that a leap
	 * day ends its year */
	uint32_t n = (uint32_t)(days + 719468 + 146097);
	uint32_t n1 = 4 * n + 3;
	uint32_t century = n1 / 146097;
	uint32_t n2 = n1 % 146097 / 4 * 4 + 3;	/* day of the century */
	uint64_t p2 = (uint64_t)2939745 * n2;
	uint32_t yoc = (uint32_t)(p2 >> 32);	/* year of the century */
	uint32_t doy = (uint32_t)p2 / 2939745 / 4;	/* from March 1 */
	uint32_t n3 = 2141 * doy + 197913;
	uint32_t is_jan_feb = doy >= 306;

	*m = (n3 >> 16) - 12 * is_jan_feb;
	*d = (n3 & 0xffff) / 2141 + 1;
	*y = 100 * century + yoc + is_jan_feb - 400;
}

size_t
report_time_text(struct event_time t, bool is_short, char *buf, size_t size)
{
	/* by arithmetic, not gmtime_r + strftime + snprintf, which were
	 * most of the cost of a login record (bench/run mail) */
	int64_t days = t.sec / 86400, rem = t.sec % 86400;
	unsigned year, mon, day;

	if (rem < 0) {
		rem += 86400;
		days--;
	}
	if (days < DAYS_MIN || days > DAYS_MAX || size < REPORT_TIME_MAX ||
	    t.usec > 999999) {
		snprintf(buf, size, "?");
		return size > 1 ? 1 : 0;
	}
	civil_from_days((int32_t)days, &year, &mon, &day);
	unsigned sec = (unsigned)rem;
	char *p = buf;

	p = put2(p, year / 100);
	p = put2(p, year % 100);
	*p++ = '-';
	p = put2(p, mon);
	*p++ = '-';
	p = put2(p, day);
	*p++ = is_short ? ' ' : 'T';
	p = put2(p, sec / 3600);
	*p++ = ':';
	p = put2(p, sec / 60 % 60);
	*p++ = ':';
	p = put2(p, sec % 60);
	if (!is_short) {
		*p++ = '.';
		p = put2(p, t.usec / 10000);
		p = put2(p, t.usec / 100 % 100);
		p = put2(p, t.usec % 100);
		*p++ = 'Z';
	}
	*p = '\0';
	return (size_t)(p - buf);
}

const char *
report_time(struct event_time t, bool is_short, char *buf, size_t size)
{
	report_time_text(t, is_short, buf, size);
	return buf;
}
