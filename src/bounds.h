/* bounds.h: every limit on state that traffic can make plainsight keep.
 *
 * The bytes plainsight parses are chosen by whoever is on the network, so
 * every structure that grows with traffic has a hard cap, named here with
 * the reason for its value.  When a cap is hit the event is counted (stats
 * "cap_*", see stats.h) and detection carries on for everything else.
 * The ones a user may change have a command-line flag (docs/usage.md).
 */
#ifndef PLAINSIGHT_BOUNDS_H
#define PLAINSIGHT_BOUNDS_H

/* --max-flows: connections tracked at once.  A flow slot is 256 bytes, so
 * 256 Ki flows is 64 MiB when full; a busy span port sees far fewer
 * concurrent POP3/IMAP connections.  When full, the least recently active
 * flow that has nothing left to tell is evicted first (flow_table.c). */
#define FLOWS_DEFAULT (256u * 1024u)
#define FLOWS_MAX (16u * 1024u * 1024u)
/* The flow index starts with this many buckets and doubles as the flows
 * outnumber them, up to one per pool slot (flow_table.c). */
#define FLOW_BUCKETS_MIN 1024u

/* Reading a file on two threads (--threads 2): the ring between the
 * reader and the engine.  Fixed memory, taken once; 4 MiB holds thousands
 * of packets, enough to ride out the engine's slow moments (a burst of
 * logins, an expiry pass), and any one record (libpcap never returns more
 * than 256 KiB of a packet). */
#define PIPELINE_RING_BYTES (4u << 20)

/* --max-buffer: bytes of per-connection dynamic state for all flows
 * together (protocol sessions, partial lines, out-of-order segments).
 * 64 MiB holds a full line for four thousand connections at once. */
#define BUFFER_DEFAULT (64u * 1024u * 1024u)
#define BUFFER_MIN (64u * 1024u)

/* --idle-timeout: a connection with no packet for this long (packet time)
 * is closed.  Ten minutes outlasts the keep-alives of IMAP IDLE clients
 * (RFC 2177 asks them to re-issue IDLE every 29 minutes, but they send
 * DONE/NOOP traffic well before), and flows that reappear are picked up
 * mid-stream anyway. */
#define IDLE_TIMEOUT_DEFAULT 600u

/* Flows that never carried POP3/IMAP bytes (a lone SYN, a scan, a bare
 * handshake) are dropped much sooner. */
#define FLOW_EMBRYONIC_TIMEOUT 30u

/* A connection ended by FIN or RST is kept this long to absorb its last
 * ACKs and retransmitted FINs (a SYN on it within that time counts as a
 * reuse of the 5-tuple).  Short, because a busy mail server closes
 * thousands a second and each kept one is a slot and a cache line in the
 * way of lookups (bench/run mail). */
#define FLOW_CLOSED_TIMEOUT 4u

/* Out-of-order bytes one direction may queue while waiting for a hole to
 * fill.  A hole not filled within one TCP window is a lost segment: the
 * stream skips it and resynchronises (reasm.c). */
#define REASM_FLOW_OOO_MAX (256u * 1024u)

/* Bytes a client direction keeps after delivering them, to compare a
 * retransmission with the copy already parsed: TCP resends at most what
 * is unacknowledged, which for a mail client's commands is a segment or
 * two.  An overlap with different bytes is an evasion worth reporting
 * (any copy that carries a login is a login). */
#define REASM_RECENT_MAX 2048u

/* Segments further than this ahead of the expected sequence number are
 * not this connection's (or are forged): dropped and counted. */
#define REASM_WINDOW_MAX (64u * 1024u * 1024u)

/* Longest line kept whole for parsing.  RFC 3501 sets no limit; login
 * lines are short, but an XOAUTH2 bearer token in base64 reaches 4 KiB.
 * A longer line is parsed from its first STREAM_LINE_MAX bytes and the
 * rest is discarded up to the next LF (Suricata SMTP does the same). */
#define STREAM_LINE_MAX (16u * 1024u)

/* IMAP user names sent as a literal are hashed only up to this size; a
 * bigger literal is skipped without a pseudonym. */
#define IMAP_USER_LITERAL_MAX 1024u

/* IMAP tagged commands whose answer matters (LOGIN, AUTHENTICATE,
 * STARTTLS) waiting for it at once.  Clients wait for each login; more
 * than a handful in flight is an attack (Zeek #3936 was this queue). */
#define IMAP_PENDING_MAX 8u

/* POP3 answers are matched in order, so every command in flight is
 * counted; runs of ordinary commands are kept as one entry with a count
 * (RFC 2449 PIPELINING), so thousands of pipelined commands take a few
 * entries. */
#define POP3_PENDING_MAX 32u

/* Login attempts of one connection waiting for the server's verdict. */
#define ATTEMPTS_PENDING_MAX 8u

/* Freed blocks of one kind kept, wiped, for the next connections to reuse
 * (util/pool.h): 64 sessions of 848 bytes, 64 retransmission windows of
 * REASM_RECENT_MAX, outside --max-buffer, which counts those in use. */
#define POOL_MAX 64u

/* SASL responses are decoded (for the mechanism's message type and the
 * account pseudonym) only up to this many bytes, on the stack, and wiped. */
#define SASL_DECODED_MAX 4096u

/* IP reassembly (defrag.c): datagrams being rebuilt at once, fragments
 * per datagram, and how long an incomplete one waits (packet time).
 * TCP to a mail port is rarely fragmented at all: these hold a burst of
 * honest fragments and cap a flood of them; their bytes also count
 * against --max-buffer.  RFC 791 suggests a 15 s timer, Linux waits 30. */
#define DEFRAG_DATAGRAMS_MAX 1024u
#define DEFRAG_FRAGMENTS_MAX 64u
#define DEFRAG_TIMEOUT 30u

/* Link and IP nesting the decoder follows. */
#define VLAN_DEPTH_MAX 3u	/* 802.1Q, QinQ, and one more */
#define IP_TUNNEL_DEPTH_MAX 2u	/* encapsulated IP headers (6in4, IP-in-IP)
				 * under the outer one */
#define IPV6_EXT_MAX 8u		/* extension headers in one chain */

/* Rows of the end-of-run report (offenders, servers).  An attacker who
 * spoofs logins from many addresses can make rows; past this they are
 * counted, not kept. */
#define REPORT_ROWS_MAX (256u * 1024u)

/* Distinct client programs (IMAP ID) remembered per offender row. */
#define REPORT_SOFTWARE_MAX 4u

/* plainsight probe (src/probe/): the server it talks to may be hostile,
 * as hostile as a client on the wire, so every read is capped in length,
 * in total and in time (--timeout bounds each step).
 *
 * Longest server line kept: a CAPABILITY line of a large server is under
 * 1 KiB; 8 KiB leaves room and a longer line ends the conversation. */
#define PROBE_LINE_MAX 8192u

/* Bytes read from one connection, all lines together: a probe reads a
 * greeting and a few short answers, a few KiB. */
#define PROBE_CONN_BYTES_MAX (256u * 1024u)

/* Lines of one answer (untagged IMAP lines, the lines of a POP3 CAPA):
 * a server that sends more is not answering the question. */
#define PROBE_ANSWER_LINES_MAX 256u

/* Addresses of one host name tried in turn, each with its own timeout. */
#define PROBE_ADDRS_MAX 4u

/* HOST[:PORT] arguments times the ports of each. */
#define PROBE_TARGETS_MAX 256u

#endif
