/*
 * fuzz_tmpl.c: the command template.  The input is a flag byte (bit 0:
 * -q, bit 1: append the values when there is no replacement string), then
 * NUL-separated words: the command words, an empty word, then the values
 * of one job.  The template is compiled and expanded both as a shell line
 * and, when it can run without a shell, as an argument vector; the raw
 * --tagstring form is expanded too.  The table of replacement strings has
 * the --plus strings, and {= =} expressions are compiled and run by the
 * native evaluator.  Nothing may crash or leak.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "opts.h"
#include "rpl.h"
#include "sbuf.h"
#include "tmpl.h"
#include "fuzz.h"

#define MAXWORDS 32

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
expand(struct tmpl *t, const struct jobvars *jv)
{
	struct sbuf line = SBUF_INIT;

	tmpl_line(t, jv, &line);
	if (tmpl_direct_word(t) != NULL) {
		sbuf_reset(&line);
		(void)tmpl_argv(t, jv, &line);
	}
	(void)tmpl_has_refs(t);
	sbuf_free(&line);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf, *words[MAXWORDS + 1], *p, *end;
	struct arg args[MAXWORDS];
	struct jobvars jv;
	struct tmpl *t = NULL, *raw = NULL;
	int nwords = 0, nargs = 0, flags, invals = 0;
	static struct opts o;
	static int ready;

	if (size < 1)
		return 0;
	if (!ready) {
		/*
		 * Every --plus string is in the table.  Expressions outside
		 * the native subset would go to a perl co-process: with no
		 * PATH there is none, so they stay in this process and end
		 * in fanout's error for a missing perl.
		 */
		memset(&o, 0, sizeof o);
		o.plus = 1;
		setenv("PATH", "/nonexistent", 1);
		rpl_init(&o);
		ready = 1;
	}
	flags = data[0];
	buf = malloc(size);
	memcpy(buf, data + 1, size - 1);
	buf[size - 1] = '\0';
	for (p = buf, end = buf + size - 1; p < end; p += strlen(p) + 1) {
		if (!invals && *p == '\0') {
			invals = 1;
			continue;
		}
		if (!invals && nwords < MAXWORDS)
			words[nwords++] = p;
		else if (invals && nargs < MAXWORDS) {
			args[nargs].s = p;
			args[nargs].len = strlen(p);
			nargs++;
		}
	}
	words[nwords] = NULL;
	if (nargs == 0) {
		/* Every job has a value, if only an empty one. */
		args[0].s = "";
		args[0].len = 0;
		nargs = 1;
	}
	memset(&jv, 0, sizeof jv);
	jv.args = args;
	jv.nargs = nargs;
	jv.seq = 7;
	jv.slot = 3;
	FUZZ_TRY(t = tmpl_compile(words, nwords, flags & 1, flags & 2));
	if (t != NULL) {
		FUZZ_TRY(expand(t, &jv));
		tmpl_free(t);
	}
	if (nwords > 0) {
		FUZZ_TRY(raw = tmpl_compile_raw(words[0]));
		if (raw != NULL) {
			FUZZ_TRY(expand(raw, &jv));
			tmpl_free(raw);
		}
	}
	free(buf);
	return 0;
}
