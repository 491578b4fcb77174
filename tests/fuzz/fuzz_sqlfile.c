/*
 * Fuzz entry point for the SQL file reader: the section splitter, then the
 * checksum and the statements of each section (libpg_query included).
 */
#include <stdint.h>
#include <stdlib.h>

#include "sqlfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	varve_diag_list *diags = NULL;
	varve_sqlfile *file = NULL;
	char checksum[VARVE_CHECKSUM_LEN + 1];
	int k;

	if (varve_diag_list_new(&diags))
		return 0;
	if (varve_sqlfile__read_buffer(&file, (const char *)data, size,
				       "fuzz.sql", true, VARVE_SECTION_UP,
				       diags) == 0) {
		for (k = VARVE_SECTION_UP; k <= VARVE_SECTION_DOWN; k++) {
			varve_statement *st = NULL;
			size_t n = 0, i;
			unsigned line, column;

			if (varve_sqlfile__analyze(file, (varve_section_kind)k,
						   checksum, &st, &n,
						   diags) == 0)
				for (i = 0; i < n; i++)
					varve_sqlfile_position(
						file, (varve_section_kind)k,
						st[i].offset, &line, &column);
			free(st);
		}
	}
	varve_sqlfile_free(file);
	varve_diag_list_free(diags);
	return 0;
}
