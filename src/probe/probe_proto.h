/* probe_proto.h: the steps of a probe conversation, one table per
 * protocol (probe_imap.c, probe_pop3.c).
 *
 * probe.c drives the same checklist for both protocols through this
 * table; each step sends its command(s) on a probe_conn and reads the
 * answer, all within the connection's per-step deadline.  A step returns
 * PROBE_IO_OK when it got an answer, whatever the answer said (that is in
 * its out parameters); anything else is connection trouble, explained in
 * the connection's err.
 */
#ifndef PLAINSIGHT_PROBE_PROTO_H
#define PLAINSIGHT_PROBE_PROTO_H

#include <stdbool.h>

#include "plainsight/event.h"
#include "probe/probe_classify.h"
#include "probe/probe_conn.h"
#include "probe/probe_out.h"

struct probe_proto {
	enum proto proto;
	const char *starttls_word;	/* "STARTTLS" / "STLS", for reasons */
	const char *login_words;	/* "LOGIN" / "USER", for reasons */
	/* greeting(): the server's first line; reply->status OK when it
	 * greets (IMAP "* OK" or "* PREAUTH", POP3 "+OK"), NO when it
	 * turns us away. */
	enum probe_io (*greeting)(struct probe_conn *c,
	    struct probe_reply *reply);
	/* caps(): ask for the capability list into *caps (is_seen stays
	 * false if the server refuses to give one). */
	enum probe_io (*caps)(struct probe_conn *c, struct probe_caps *caps);
	/* starttls(): send STARTTLS / STLS, with the injection probe's
	 * second command in the same write when is_pipelined, and read its
	 * answer (reply->status OK: the server expects TLS now). */
	enum probe_io (*starttls)(struct probe_conn *c, bool is_pipelined,
	    struct probe_reply *reply);
	/* login(): the cleartext login with the fake account and password;
	 * *out is what the final answer means. */
	enum probe_io (*login)(struct probe_conn *c, const char *user,
	    const struct probe_caps *before_tls, enum probe_login *out,
	    struct probe_reply *reply);
	/* sentinel(): inside TLS after a pipelined STARTTLS, send a command
	 * of our own and read until it is known which command the server
	 * answered first. */
	enum probe_io (*sentinel)(struct probe_conn *c,
	    enum probe_inject *out);
	/* quit(): say goodbye; the answer is not waited for. */
	void (*quit)(struct probe_conn *c);
};

/* The two tables (probe_imap.c, probe_pop3.c). */
extern const struct probe_proto probe_imap_proto;
extern const struct probe_proto probe_pop3_proto;

/* The password sent with the fake account: fixed, never a real one. */
#define PROBE_FAKE_PASSWORD "plainsight-probe-not-a-password"

#endif
