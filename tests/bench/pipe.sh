#!/bin/sh
# pipe.sh: the data plane measured.  Runs fanout's --pipepart and --pipe on
# a file of lines beside GNU parallel and a plain `cat | wc -l`, all in the
# same run, and prints the times and their ratios.  Only prints figures;
# nothing here passes or fails on a timing.
#
#   tests/bench/pipe.sh [FANOUT]     (BENCH_MB=1000 BENCH_RUNS=3 by default)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
fanout=${1:-$here/../../src/fanout}
mb=${BENCH_MB:-1000}
runs=${BENCH_RUNS:-3}
[ -x "$fanout" ] || { echo "pipe.sh: no fanout binary at $fanout" >&2; exit 2; }
gnu=$(command -v parallel || true)
if [ -n "$gnu" ] && "$gnu" --version 2>/dev/null | grep -q fanout; then
	gnu=""
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
big=$tmp/big
yes 'the quick brown fox jumps over the lazy dog 0123456789' |
	head -c $((mb * 1000000)) > "$big"
echo >> "$big"
lines=$(wc -l < "$big")

now() { date +%s.%N; }

# median of $runs timings of the command in "$@"; checks the line count
timeit() {
	i=0
	: > "$tmp/times"
	while [ "$i" -lt "$runs" ]; do
		t0=$(now)
		got=$(sh -c "$1" | awk '{s += $1} END {print s}')
		t1=$(now)
		[ "$got" = "$lines" ] || { echo "pipe.sh: '$1' counted $got lines, not $lines" >&2; exit 1; }
		echo "$t0 $t1" | awk '{printf "%.3f\n", $2 - $1}' >> "$tmp/times"
		i=$((i + 1))
	done
	sort -n "$tmp/times" | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'
}

ratio() { echo "$1 $2" | awk '{ if ($2 > 0) printf "%.2f", $1 / $2; else print "-" }'; }

echo "data plane: $mb MB file of $lines lines, $(nproc) CPUs, median of $runs runs"
printf '%-44s %9s %9s %9s %12s %12s\n' benchmark fanout GNU cat/wc GNU/fanout fanout/cat
row() {
	name=$1 fcmd=$2 gcmd=$3
	f=$(timeit "$fcmd")
	g=-
	[ -n "$gnu" ] && g=$(timeit "$gcmd")
	c=$(timeit "cat '$big' | wc -l")
	gr=-
	[ "$g" != - ] && gr=$(ratio "$g" "$f")
	printf '%-44s %9s %9s %9s %12s %12s\n' "$name" "$f" "$g" "$c" "$gr" "$(ratio "$f" "$c")"
}
row "--pipepart -a big --block 10M -j2 wc -l" \
	"'$fanout' --pipepart -a '$big' --block 10M -j2 wc -l" \
	"'$gnu' --pipepart -a '$big' --block 10M -j2 wc -l"
row "--pipe --block 10M -j2 wc -l < big" \
	"'$fanout' --pipe --block 10M -j2 wc -l < '$big'" \
	"'$gnu' --pipe --block 10M -j2 wc -l < '$big'"
row "--pipe --round-robin -j2 wc -l < big" \
	"'$fanout' --pipe --round-robin --block 10M -j2 wc -l < '$big'" \
	"'$gnu' --pipe --round-robin --block 10M -j2 wc -l < '$big'"
