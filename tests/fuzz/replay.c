/*
 * A driver for libFuzzer-style entry points without libFuzzer: runs
 * LLVMFuzzerTestOneInput on each file named on the command line (a crash
 * corpus replayed in CI). Real fuzzing links the entry point with clang's
 * -fsanitize=fuzzer instead of this file.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		uint8_t *data = NULL;
		size_t len = 0, cap = 0, n;

		if (!f) {
			perror(argv[i]);
			return 2;
		}
		do {
			if (len == cap) {
				uint8_t *grown;

				cap = cap ? cap * 2 : 4096;
				if (!(grown = realloc(data, cap))) {
					free(data);
					fclose(f);
					return 2;
				}
				data = grown;
			}
			n = fread(data + len, 1, cap - len, f);
			len += n;
		} while (n > 0);
		fclose(f);
		LLVMFuzzerTestOneInput(data, len);
		free(data);
	}
	return 0;
}
