#!/bin/sh
# perlexpr.sh - time a {= s/a/b/ =} replacement string over many arguments,
# fanout beside GNU parallel.
#
# Usage: tests/bench/perlexpr.sh [FANOUT]
#
# Both run with --dry-run, so the figure is the cost of reading the
# arguments, evaluating the expression and printing the command lines.
# GNU parallel needs milliseconds per line, so it runs on fewer lines and
# its time less its start-up is scaled linearly, as run.sh does for its
# dry-run row.  The script only prints figures; it never decides pass or
# fail (see doc/benchmarks.md for the target).
#
# Environment:
#   BENCH_RUNS      runs per figure, median reported             (default 3)
#   BENCH_LINES     arguments for fanout                         (default 100000)
#   BENCH_GNU_LINES arguments for GNU parallel, scaled up        (default 1000)
#   BENCH_GNU       GNU parallel to compare with    (default: parallel in PATH)

set -u

here=$(cd "$(dirname "$0")" && pwd) || exit 2
FANOUT=${1:-$(cd "$here/../.." && pwd)/src/fanout}
case $FANOUT in
/*) ;;
*) FANOUT=$(pwd)/$FANOUT ;;
esac
RUNS=${BENCH_RUNS:-3}
LINES=${BENCH_LINES:-100000}
GLINES=${BENCH_GNU_LINES:-1000}
for v in "$RUNS" "$LINES" "$GLINES"; do
	case $v in
	'' | *[!0-9]* | 0) echo "perlexpr.sh: bad count: '$v'" >&2; exit 2 ;;
	esac
done
if [ ! -x "$FANOUT" ]; then
	echo "perlexpr.sh: no fanout binary at $FANOUT" >&2
	exit 2
fi
GNU=${BENCH_GNU:-$(command -v parallel || true)}
if [ -z "$GNU" ] || ! "$GNU" --version </dev/null 2>/dev/null |
    grep -q 'GNU parallel'; then
	GNU=
fi
unset PARALLEL

tmp=$(mktemp -d "${TMPDIR:-/tmp}/fanout-bench.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Arguments that each hold an "a" to replace.
seq "$LINES" | sed 's/$/-abc/' >"$tmp/args"
head -n "$GLINES" "$tmp/args" >"$tmp/gargs"
echo x-abc >"$tmp/one"

now() {
	date +%s.%N
}

# secs CMD...: wall-clock seconds of one run, output discarded.
secs() {
	t0=$(now)
	"$@" >/dev/null 2>&1
	t1=$(now)
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f\n", b - a }'
}

# median CMD...: the median of BENCH_RUNS runs.
median() {
	i=0
	: >"$tmp/times"
	while [ "$i" -lt "$RUNS" ]; do
		secs "$@" >>"$tmp/times"
		i=$((i + 1))
	done
	sort -n "$tmp/times" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

run_fanout() {
	"$FANOUT" --dry-run echo '{= s/a/b/ =}' <"$1"
}

run_gnu() {
	"$GNU" --dry-run echo '{= s/a/b/ =}' <"$1"
}

load=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')
fo=$(median run_fanout "$tmp/args")
echo "fanout:  $LINES arguments, --dry-run echo '{= s/a/b/ =}': $fo s"
if [ -z "$GNU" ]; then
	echo "GNU parallel: not installed"
	exit 0
fi
gs=$(median run_gnu "$tmp/one")
gn=$(median run_gnu "$tmp/gargs")
est=$(awk -v s="$gs" -v g="$gn" -v l="$LINES" -v n="$GLINES" \
    'BEGIN { r = g - s; if (r < 0) r = 0; printf "%.4f\n", s + r * l / n }')
echo "GNU:     $GLINES arguments: $gn s (start-up $gs s);" \
    "scaled to $LINES: $est s"
awk -v e="$est" -v f="$fo" 'BEGIN {
	if (f > 0) printf "GNU/fo:  %.0fx\n", e / f; else print "GNU/fo:  -" }'
echo "load average at start: $load, at end: $(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')"
