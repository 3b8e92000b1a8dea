/* sink.c: format lookup and helpers shared by the output formats. */
#include "report/sink.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

static_assert(MECH_COUNT <= 32 && EXPOSURE_COUNT <= 32 && SASL_COUNT <= 32,
    "report bitmasks are 32 bits");

const struct sink_ops *
sink_ops_for(enum sink_format f)
{
	switch (f) {
	case SINK_TEXT:
		return &sink_text_ops;
	case SINK_JSON:
		return &sink_json_ops;
	case SINK_CSV:
		return &sink_csv_ops;
	case SINK_FORMAT_COUNT:
		break;
	}
	return &sink_text_ops;
}

bool
sink_format_parse(const char *name, enum sink_format *out)
{
	static const char *const names[SINK_FORMAT_COUNT] = {
		[SINK_TEXT] = "text",
		[SINK_JSON] = "json",
		[SINK_CSV] = "csv",
	};

	for (int i = 0; i < SINK_FORMAT_COUNT; i++)
		if (strcmp(name, names[i]) == 0) {
			*out = (enum sink_format)i;
			return true;
		}
	return false;
}

void
sink_json_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(out, "\\%c", *p);
		else if (*p < 0x20 || *p >= 0x7f)
			fprintf(out, "\\u%04x", *p);
		else
			fputc(*p, out);
	}
	fputc('"', out);
}

/* Names in byte order.  Insertion sort: at most 32 names, usually one or
 * two, where qsort's setup cost more than the sorting (one offender
 * record sorts two lists; bench/run mail writes 43 k of them). */
static void
sort_names(const char **names, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		const char *x = names[i];
		size_t j = i;

		for (; j > 0 && strcmp(names[j - 1], x) > 0; j--)
			names[j] = names[j - 1];
		names[j] = x;
	}
}

/* The bits of mask below bit count (count <= 32). */
static uint32_t
below(uint32_t mask, int count)
{
	return count >= 32 ? mask : mask & ((1u << count) - 1);
}

/* The lists walk only the set bits, lowest first, as a loop over every
 * value did: a row has one or two of ~30 mechanisms (bench/run mail). */
void
sink_mechanisms(const uint32_t mechs, const char **names, size_t *n)
{
	*n = 0;
	for (uint32_t b = below(mechs, MECH_COUNT); b != 0; b &= b - 1)
		names[(*n)++] = event_mech_name((enum mech)__builtin_ctz(b));
	sort_names(names, *n);
}

void
sink_exposures(const uint32_t exposures, const char **names, size_t *n)
{
	*n = 0;
	for (uint32_t b = below(exposures, EXPOSURE_COUNT); b != 0; b &= b - 1)
		names[(*n)++] =
		    event_exposure_name((enum exposure)__builtin_ctz(b));
	sort_names(names, *n);
}

void
sink_sasl_names(const uint32_t sasl, const char **names, size_t *n)
{
	*n = 0;
	for (uint32_t b = below(sasl, SASL_COUNT); b != 0; b &= b - 1)
		names[(*n)++] = event_sasl_name((enum sasl_mech)__builtin_ctz(b));
	sort_names(names, *n);
}
