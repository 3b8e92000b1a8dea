/* fuzz_session.h: a POP3 or IMAP session fed a two-sided transcript. */
#ifndef PLAINSIGHT_FUZZ_SESSION_H
#define PLAINSIGHT_FUZZ_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "plainsight/event.h"

/* fuzz_session(): input byte 0 has flags (bit 0: mid-stream, bit 1: an
 * account key); then chunks, each a header byte (bit 7: server to
 * client; bits 0-6: length, 0 meaning "bytes were lost here") and that
 * many bytes, each chunk in its own exactly sized allocation.  Arbitrary
 * splits of arbitrary dialogues, through the real stream layer. */
void fuzz_session(enum proto p, const uint8_t *data, size_t size);

#endif
