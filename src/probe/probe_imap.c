/* probe_imap.c: the IMAP steps of plainsight probe (probe_proto.h).
 *
 * RFC 3501 (and 9051): greeting, CAPABILITY, STARTTLS, LOGIN, NOOP,
 * LOGOUT, each command with its own tag (probe_classify.h) and its answer
 * read up to that tag; untagged lines on the way are looked at for
 * capabilities and otherwise skipped, at most PROBE_ANSWER_LINES_MAX of
 * them.  Never sends a password but PROBE_FAKE_PASSWORD, and only in
 * login().
 */
#include "probe/probe_proto.h"

#include <stdio.h>
#include <string.h>

static enum probe_io
too_many_lines(struct probe_conn *c)
{
	return probe_conn_fail(c, PROBE_IO_TOO_MUCH,
	    "more than %u lines in one answer", PROBE_ANSWER_LINES_MAX);
}

/* Read up to the answer tagged `tag` (or a "+" continuation request, which
 * the probe never wants) into *reply, and *a when given (its text valid
 * until the next call on c); every line seen goes through caps if
 * given. */
static enum probe_io
read_tagged(struct probe_conn *c, const char *tag, struct probe_caps *caps,
    struct probe_reply *reply, struct probe_answer *a_out)
{
	for (unsigned i = 0; i < PROBE_ANSWER_LINES_MAX; i++) {
		struct line l;
		enum probe_io r = probe_conn_line(c, &l);

		if (r != PROBE_IO_OK)
			return r;
		if (caps != NULL)
			probe_classify_imap_caps(l, caps);
		struct probe_answer a = probe_classify_imap_answer(l, tag);

		switch (a.status) {
		case PROBE_STATUS_OK:
		case PROBE_STATUS_NO:
		case PROBE_STATUS_BAD:
		case PROBE_STATUS_CONTINUE:
			probe_classify_reply(&a, l, reply);
			if (a_out != NULL)
				*a_out = a;
			return PROBE_IO_OK;
		case PROBE_STATUS_UNTAGGED:
		case PROBE_STATUS_OTHER:	/* another tag: not ours */
		case PROBE_STATUS_COUNT:
			break;
		}
	}
	return too_many_lines(c);
}

static enum probe_io
imap_greeting(struct probe_conn *c, struct probe_reply *reply)
{
	struct line l;
	enum probe_io r = probe_conn_line(c, &l);

	if (r != PROBE_IO_OK)
		return r;
	struct probe_answer a = probe_classify_imap_answer(l, NULL);

	probe_classify_reply(&a, l, reply);
	/* RFC 3501 7.1: the greeting is untagged OK, PREAUTH or BYE. */
	reply->status = line_starts(l, "* OK") || line_starts(l, "* PREAUTH")
	    ? PROBE_STATUS_OK
	    : PROBE_STATUS_NO;
	return PROBE_IO_OK;
}

static enum probe_io
imap_caps(struct probe_conn *c, struct probe_caps *caps)
{
	struct probe_reply reply;
	enum probe_io r =
	    probe_conn_send(c, PROBE_TAG_CAPA " CAPABILITY\r\n");

	memset(caps, 0, sizeof(*caps));
	if (r != PROBE_IO_OK)
		return r;
	return read_tagged(c, PROBE_TAG_CAPA, caps, &reply, NULL);
}

static enum probe_io
imap_starttls(struct probe_conn *c, bool is_pipelined,
    struct probe_reply *reply)
{
	/* The pipelined command goes in the same write (one send()) as
	 * STARTTLS, so that it is in the server's buffer when the server
	 * switches to TLS: CVE-2011-0411. */
	enum probe_io r = probe_conn_send(c, is_pipelined
		? PROBE_TAG_STARTTLS " STARTTLS\r\n" PROBE_TAG_INJECTED
				     " NOOP\r\n"
		: PROBE_TAG_STARTTLS " STARTTLS\r\n");

	if (r != PROBE_IO_OK)
		return r;
	return read_tagged(c, PROBE_TAG_STARTTLS, NULL, reply, NULL);
}

static enum probe_io
imap_login(struct probe_conn *c, const char *user,
    const struct probe_caps *before_tls, enum probe_login *out,
    struct probe_reply *reply)
{
	char cmd[160];

	/* The user name was checked to be an atom (probe.c): no quoting, no
	 * CR LF, nothing but one argument. */
	snprintf(cmd, sizeof(cmd), PROBE_TAG_LOGIN " LOGIN %s %s\r\n", user,
	    PROBE_FAKE_PASSWORD);
	enum probe_io r = probe_conn_send(c, cmd);
	struct probe_answer a;

	if (r == PROBE_IO_OK)
		r = read_tagged(c, PROBE_TAG_LOGIN, NULL, reply, &a);
	if (r != PROBE_IO_OK)
		return r;
	*out = probe_classify_login(PROBE_STEP_IMAP_LOGIN, &a, before_tls);
	return PROBE_IO_OK;
}

static enum probe_io
imap_sentinel(struct probe_conn *c, enum probe_inject *out)
{
	enum probe_io r = probe_conn_send(c, PROBE_TAG_SENTINEL " NOOP\r\n");

	if (r != PROBE_IO_OK)
		return r;
	for (unsigned i = 0; i < PROBE_ANSWER_LINES_MAX; i++) {
		struct line l;

		r = probe_conn_line(c, &l);
		if (r != PROBE_IO_OK)
			return r;
		*out = probe_classify_inject(PROTO_IMAP, l);
		if (*out != PROBE_INJECT_PENDING)
			return PROBE_IO_OK;
	}
	return too_many_lines(c);
}

static void
imap_quit(struct probe_conn *c)
{
	/* A courtesy: whether it arrives changes no check. */
	enum probe_io r = probe_conn_send(c, PROBE_TAG_LOGOUT " LOGOUT\r\n");

	(void)r;
}

const struct probe_proto probe_imap_proto = {
	.proto = PROTO_IMAP,
	.starttls_word = "STARTTLS",
	.login_words = "LOGIN",
	.greeting = imap_greeting,
	.caps = imap_caps,
	.starttls = imap_starttls,
	.login = imap_login,
	.sentinel = imap_sentinel,
	.quit = imap_quit,
};
