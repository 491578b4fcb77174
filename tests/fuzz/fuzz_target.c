/* Fuzz entry point for the target code: to be written. */
#include <stddef.h>
#include <stdint.h>

#include "varve.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	(void)data;
	(void)size;
	return 0;
}
