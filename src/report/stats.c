/* stats.c: counter names (include/plainsight/stats.h). */
#include "plainsight/stats.h"

static const struct {
	const char *name;
	const char *doc;
} stats_table[STAT_COUNT] = {
#define STATS_ROW(id, name, doc) [id] = {name, doc},
	STATS_LIST(STATS_ROW)
#undef STATS_ROW
};

const char *
stats_name(enum stat_id id)
{
	return id < STAT_COUNT ? stats_table[id].name : "?";
}

const char *
stats_doc(enum stat_id id)
{
	return id < STAT_COUNT ? stats_table[id].doc : "?";
}
