/* session.h: the TCP model behind a scenario: connections, sequence and
 * acknowledgement numbers, the capture clock, and the packets written.
 *
 * Each function here sends on the current connection (s->cur, which the
 * caller has checked is set), keeps every sequence number as if all packets
 * reached the wire, and writes to the capture only the packets the scenario
 * wants seen (not dropped, not hidden by oneway).  Each packet written is
 * stamped with the clock's time, then the clock moves on by step_ns.
 *
 * On failure a function returns non-OK and leaves a message in s->err.
 */
#ifndef PCAPGEN_SESSION_H
#define PCAPGEN_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capfile.h"
#include "dbuf.h"
#include "packet.h"
#include "pcapgen.h"

/* One end of a connection: the sender of the packets of one direction. */
struct session_end {
	uint8_t ip[16]; /* network order; IPv4 in the first 4 */
	uint8_t mac[6];
	uint16_t port;
	uint32_t isn;
	uint32_t nxt;          /* next sequence number this end sends */
	uint16_t ip_id;        /* IPv4 ID of the next packet it sends */
	uint32_t frag_id_base; /* IPv6 fragment ID: this plus the IPv4 ID */
	uint16_t window;
	uint32_t ts_base; /* TSval at the capture's start time */
	uint32_t ts_last; /* last TSval sent: the peer's TSecr */
	bool is_hidden;   /* oneway: its packets are not written */
};

struct session_conn {
	char name[PCAPGEN_NAME_MAX + 1];
	bool is_ipv6;
	bool has_tcp_options; /* SACK-permitted, wscale, timestamps */
	bool is_started;      /* handshake, syn or midstream seen */
	uint16_t mss;         /* data is cut into segments of this size */
	struct session_end end[DIR_COUNT]; /* end[d] sends direction d */
};

/* A retransmission asked for by the scenario, optionally with new bytes
 * (stored in session_mods.bytes at off, len). */
struct session_retx {
	uint32_t index;
	bool has_bytes;
	size_t off;
	size_t len;
};

/* An extra, overlapping fragment asked for by `fragment ... overlap`: its
 * data (in session_mods.bytes at off, len) sits `at` bytes after the
 * start of fragment `index`. */
struct session_overlap {
	uint32_t index;
	uint32_t at;
	size_t off;
	size_t len;
};

/* Modifiers of the next data directive; indices count its segments
 * (fragment indices count the fragments of one segment). */
struct session_mods {
	size_t nsplit;
	size_t norder;
	size_t ndrop;
	size_t ndup;
	size_t nretx;
	bool has_split;
	bool has_order;
	uint32_t split[PCAPGEN_LIST_MAX]; /* byte offsets */
	uint32_t order[PCAPGEN_LIST_MAX];
	uint32_t drop[PCAPGEN_LIST_MAX];
	uint32_t dup[PCAPGEN_LIST_MAX];
	struct session_retx retx[PCAPGEN_LIST_MAX];
	bool has_urgent;
	uint32_t urgent; /* urgent pointer: data offset after the urgent data */
	bool has_frag;
	bool has_frag_order;
	uint32_t frag_size; /* IP payload bytes per fragment, a multiple of 8 */
	size_t nfrag_order;
	size_t noverlap;
	uint32_t frag_order[PCAPGEN_LIST_MAX];
	struct session_overlap overlap[PCAPGEN_LIST_MAX];
	struct dbuf bytes; /* replacement bytes of retransmissions, overlaps */
};

struct session {
	struct packet_builder pb;
	struct capfile cf;
	struct session_conn *conns; /* PCAPGEN_CONN_MAX slots */
	size_t nconns;
	struct session_conn *cur;
	uint64_t start_ns;   /* time of the first packet, ns since 1970 */
	uint64_t elapsed_ns; /* clock: start_ns + elapsed_ns is now */
	uint64_t step_ns;    /* added after each packet written */
	struct dbuf frame;   /* the frame being built */
	struct dbuf segment; /* the TCP segment being fragmented */
	char err[PCAPGEN_ERR_MAX];
};

/* session_init(): empty session, pcap/Ethernet defaults, libnet opened.
 * Call session_free() whatever it returns. */
enum status session_init(struct session *s) PCAPGEN_WUR;
void session_free(struct session *s);

/* session_mods_init() / session_mods_clear(): no modifiers; clear also
 * releases the replacement bytes. */
void session_mods_init(struct session_mods *m);
void session_mods_clear(struct session_mods *m);

/* session_conn_defaults(): fill in everything derived from c->name and the
 * addresses: ISNs (FNV-1a of the name), MACs (02:00 and the last four
 * address bytes), IP IDs, TCP timestamp bases, window 65535, MSS 1460. */
void session_conn_defaults(struct session_conn *c);

/* session_conn_add(): copy c into the table and make it current.
 * ST_TOOBIG when PCAPGEN_CONN_MAX connections exist. */
enum status session_conn_add(
    struct session *s, const struct session_conn *c) PCAPGEN_WUR;

/* session_conn_find(): the connection called name, or NULL. */
struct session_conn *session_conn_find(
    struct session *s, const char *name, size_t len);

/* session_syn(): client SYN at its ISN, carrying len bytes of data
 * (TCP Fast Open style; data may be NULL when len is 0). */
enum status session_syn(
    struct session *s, const uint8_t *data, size_t len) PCAPGEN_WUR;

/* session_synack(): server SYN-ACK at its ISN; written only if is_shown. */
enum status session_synack(struct session *s, bool is_shown) PCAPGEN_WUR;

/* session_handshake(): SYN, SYN-ACK (written only if has_synack), ACK. */
enum status session_handshake(struct session *s, bool has_synack) PCAPGEN_WUR;

/* session_data(): d's end sends len bytes (1..PCAPGEN_DATA_MAX) as PSH|ACK
 * segments of at most mss bytes, cut also at m's split offsets, written in
 * m's order, less m's drops, plus its duplicates and retransmissions; with
 * m's urgent pointer, and each segment as IP fragments if m says so. */
enum status session_data(struct session *s, enum dir d, const uint8_t *data,
    size_t len, const struct session_mods *m) PCAPGEN_WUR;

/* session_ack(), session_fin(), session_rst(): a pure ACK, a FIN|ACK (uses
 * one sequence number), a RST|ACK, from d's end.  The RST's sequence
 * number is d's next one plus delta (modulo 2^32): 0 for an RST at the
 * right place, far off for one injected blindly. */
enum status session_ack(struct session *s, enum dir d) PCAPGEN_WUR;
enum status session_fin(struct session *s, enum dir d) PCAPGEN_WUR;
enum status session_rst(
    struct session *s, enum dir d, uint32_t delta) PCAPGEN_WUR;

/* session_keepalive(): a TCP keep-alive from d's end: ACK, sequence number
 * one below its next one, one byte 0x00 (the BSD and Windows form).  The
 * sequence number does not move. */
enum status session_keepalive(struct session *s, enum dir d) PCAPGEN_WUR;

/* session_zero_window(): d's end advertises a zero window: its window
 * becomes 0 and it sends a pure ACK. */
enum status session_zero_window(struct session *s, enum dir d) PCAPGEN_WUR;

/* session_window_probe(): a zero-window probe from d's end: ACK, one byte
 * (`byte`) at its next sequence number, which does not move: the peer's
 * window is closed, so the byte will be sent again with the next data. */
enum status session_window_probe(
    struct session *s, enum dir d, uint8_t byte) PCAPGEN_WUR;

/* session_close(): client FIN, server FIN, client ACK. */
enum status session_close(struct session *s) PCAPGEN_WUR;

/* session_wait(): move the clock on by ns (saturating). */
void session_wait(struct session *s, uint64_t ns);

#endif
