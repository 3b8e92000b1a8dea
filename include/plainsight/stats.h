/* stats.h: every counter plainsight keeps, by name.
 *
 * Each reason a packet is skipped, each cap that is hit and each protocol
 * milestone is one named counter, so that nothing plainsight drops is
 * silent.  The names are part of the output contract (docs/output.md):
 * they appear as keys of the JSON "stats" record and in the text report.
 * Counters are only ever added to the end of a group; a name never changes
 * meaning.
 */
#ifndef PLAINSIGHT_STATS_H
#define PLAINSIGHT_STATS_H

#include <stdint.h>

/* X(id, "name", "what it counts") */
#define STATS_LIST(X)                                                         \
	/* input */                                                           \
	X(STAT_PACKETS, "packets", "packets handed to the engine")            \
	X(STAT_BYTES, "bytes", "bytes on the wire of those packets")          \
	/* decoding: every reason a packet is not analysed */                 \
	X(STAT_LINK_SHORT, "link_short", "link header cut short")             \
	X(STAT_LINK_NOT_IP, "link_not_ip", "link payload is not IP (ARP...)") \
	X(STAT_VLAN_TOO_DEEP, "vlan_too_deep", "more VLAN tags than allowed") \
	X(STAT_IPV4_SHORT, "ipv4_short", "IPv4 header cut short")             \
	X(STAT_IPV4_BAD_VERSION, "ipv4_bad_version", "version is not 4")      \
	X(STAT_IPV4_BAD_IHL, "ipv4_bad_ihl", "header length below 20")        \
	X(STAT_IPV4_BAD_TOTLEN, "ipv4_bad_totlen",                            \
	    "total length below the header length")                          \
	X(STAT_IPV4_FRAGMENT, "ipv4_fragment",                                \
	    "IPv4 fragments (kept for reassembly)")                          \
	X(STAT_IPV6_SHORT, "ipv6_short", "IPv6 header cut short")             \
	X(STAT_IPV6_BAD_VERSION, "ipv6_bad_version", "version is not 6")      \
	X(STAT_IPV6_BAD_EXT, "ipv6_bad_ext",                                  \
	    "extension header chain cut short or too long")                  \
	X(STAT_IPV6_FRAGMENT, "ipv6_fragment",                                \
	    "IPv6 fragments (kept for reassembly)")                          \
	X(STAT_IP_REASSEMBLED, "ip_reassembled",                              \
	    "IP packets rebuilt from their fragments")                       \
	X(STAT_IP_FRAG_CONFLICT, "ip_frag_conflict",                          \
	    "overlapping fragments whose bytes differ (first copy kept)")    \
	X(STAT_IP_TUNNEL_TOO_DEEP, "ip_tunnel_too_deep",                      \
	    "IP-in-IP nested deeper than allowed")                           \
	X(STAT_IP_NOT_TCP, "ip_not_tcp", "IP payload is not TCP (UDP, ICMP)") \
	X(STAT_TCP_SHORT, "tcp_short", "TCP header cut short")                \
	X(STAT_TCP_BAD_OFFSET, "tcp_bad_offset",                              \
	    "TCP data offset below 20 or beyond the IP length")              \
	X(STAT_TCP_OTHER_PORT, "tcp_other_port",                              \
	    "TCP with no POP3/IMAP port (not analysed)")                     \
	/* snaplen: the packet was cut, the analysed part is kept */          \
	X(STAT_IP_TRUNCATED, "ip_truncated",                                  \
	    "mail-port TCP payloads cut by the snaplen (IP length above the " \
	    "captured length; analysed as far as captured)")                 \
	/* flows */                                                           \
	X(STAT_FLOWS, "flows", "TCP connections to a POP3/IMAP port")         \
	X(STAT_FLOWS_MIDSTREAM, "flows_midstream",                            \
	    "connections whose start was not captured")                      \
	X(STAT_FLOWS_CLOSED, "flows_closed", "connections ended by FIN/RST")  \
	X(STAT_FLOWS_EXPIRED, "flows_expired", "connections idle too long")   \
	X(STAT_FLOWS_REUSED, "flows_reused",                                  \
	    "new connection on the 5-tuple of an old one (SYN)")             \
	/* reassembly */                                                      \
	X(STAT_TCP_RETRANSMITTED, "tcp_retransmitted",                        \
	    "segments wholly already seen (retransmissions, keep-alives)")   \
	X(STAT_TCP_OVERLAP_CONFLICT, "tcp_overlap_conflict",                  \
	    "overlapping segments whose bytes differ (first copy kept)")     \
	X(STAT_TCP_OUT_OF_ORDER, "tcp_out_of_order",                          \
	    "segments queued until the bytes before them arrive")            \
	X(STAT_TCP_GAPS, "tcp_gaps", "holes skipped in a stream (lost bytes)") \
	X(STAT_TCP_GAP_BYTES, "tcp_gap_bytes", "bytes in those holes")        \
	X(STAT_TCP_OUT_OF_WINDOW, "tcp_out_of_window",                        \
	    "segments too far from the expected sequence number")            \
	X(STAT_TCP_SYN_NEW_ISN, "tcp_syn_new_isn",                            \
	    "SYN retransmitted with a new sequence number")                  \
	X(STAT_TCP_RST_IGNORED, "tcp_rst_ignored",                            \
	    "RST outside the window (not trusted)")                          \
	X(STAT_TCP_URGENT, "tcp_urgent",                                      \
	    "client segments with urgent data (read with and without it)")   \
	/* caps on attacker-controlled state (src/bounds.h) */                \
	X(STAT_CAP_FLOWS_EVICTED, "cap_flows_evicted",                        \
	    "flows evicted because --max-flows was reached")                 \
	X(STAT_CAP_FLOWS_EVICTED_LIVE, "cap_flows_evicted_live",              \
	    "of those, flows still being parsed")                            \
	X(STAT_CAP_FLOW_OOO, "cap_flow_ooo",                                  \
	    "holes skipped because one flow queued too many bytes")          \
	X(STAT_CAP_BUFFER, "cap_buffer",                                      \
	    "allocations refused because --max-buffer was reached")          \
	X(STAT_CAP_BUFFER_EVICTED, "cap_buffer_evicted",                      \
	    "least recently active flows evicted to free --max-buffer")      \
	X(STAT_CAP_FRAG, "cap_frag",                                          \
	    "fragments dropped by the reassembly limits")                    \
	X(STAT_CAP_LINE, "cap_line", "lines longer than the line limit")      \
	X(STAT_CAP_PENDING, "cap_pending",                                    \
	    "pending commands dropped (pipelining beyond the limit)")        \
	X(STAT_CAP_REPORT_ROWS, "cap_report_rows",                            \
	    "report rows not kept (report row limit)")                       \
	/* protocol engines */                                                \
	X(STAT_SESSIONS_POP3, "sessions_pop3", "POP3 sessions parsed")        \
	X(STAT_SESSIONS_IMAP, "sessions_imap", "IMAP sessions parsed")        \
	X(STAT_SESSIONS_NOT_MAIL, "sessions_not_mail",                        \
	    "connections on a mail port that do not speak POP3/IMAP")        \
	X(STAT_SESSIONS_TLS, "sessions_tls",                                  \
	    "connections that speak TLS from the first byte")                \
	X(STAT_STARTTLS_ACCEPTED, "starttls_accepted",                        \
	    "STARTTLS/STLS answered with OK")                                 \
	X(STAT_STARTTLS_REFUSED, "starttls_refused",                          \
	    "STARTTLS/STLS answered with NO/BAD/-ERR")                        \
	X(STAT_STARTTLS_NOT_STARTED, "starttls_not_started",                  \
	    "cleartext commands after an accepted STARTTLS")                 \
	X(STAT_STARTTLS_SERVER_CLEARTEXT, "starttls_server_cleartext",        \
	    "server cleartext after its STARTTLS OK (injection class)")      \
	X(STAT_TLS_STARTED, "tls_started", "sessions that switched to TLS")   \
	X(STAT_LOGINS, "logins", "login attempts reported")                   \
	X(STAT_LOGINS_INFERRED, "logins_inferred",                            \
	    "of those, inferred from the server side alone")                 \
	X(STAT_LOGINS_OTHER_COPY, "logins_other_copy",                        \
	    "of those, found only in another reading (a conflicting copy or "\
	    "without the urgent byte)")                                      \
	X(STAT_SASL_NOT_REPORTED, "sasl_not_reported",                        \
	    "SASL exchanges with no password (GSSAPI, EXTERNAL...)")         \
	X(STAT_SASL_BAD_BASE64, "sasl_bad_base64",                            \
	    "SASL responses that are not valid base64")

enum stat_id {
#define STATS_ENUM(id, name, doc) id,
	STATS_LIST(STATS_ENUM)
#undef STATS_ENUM
	STAT_COUNT
};

/* Counters for one engine.  Plain 64-bit counters; no bitfields. */
struct stats {
	uint64_t v[STAT_COUNT];
};

/* stats_name(): the stable name of a counter ("ipv4_fragment").
 * stats_doc(): its one-line description, for --help and docs. */
const char *stats_name(enum stat_id id);
const char *stats_doc(enum stat_id id);

#endif
