/* dir.h: the two directions of a connection.  Per-direction state is an
 * array indexed by enum dir, never two copies of the code. */
#ifndef PLAINSIGHT_DIR_H
#define PLAINSIGHT_DIR_H

enum dir {
	DIR_C2S,		/* client to server */
	DIR_S2C,		/* server to client */
	DIR_COUNT
};

static inline enum dir
dir_other(enum dir d)
{
	return d == DIR_C2S ? DIR_S2C : DIR_C2S;
}

#endif
