/*
 * A program as a user of the installed library writes it: varve.h and
 * `pkg-config --cflags --libs varve`, nothing else. It checks a manifest
 * and prints the library's version and the findings.
 * Usage: hello MANIFEST
 */
#include <stdio.h>
#include <string.h>

#include <varve.h>

int main(int argc, char **argv)
{
	varve_diag_list *diags = NULL;
	int status;

	if (argc != 2)
		return 2;
	if (strcmp(varve_version(), VARVE_VERSION) != 0) {
		fprintf(stderr, "header %s, library %s\n", VARVE_VERSION, varve_version());
		return 1;
	}
	printf("varve %s (%d.%d.%d)\n", varve_version(), VARVE_VERSION_MAJOR,
	       VARVE_VERSION_MINOR, VARVE_VERSION_PATCH);
	printf("%d: %s\n", VARVE_ECONNECT, varve_strerror(VARVE_ECONNECT));
	if (varve_diag_list_new(&diags) != VARVE_OK)
		return 1;
	status = varve_check(argv[1], NULL, diags);
	printf("check: %s, %zu errors, %zu warnings\n", varve_strerror(status),
	       varve_diag_list_errors(diags), varve_diag_list_warnings(diags));
	varve_diag_list_free(diags);
	return status == VARVE_OK ? 0 : 1;
}
