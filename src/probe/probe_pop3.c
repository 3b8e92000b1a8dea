/* probe_pop3.c: the POP3 steps of plainsight probe (probe_proto.h).
 *
 * RFC 1939 (greeting, USER, PASS, QUIT), RFC 2449 (CAPA and its
 * multi-line answer, extended response codes), RFC 2595 (STLS).  POP3
 * has no tags: answers come in the order of the commands, one status
 * line each, CAPA's followed by lines up to a lone ".".  Never sends a
 * password but PROBE_FAKE_PASSWORD, and only in login().
 */
#include "probe/probe_proto.h"

#include <stdio.h>
#include <string.h>

/* The command sent inside TLS after a pipelined STLS: no server knows it,
 * so its answer is "-ERR", where the pipelined CAPA's is "+OK". */
#define SENTINEL "PLAINSIGHT-SENTINEL"

/* One status line into *reply, and *a (its text valid until the next call
 * on c). */
static enum probe_io
read_status(struct probe_conn *c, struct probe_reply *reply,
    struct probe_answer *a)
{
	struct line l;
	enum probe_io r = probe_conn_line(c, &l);

	memset(reply, 0, sizeof(*reply));	/* defined whatever happens */
	if (r != PROBE_IO_OK)
		return r;
	*a = probe_classify_pop3_answer(l);
	probe_classify_reply(a, l, reply);
	return PROBE_IO_OK;
}

static enum probe_io
pop3_greeting(struct probe_conn *c, struct probe_reply *reply)
{
	struct probe_answer a;
	enum probe_io r = read_status(c, reply, &a);

	if (r == PROBE_IO_OK && reply->status != PROBE_STATUS_OK)
		reply->status = PROBE_STATUS_NO;
	return r;
}

static enum probe_io
pop3_caps(struct probe_conn *c, struct probe_caps *caps)
{
	struct probe_reply reply;
	struct probe_answer a;
	enum probe_io r = probe_conn_send(c, "CAPA\r\n");

	memset(&reply, 0, sizeof(reply));
	memset(caps, 0, sizeof(*caps));
	if (r == PROBE_IO_OK)
		r = read_status(c, &reply, &a);
	if (r != PROBE_IO_OK || reply.status != PROBE_STATUS_OK)
		return r;	/* -ERR: no list; is_seen stays false */
	caps->is_seen = true;
	for (unsigned i = 0; i < PROBE_ANSWER_LINES_MAX; i++) {
		struct line l;

		r = probe_conn_line(c, &l);
		if (r != PROBE_IO_OK)
			return r;
		if (l.len == 1 && l.p[0] == '.')
			return PROBE_IO_OK;
		if (l.len > 0 && l.p[0] == '.') {	/* RFC 1939 3: byte-
							 * stuffed */
			l.p++;
			l.len--;
		}
		probe_classify_pop3_capa(l, caps);
	}
	return probe_conn_fail(c, PROBE_IO_TOO_MUCH,
	    "more than %u lines in one answer", PROBE_ANSWER_LINES_MAX);
}

static enum probe_io
pop3_starttls(struct probe_conn *c, bool is_pipelined,
    struct probe_reply *reply)
{
	struct probe_answer a;
	/* One write, so that CAPA is in the server's buffer when it switches
	 * to TLS: CVE-2011-0411. */
	enum probe_io r =
	    probe_conn_send(c, is_pipelined ? "STLS\r\nCAPA\r\n" : "STLS\r\n");

	if (r != PROBE_IO_OK)
		return r;
	return read_status(c, reply, &a);
}

static enum probe_io
pop3_login(struct probe_conn *c, const char *user,
    const struct probe_caps *before_tls, enum probe_login *out,
    struct probe_reply *reply)
{
	char cmd[160];
	struct probe_answer a;

	/* The user name was checked (probe.c): no space, no CR LF. */
	snprintf(cmd, sizeof(cmd), "USER %s\r\n", user);
	enum probe_io r = probe_conn_send(c, cmd);

	if (r == PROBE_IO_OK)
		r = read_status(c, reply, &a);
	if (r != PROBE_IO_OK)
		return r;
	*out = probe_classify_login(PROBE_STEP_POP3_USER, &a, before_tls);
	if (*out != PROBE_LOGIN_CONTINUE)
		return PROBE_IO_OK;
	r = probe_conn_send(c, "PASS " PROBE_FAKE_PASSWORD "\r\n");
	if (r == PROBE_IO_OK)
		r = read_status(c, reply, &a);
	if (r != PROBE_IO_OK)
		return r;
	*out = probe_classify_login(PROBE_STEP_POP3_PASS, &a, before_tls);
	return PROBE_IO_OK;
}

static enum probe_io
pop3_sentinel(struct probe_conn *c, enum probe_inject *out)
{
	struct line l;
	enum probe_io r = probe_conn_send(c, SENTINEL "\r\n");

	if (r == PROBE_IO_OK)
		r = probe_conn_line(c, &l);
	if (r == PROBE_IO_OK)
		*out = probe_classify_inject(PROTO_POP3, l);
	return r;
}

static void
pop3_quit(struct probe_conn *c)
{
	/* A courtesy: whether it arrives changes no check. */
	enum probe_io r = probe_conn_send(c, "QUIT\r\n");

	(void)r;
}

const struct probe_proto probe_pop3_proto = {
	.proto = PROTO_POP3,
	.starttls_word = "STLS",
	.login_words = "USER/PASS",
	.greeting = pop3_greeting,
	.caps = pop3_caps,
	.starttls = pop3_starttls,
	.login = pop3_login,
	.sentinel = pop3_sentinel,
	.quit = pop3_quit,
};
