/*
 * fuzz_columns.c: the column splitter of --colsep and --csv, with --trim,
 * and the header names and renaming of --header.  The input is a flag
 * byte (bit 0: --csv, bits 1-2: the --trim mode, bit 3: no --colsep),
 * then NUL-separated words: the --colsep pattern, then the values of one
 * record.  The splitter must not crash; a fixed separator without
 * quotes, trimming or empty columns at the end must give columns that
 * join back to the value.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "columns.h"
#include "input.h"
#include "opts.h"
#include "sbuf.h"
#include "fuzz.h"

#define MAXVALS 16

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* -C , on a value with no quote, no blank and no comma at its end: the
 * columns joined with commas are the value again. */
static void
check_join(const struct arg *v, const struct arg *cols, int n)
{
	struct sbuf b = SBUF_INIT;
	int i;

	if (v->len == 0 || v->s[v->len - 1] == ',' ||
	    strpbrk(v->s, "\"' \t\r\n") != NULL)
		return;
	for (i = 0; i < n; i++) {
		if (i > 0)
			sbuf_addc(&b, ',');
		sbuf_add(&b, cols[i].s, cols[i].len);
	}
	if (b.len != v->len || memcmp(b.s, v->s, b.len) != 0)
		abort();
	sbuf_free(&b);
}

static void
split(struct columns *c, const struct arg *vals, int n, int plain)
{
	const struct arg *cols;
	char **names;
	char *renamed;
	int i, ncols;

	ncols = columns_apply(c, vals, n, &cols);
	if (plain && n == 1)
		check_join(&vals[0], cols, ncols);
	ncols = columns_names(c, vals[0].s, vals[0].len, &names);
	for (i = 0; i < ncols; i++) {
		if (names[i][0] != '\0') {
			renamed = columns_rename("x{a} {a/} {=a s/b/c/ =}",
			    names[i], i + 1);
			free(renamed);
		}
		free(names[i]);
	}
	free(names);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct opts o;
	struct columns *c = NULL;
	struct arg vals[MAXVALS];
	char *buf, *p, *end, *sep = NULL;
	int n = 0, flags, plain;

	if (size < 1)
		return 0;
	flags = data[0];
	buf = malloc(size);
	memcpy(buf, data + 1, size - 1);
	buf[size - 1] = '\0';
	for (p = buf, end = buf + size - 1; p < end; p += strlen(p) + 1) {
		if (sep == NULL)
			sep = p;
		else if (n < MAXVALS) {
			vals[n].s = p;
			vals[n].len = strlen(p);
			n++;
		}
	}
	if (n == 0) {
		vals[0].s = "";
		vals[0].len = 0;
		n = 1;
	}
	memset(&o, 0, sizeof o);
	o.csv = flags & 1;
	o.trim = (flags >> 1) & 3;
	o.colsep = flags & 8 || sep == NULL ? NULL : sep;
	plain = o.colsep != NULL && strcmp(o.colsep, ",") == 0 &&
	    o.trim == TRIM_N;
	FUZZ_TRY(c = columns_new(&o));
	if (c != NULL) {
		FUZZ_TRY(split(c, vals, n, plain));
		columns_free(c);
	}
	free(buf);
	return 0;
}
