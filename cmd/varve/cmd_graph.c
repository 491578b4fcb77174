/* varve heads, graph and history: views of the manifest's graph. */
#include "cli.h"

int cmd_heads(cli_global *g, int argc, char **argv)
{
	(void)argc; (void)argv;
	out_error(g, "not implemented");
	return EXIT_FINDINGS;
}

int cmd_graph(cli_global *g, int argc, char **argv)
{
	(void)argc; (void)argv;
	out_error(g, "not implemented");
	return EXIT_FINDINGS;
}

int cmd_history(cli_global *g, int argc, char **argv)
{
	(void)argc; (void)argv;
	out_error(g, "not implemented");
	return EXIT_FINDINGS;
}
