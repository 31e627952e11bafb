/*
 * fuzz_opts.c: the option parser.  The input is a command line, its words
 * separated by NUL bytes.  opts_parse() must take any words without a
 * crash, an overflow or undefined behaviour: it either fills the settings
 * or stops with one error (an exit, caught here).  Profiles and
 * $PARALLEL are kept out so that only the input counts.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "opts.h"
#include "fuzz.h"

#define MAXWORDS 64

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	setenv("HOME", "/nonexistent/fanout-fuzz", 1);
	unsetenv("PARALLEL");
	unsetenv("PARALLEL_HOME");
	unsetenv("XDG_CONFIG_HOME");
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct opts o;
	char *buf, *argv[MAXWORDS + 2], *p, *end;
	int argc = 0;

	buf = malloc(size + 1);
	memcpy(buf, data, size);
	buf[size] = '\0';
	argv[argc++] = "fanout";
	for (p = buf, end = buf + size; p <= end && argc <= MAXWORDS;
	    p += strlen(p) + 1)
		argv[argc++] = p;
	argv[argc] = NULL;
	FUZZ_TRY(opts_parse(&o, argc, argv));
	free(buf);
	return 0;
}
