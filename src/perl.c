/*
 * perl.c: one long-lived perl process that compiles and evaluates the
 * replacement-string expressions fanout cannot run natively.  It is started
 * on the first such expression, at template compile time, so a missing
 * perl or a syntax error stops fanout before any job runs.
 *
 * The two talk over a pair of pipes, on descriptors 3 and 4 of perl so that
 * an expression that prints writes to fanout's standard output as it would
 * in GNU parallel, with length-prefixed messages (32-bit big-endian
 * numbers, then bytes):
 *
 *   C len code                     -> 0 id  |  1 len message
 *   E id seq slot total slots n    -> flags len value
 *     [n x (len arg)] len value       (n = 0xffffffff: @arg unchanged)
 *
 * The perl side evaluates each expression in package Arg, as GNU parallel
 * does, so state kept in variables carries from job to job the same way.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "expr.h"
#include "perl.h"
#include "tmpl.h"
#include "util.h"

extern char **environ;

static const char perl_script[] =
"no strict; no warnings;\n"
"open(FANOUT_IN, '<&=', 3) or die; open(FANOUT_OUT, '>&=', 4) or die;\n"
"binmode FANOUT_IN; binmode FANOUT_OUT; $| = 1;\n"
"sub fanout_get { my ($n, $b) = (shift, '');\n"
"  while (length($b) < $n) {\n"
"    my $r = sysread(FANOUT_IN, $b, $n - length($b), length($b));\n"
"    exit 0 if !$r; }\n"
"  return $b; }\n"
"sub fanout_num { return unpack('N', fanout_get(4)); }\n"
"sub fanout_str { my $n = fanout_num(); return $n ? fanout_get($n) : ''; }\n"
"sub fanout_put { my $s = join('', @_); my $o = 0;\n"
"  while ($o < length($s)) {\n"
"    my $w = syswrite(FANOUT_OUT, $s, length($s) - $o, $o);\n"
"    exit 0 if !defined($w); $o += $w; } }\n"
"sub uniq { my %seen; return grep { !$seen{$_}++ } @_; }\n"
"sub make_regexp_ungreedy { my ($re, $out, $q, $esc, $cls) = (shift, '');\n"
"  for my $c (split //, $re) {\n"
"    $out .= '?' if $q && $c ne '?'; $q = 0; $out .= $c;\n"
"    if ($esc) { $esc = 0; next; }\n"
"    if ($c eq '\\\\') { $esc = 1; next; }\n"
"    if ($c eq '[') { $cls = 1; next; }\n"
"    if ($cls) { $cls = 0 if $c eq ']'; next; }\n"
"    $q = 1 if $c =~ /[*}+]/; }\n"
"  return $q ? $out . '?' : $out; }\n"
"sub Q { my $s = shift; return \"''\" if !length($s);\n"
"  return $s if $s !~ /[^-_.+a-zA-Z0-9\\/]/;\n"
"  $s =~ s/'/'\"'\"'/g; $s = \"'\" . $s . \"'\";\n"
"  $s =~ s/^''//; $s =~ s/''$//; return $s; }\n"
"sub shell_quote_scalar { return Q(@_); }\n"
"sub pQ { my $s = shift; $s =~ s/([\\\\\"\\$\\@])/\\\\$1/g; return $s; }\n"
"sub perl_quote_scalar { return pQ(@_); }\n"
"package fanout_job;\n"
"sub seq { return $Arg::fanout_seq; }\n"
"sub slot { return $Arg::fanout_slot; }\n"
"sub skip { $Arg::fanout_skip = 1; }\n"
"package Arg;\n"
"sub skip() { $fanout_skip = 1; }\n"
"sub seq() { return $fanout_seq; }\n"
"sub slot() { return $fanout_slot; }\n"
"sub uq() { $fanout_uq = 1; }\n"
"sub total_jobs() { return $fanout_total; }\n"
"sub Q($) { return ::Q(@_); }\n"
"sub pQ($) { return ::pQ(@_); }\n"
"sub hash($) { require B; return B::hash(@_); }\n"
"sub fanout_time { require POSIX; return POSIX::strftime(shift, localtime(time())); }\n"
"sub yyyy_mm_dd_hh_mm_ss() { fanout_time('%Y-%m-%dT%H:%M:%S') }\n"
"sub yyyy_mm_dd_hh_mm() { fanout_time('%Y-%m-%dT%H:%M') }\n"
"sub yyyy_mm_dd() { fanout_time('%Y-%m-%d') }\n"
"sub hh_mm_ss() { fanout_time('%H:%M:%S') }\n"
"sub hh_mm() { fanout_time('%H:%M') }\n"
"sub yyyymmddhhmmss() { fanout_time('%Y%m%d%H%M%S') }\n"
"sub yyyymmddhhmm() { fanout_time('%Y%m%d%H%M') }\n"
"sub yyyymmdd() { fanout_time('%Y%m%d') }\n"
"sub hhmmss() { fanout_time('%H%M%S') }\n"
"sub hhmm() { fanout_time('%H%M') }\n"
"my @fanout_code; my $fanout_job = bless {}, 'fanout_job';\n"
"while (1) {\n"
"  my $what = ::fanout_get(1);\n"
"  if ($what eq 'C') {\n"
"    my $code = ::fanout_str();\n"
"    my $sub = eval('sub { no strict; no warnings; my $job = shift; '\n"
"      . $code . ' }');\n"
"    if ($sub) { push @fanout_code, $sub;\n"
"      ::fanout_put(pack('NN', 0, $#fanout_code)); }\n"
"    else { my $e = $@; $e =~ s/\\s+$//; $e =~ s/\\n/ /g;\n"
"      ::fanout_put(pack('NN', 1, length($e)), $e); }\n"
"    next; }\n"
"  my ($id, $seq, $slot, $total, $slots, $n) = unpack('N6', ::fanout_get(24));\n"
"  ($fanout_seq, $fanout_slot, $fanout_total) = ($seq, $slot, $total);\n"
"  $Global::max_jobs_running = $slots;\n"
"  if ($n != 0xffffffff) { @arg = (undef);\n"
"    push @arg, ::fanout_str() for 1 .. $n; }\n"
"  local $_ = ::fanout_str();\n"
"  ($fanout_uq, $fanout_skip) = (0, 0);\n"
"  if (!eval { $fanout_code[$id]->($fanout_job); 1 }) {\n"
"    my $e = $@; $e =~ s/\\s+$//; $e =~ s/\\n/ /g;\n"
"    ::fanout_put(pack('NN', 0x80000000, length($e)), $e); next; }\n"
"  my $v = defined($_) ? \"$_\" : '';\n"
"  utf8::encode($v) if utf8::is_utf8($v);\n"
"  ::fanout_put(pack('NN', ($fanout_uq ? 1 : 0) | ($fanout_skip ? 2 : 0),\n"
"    length($v)), $v);\n"
"}\n";

static pid_t	 perl_pid = -1;
static int	 perl_to = -1, perl_from = -1;
static char	**perl_shown;	/* each expression's name, for errors */
static int	*perl_usesargs;	/* does it mention @arg? */
static int	 perl_n;
static unsigned long perl_argseq;	/* the job whose @arg perl holds */
static int	 perl_argsent;

static int
high_fd(int fd)
{
	int n;

	if ((n = fcntl(fd, F_DUPFD_CLOEXEC, 10)) == -1)
		fatal("cannot create a pipe to perl: %s", strerror(errno));
	close(fd);
	return n;
}

static void
perl_start(const char *shown)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none, dfl;
	char *argv[4];
	int in[2], out[2], rc;

	if (pipe2(in, O_CLOEXEC) == -1 || pipe2(out, O_CLOEXEC) == -1)
		fatal("cannot create a pipe to perl: %s", strerror(errno));
	/* Above 4, so that the dup2 below always makes a new descriptor. */
	in[0] = high_fd(in[0]);
	out[1] = high_fd(out[1]);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null",
	    O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, in[0], 3);
	posix_spawn_file_actions_adddup2(&fa, out[1], 4);
	posix_spawnattr_init(&attr);
	sigemptyset(&none);
	posix_spawnattr_setsigmask(&attr, &none);
	/* fanout ignores SIGPIPE for itself; perl gets the default. */
	sigemptyset(&dfl);
	sigaddset(&dfl, SIGPIPE);
	posix_spawnattr_setsigdefault(&attr, &dfl);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK |
	    POSIX_SPAWN_SETSIGDEF);
	argv[0] = "perl";
	argv[1] = "-e";
	argv[2] = (char *)perl_script;
	argv[3] = NULL;
	rc = posix_spawnp(&perl_pid, "perl", &fa, &attr, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	if (rc != 0)
		fatal("%s needs perl, which cannot be run: %s", shown,
		    strerror(rc));
	close(in[0]);
	close(out[1]);
	perl_to = in[1];
	perl_from = out[0];
}

static void
put_num(struct sbuf *b, uint32_t n)
{
	unsigned char c[4];

	c[0] = (unsigned char)(n >> 24);
	c[1] = (unsigned char)(n >> 16);
	c[2] = (unsigned char)(n >> 8);
	c[3] = (unsigned char)n;
	sbuf_add(b, c, 4);
}

static void
put_str(struct sbuf *b, const char *s, size_t len)
{
	put_num(b, (uint32_t)len);
	sbuf_add(b, s, len);
}

static void
get(void *buf, size_t len, const char *shown)
{
	size_t got = 0;
	ssize_t n;

	while (got < len) {
		n = read(perl_from, (char *)buf + got, len - got);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			fatal("%s: the perl process evaluating it ended", shown);
		got += (size_t)n;
	}
}

static uint32_t
get_num(const char *shown)
{
	unsigned char c[4];

	get(c, 4, shown);
	return (uint32_t)c[0] << 24 | (uint32_t)c[1] << 16 |
	    (uint32_t)c[2] << 8 | c[3];
}

static void
send_msg(const struct sbuf *b, const char *shown)
{
	if (write_all(perl_to, b->s, b->len) == -1)
		fatal("%s: cannot write to the perl process: %s", shown,
		    strerror(errno));
}

int
perl_compile(const char *code, const char *shown)
{
	struct sbuf b = SBUF_INIT;
	uint32_t status, n;
	char *msg;

	if (perl_pid == -1)
		perl_start(shown);
	sbuf_addc(&b, 'C');
	put_str(&b, code, strlen(code));
	send_msg(&b, shown);
	sbuf_free(&b);
	status = get_num(shown);
	n = get_num(shown);
	if (status != 0) {
		msg = xmalloc((size_t)n + 1);
		get(msg, n, shown);
		msg[n] = '\0';
		fatal("cannot use %s: %s", shown, msg);
	}
	perl_shown = xreallocarray(perl_shown, (size_t)perl_n + 1,
	    sizeof *perl_shown);
	perl_usesargs = xreallocarray(perl_usesargs, (size_t)perl_n + 1,
	    sizeof *perl_usesargs);
	perl_shown[perl_n] = xstrdup(shown);
	perl_usesargs[perl_n] = strstr(code, "arg") != NULL;
	perl_n++;
	return (int)n;
}

int
perl_eval(int id, const struct jobvars *jv, struct sbuf *v)
{
	static struct sbuf b = SBUF_INIT;
	const char *shown = perl_shown[id];
	uint32_t flags, n;
	int i;

	sbuf_reset(&b);
	sbuf_addc(&b, 'E');
	put_num(&b, (uint32_t)id);
	put_num(&b, (uint32_t)jv->seq);
	put_num(&b, (uint32_t)jv->slot);
	put_num(&b, (uint32_t)jv->total);
	put_num(&b, (uint32_t)jv->nslots);
	if (perl_usesargs[id] && (!perl_argsent || perl_argseq != jv->seq)) {
		put_num(&b, (uint32_t)jv->nargs);
		for (i = 0; i < jv->nargs; i++)
			put_str(&b, jv->args[i].s, jv->args[i].len);
		perl_argseq = jv->seq;
		perl_argsent = 1;
	} else
		put_num(&b, 0xffffffffU);
	put_str(&b, v->s ? v->s : "", v->len);
	send_msg(&b, shown);
	flags = get_num(shown);
	n = get_num(shown);
	sbuf_reset(v);
	sbuf_grow(v, (size_t)n + 1);
	get(v->s, n, shown);
	v->len = n;
	v->s[n] = '\0';
	if (flags & 0x80000000U)
		fatal("cannot use %s: %s", shown, v->s);
	return (flags & 1 ? EXPR_UNQUOTED : 0) | (flags & 2 ? EXPR_SKIP : 0);
}
