/* standalone.c: run a fuzz target over files, without libFuzzer.
 *
 *   fuzz_replay_TARGET FILE|DIR...
 *
 * Every file (every regular file of a directory) is read and passed to
 * LLVMFuzzerTestOneInput() once, like libpcap's testprogs/fuzz/onefile.c:
 * the corpora are regression tests for any compiler and sanitizer.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

#define FILE_MAX (16u * 1024u * 1024u)

static int
run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	size_t n;

	if (f == NULL) {
		perror(path);
		return 1;
	}
	buf = malloc(FILE_MAX);
	if (buf == NULL) {
		fclose(f);
		return 1;
	}
	n = fread(buf, 1, FILE_MAX, f);
	fclose(f);
	/* exactly sized, as libFuzzer does */
	uint8_t *exact = fuzz_copy(buf, n);

	free(buf);
	LLVMFuzzerTestOneInput(exact, n);
	free(exact);
	return 0;
}

int
main(int argc, char **argv)
{
	int bad = 0;
	size_t runs = 0;

	for (int i = 1; i < argc; i++) {
		struct stat st;

		if (stat(argv[i], &st) != 0) {
			perror(argv[i]);
			return 1;
		}
		if (!S_ISDIR(st.st_mode)) {
			bad |= run_file(argv[i]);
			runs++;
			continue;
		}
		DIR *d = opendir(argv[i]);
		struct dirent *e;

		if (d == NULL) {
			perror(argv[i]);
			return 1;
		}
		while ((e = readdir(d)) != NULL) {
			char path[4096];

			if (e->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", argv[i],
			    e->d_name);
			bad |= run_file(path);
			runs++;
		}
		closedir(d);
	}
	printf("%zu inputs replayed\n", runs);
	return bad || runs == 0;
}
