/* fuzz_session.c: the shared driver of fuzz_pop3 and fuzz_imap. */
#include "fuzz_session.h"

#include <stdlib.h>
#include <string.h>

#include "flow/conn.h"
#include "flow/stream.h"
#include "fuzz.h"
#include "proto/proto.h"
#include "report/redact.h"

static void
on_event(const struct event *ev, void *arg)
{
	(void)arg;
	/* an event must never carry anything unterminated */
	if (ev->type == EVENT_LOGIN &&
	    (memchr(ev->u.login.response_code, 0,
		 sizeof(ev->u.login.response_code)) == NULL ||
		memchr(ev->u.login.client_software, 0,
		    sizeof(ev->u.login.client_software)) == NULL))
		abort();
}

static void
release(struct flow *f, enum flow_end why, void *arg)
{
	(void)why;
	conn_end(arg, f);
}

void
fuzz_session(enum proto p, const uint8_t *data, size_t size)
{
	static const uint32_t timeout[FLOW_CLASS_COUNT] = {
		[FLOW_CLASS_CLOSED] = 4, [FLOW_CLASS_IDLE] = 30,
		[FLOW_CLASS_UNANSWERED] = 600, [FLOW_CLASS_DONE] = 600,
		[FLOW_CLASS_LIVE] = 600};
	struct stats stats;
	struct session_env senv;
	struct conn_env cenv;
	struct block_pool pool = {.n = 0};
	struct budget budget = {.max = 1u << 20};
	struct redact *redact = NULL;
	struct flow_key key;
	bool is_swapped;
	uint8_t client[16] = {192, 0, 2, 1}, server[16] = {198, 51, 100, 1};

	if (size < 1)
		return;
	memset(&stats, 0, sizeof(stats));
	if ((data[0] & 2) &&
	    redact_new((const uint8_t *)"fuzz", 4, &redact) != ST_OK)
		return;
	memset(&senv, 0, sizeof(senv));
	senv.stats = &stats;
	senv.redact = redact;
	senv.tag_key = hash_key_random();
	senv.emit = on_event;
	memset(&cenv, 0, sizeof(cenv));
	cenv.stats = &stats;
	cenv.budget = &budget;
	cenv.session = &senv;
	cenv.session_pool = &pool;
	cenv.table = flow_table_new(4, timeout, release, &cenv, &stats);
	if (cenv.table == NULL)
		abort();
	flow_table_key(&key, 4, client, 40000, server,
	    p == PROTO_POP3 ? 110 : 143, &is_swapped);
	struct flow *f = flow_table_insert(cenv.table, &key, 1000);

	f->client = is_swapped ? 1 : 0;
	f->proto = (uint8_t)p;
	f->is_midstream = data[0] & 1;
	f->has_handshake = !f->is_midstream;
	for (size_t i = 1; i < size;) {
		enum dir d = data[i] & 0x80 ? DIR_S2C : DIR_C2S;
		size_t n = data[i] & 0x7f;

		i++;
		cenv.now.usec++;
		if (n == 0) {
			stream_gap(&cenv, f, d, 1, cenv.now);
			continue;
		}
		if (n > size - i)
			n = size - i;
		uint8_t *chunk = fuzz_copy(data + i, n);

		stream_data(&cenv, f, d, chunk, (uint32_t)n, cenv.now);
		free(chunk);
		i += n;
	}
	flow_table_drain(cenv.table);
	flow_table_free(cenv.table);
	pool_drain(&pool);
	redact_free(redact);
	if (budget.used != 0)
		abort();	/* everything given back */
}
