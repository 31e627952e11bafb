/*
 * util.h: the one error reporter and the allocation helpers every module
 * uses.  Errors before any job starts exit with status 255, as GNU parallel
 * does for bad input.
 */
#ifndef FANOUT_UTIL_H
#define FANOUT_UTIL_H

#include <stddef.h>
#include <stdint.h>

#ifndef PCRE2_CODE_UNIT_WIDTH
#define PCRE2_CODE_UNIT_WIDTH 8
#endif
#include <pcre2.h>

#define EXIT_USAGE 255

extern const char *progname;

/* Print "NAME: Error: MSG" and exit 255. */
void	fatal(const char *, ...) __attribute__((format(printf, 1, 2), noreturn));
/* Print "NAME: Error: MSG" for an error the caller winds down from. */
void	error(const char *, ...) __attribute__((format(printf, 1, 2)));
/* Print "NAME: Warning: MSG". */
void	warning(const char *, ...) __attribute__((format(printf, 1, 2)));

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
void	*xmemdup(const void *, size_t);

/* Write all of buf to fd, retrying short writes; -1 on error. */
int	write_all(int, const void *, size_t);
/* A size with GNU parallel's units: k=1000, K=Ki=1024, m, M, g, G, t, T,
 * p, P (a trailing b is allowed); may be negative.  -1 if unparsable. */
int	parse_size(const char *, long long *);
/* A duration in seconds with GNU's units s, m, h, d, chained as in
 * 1d3.5h; -1 if unparsable. */
int	parse_duration(const char *, double *);
/* The smallest whole number not below v (no libm needed). */
long long	ceil_ll(double);
/* A signal by name (TERM, SIGTERM) or number; -1 if unknown. */
int	signal_number(const char *);
/* Compile a NUL-terminated PCRE2 pattern; a bad one is fatal, in one
 * line naming what (the option) and the pattern, PCRE2's reason and the
 * offset. */
pcre2_code	*re_compile(const char *, uint32_t, const char *);
/* Only check that a pattern compiles, fatal as re_compile(): for a
 * user's pattern that is then embedded in a larger one, so the error
 * shows what the user wrote. */
void	re_check(const char *, uint32_t, const char *);
/* Number of CPU threads this process may run on. */
int	cpu_threads(void);
/* Sockets, physical cores and threads, as far as this process may use
 * them (--number-of-sockets, -cores, -threads). */
void	cpu_topology(int *, int *, int *);
/* What a CPU is when -j counts them: CPU_THREADS (the default),
 * CPU_CORES or CPU_SOCKETS (--use-cores/sockets-instead-of-threads). */
enum { CPU_THREADS, CPU_CORES, CPU_SOCKETS };
void	cpu_unit(int);
int	cpu_count(void);
struct sbuf;
/* Append the pieces of s[0..len) between the seps to *v, counted in *n. */
void	strv_split(char ***, int *, const char *, size_t, int);
void	strv_free(char **, int);
/* The whole file into out; -1 (errno set) if it cannot be read. */
int	read_whole_file(const char *, struct sbuf *);

#endif
