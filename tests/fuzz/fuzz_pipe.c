/*
 * fuzz_pipe.c: record splitting for --pipe.  The input is a flag byte
 * (bit 0 --regexp, bit 1 -N, bit 2 -L, bit 3 --recstart, bit 4 --recend),
 * a block size byte, a count byte for -N/-L, then --recend and --recstart
 * as NUL-terminated strings, then the data.  The data goes through the
 * real reader thread on standard input, and the chunks it cuts must
 * concatenate back to the data, byte for byte.
 *
 * pipe.c is compiled into this file so that its state can be reset
 * between inputs.  --regexp with -N is left out: cut() remembers in a
 * static whether it has passed the text before the first record.
 */
#include "../../src/pipe.c"

#include <signal.h>
#include <stdint.h>

#include "fuzz.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

struct fuzzfeed {
	const uint8_t	*p;
	size_t		 n;
	int		 fd;
};

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

static void
reset(void)
{
	sbuf_free(&recstart);
	sbuf_free(&recend);
	sbuf_free(&recendstart);
	sbuf_free(&header);
	pcre2_code_free(re_last);
	pcre2_code_free(re_nrec);
	pcre2_code_free(re_garbage);
	pcre2_code_free(re_start);
	re_last = re_nrec = re_garbage = re_start = NULL;
	while (npool > 0)
		free(pool[--npool]);
	ready = NULL;
	input_ended = all_started = 0;
	blocksize = 0;
}

static void *
writer(void *arg)
{
	struct fuzzfeed *f = arg;

	(void)write_all(f->fd, f->p, f->n);
	close(f->fd);
	return NULL;
}

/* Take every chunk the reader cuts and join them. */
static void
collect(struct sbuf *out)
{
	struct timespec ts = { 0, 20000 };
	struct chunk *c;
	int rc;

	while ((rc = pipe_next(&c)) != -1) {
		if (rc == 0) {
			nanosleep(&ts, NULL);
			continue;
		}
		sbuf_add(out, c->data, c->len);
		pipe_chunk_free(c);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct opts op;
	struct sbuf out = SBUF_INIT;
	char *rend, *rstart;
	struct fuzzfeed f;
	pthread_t w;
	const uint8_t *p, *end = data + size;
	int fds[2], flags, ok = 0;

	if (size < 3)
		return 0;
	flags = data[0];
	memset(&op, 0, sizeof op);
	op.pipe = 1;
	op.block = data[1] + 1;
	op.regexp = flags & 1;
	if ((flags & 2) && !op.regexp)
		op.max_args = data[2] % 8 + 1;
	if (flags & 4)
		op.max_lines = data[2] % 5 + 1;
	p = data + 3;
	rend = strndup((const char *)p, (size_t)(end - p));
	p += strlen(rend) + 1;
	rstart = strndup(p < end ? (const char *)p : "",
	    p < end ? (size_t)(end - p) : 0);
	p += strlen(rstart) + 1;
	if (p > end)
		p = end;
	if (flags & 16)
		op.recend = rend;
	if (flags & 8)
		op.recstart = rstart;

	reset();
	FUZZ_TRY((pipe_setup(&op, 1), ok = 1));
	if (ok && pipe(fds) == 0) {
		dup2(fds[0], STDIN_FILENO);
		close(fds[0]);
		f.p = p;
		f.n = (size_t)(end - p);
		f.fd = fds[1];
		pthread_create(&w, NULL, writer, &f);
		/* The reader wakes the main thread with a signal: one that
		 * is ignored by default and that libFuzzer leaves alone. */
		pipe_start(pthread_self(), SIGURG);
		collect(&out);
		pthread_join(w, NULL);
		if (out.len != f.n || (f.n > 0 && memcmp(out.s, f.p, f.n) != 0))
			abort();	/* a byte lost, added or moved */
	}
	sbuf_free(&out);
	free(rend);
	free(rstart);
	return 0;
}
