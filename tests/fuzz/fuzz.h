/*
 * fuzz.h: what every fuzz target shares.  fanout reports bad input with
 * fatal(), which exits; the targets are linked with -Wl,--wrap=exit so
 * that an exit inside the code under test returns to the target through
 * FUZZ_TRY instead of ending the fuzzer.  Exits outside it (libFuzzer's
 * own) go on to the real exit.
 */
#ifndef FANOUT_FUZZ_H
#define FANOUT_FUZZ_H

#include <setjmp.h>
#include <stdlib.h>

static jmp_buf	fuzz_jmp;
static int	fuzz_inside;

void	__real_exit(int) __attribute__((noreturn));
void	__wrap_exit(int) __attribute__((noreturn));

void
__wrap_exit(int status)
{
	if (fuzz_inside) {
		fuzz_inside = 0;
		longjmp(fuzz_jmp, 1);
	}
	__real_exit(status);
}

/* Run the statement; an exit() inside it ends it early. */
#define FUZZ_TRY(stmt) do {						\
	if (setjmp(fuzz_jmp) == 0) {					\
		fuzz_inside = 1;					\
		stmt;							\
	}								\
	fuzz_inside = 0;						\
} while (0)

#endif
