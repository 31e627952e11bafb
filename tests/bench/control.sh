#!/bin/sh
# control.sh - what --joblog and --results add to the cost of a job.
#
# Usage: tests/bench/control.sh [FANOUT]   (`make bench-control' runs it)
#
# Times the dispatch benchmark, `seq N | fanout -j2 true', plain, with
# --joblog FILE, with --results DIR and with --results FILE.csv, and prints
# each one's cost per job and how much it adds to the plain run's.  The
# runs go in rounds (every variant once per round) so that load from
# elsewhere hits all of them alike; each figure is the median of the rounds.
# --results DIR is timed twice: in the working directory (under $TMPDIR),
# where each job costs the file system a directory and three files, and in
# /dev/shm (a tmpfs, where that costs little), which shows fanout's share.
# It only prints figures; doc/benchmarks.md says what to expect.
#
# Environment:
#   BENCH_RUNS   rounds, the median is reported   (default 5)
#   BENCH_JOBS   jobs per run                      (default 5000)

set -u

here=$(cd "$(dirname "$0")" && pwd) || exit 2
FANOUT=${1:-$(cd "$here/../.." && pwd)/src/fanout}
case $FANOUT in
/*) ;;
*) FANOUT=$(pwd)/$FANOUT ;;
esac
RUNS=${BENCH_RUNS:-5}
N=${BENCH_JOBS:-5000}
for v in "$RUNS" "$N"; do
	case $v in
	'' | *[!0-9]* | 0) echo "control.sh: bad count: '$v'" >&2; exit 2 ;;
	esac
done
if [ ! -x "$FANOUT" ]; then
	echo "control.sh: no fanout binary at $FANOUT" >&2
	exit 2
fi
if [ "$(date +%N)" = "%N" ] || [ "$(date +%N)" = N ]; then
	now() { perl -MTime::HiRes=time -e 'printf "%.6f\n", time'; }
else
	now() { date +%s.%N; }
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/fanout-bench.XXXXXX") || exit 2
shm=
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
	shm=$(mktemp -d /dev/shm/fanout-bench.XXXXXX) || shm=
fi
trap 'rm -rf "$tmp" ${shm:+"$shm"}' EXIT INT TERM
unset PARALLEL
export FANOUT N shm

# time_one KEY CMD: run CMD under sh -c, append its wall time to $tmp/t.KEY.
time_one() {
	rm -rf "$tmp/w" ${shm:+"$shm/res"}
	mkdir "$tmp/w"
	t0=$(now)
	if (cd "$tmp/w" && sh -c "$2") >/dev/null 2>"$tmp/err"; then
		t1=$(now)
		echo "$t0 $t1" | awk '{ printf "%.6f\n", $2 - $1 }' >>"$tmp/t.$1"
	else
		echo fail >>"$tmp/t.$1"
		echo "control.sh: $1 failed: $(head -c 300 "$tmp/err")" >&2
	fi
}

median() {
	if grep -q fail "$tmp/t.$1"; then
		echo fail
		return
	fi
	sort -n "$tmp/t.$1" | awk '{ v[NR] = $1 }
	END { m = int((NR + 1) / 2)
	      printf "%.6f\n", (NR % 2) ? v[m] : (v[m] + v[m + 1]) / 2 }'
}

# The commands are single-quoted: sh -c expands the exported variables.
# shellcheck disable=SC2016
{
	plain='seq "$N" | "$FANOUT" -j2 true'
	joblog='seq "$N" | "$FANOUT" -j2 --joblog log true'
	results='seq "$N" | "$FANOUT" -j2 --results res true'
	csv='seq "$N" | "$FANOUT" -j2 --results res.csv true'
	tmpfs='seq "$N" | "$FANOUT" -j2 --results "$shm/res" true'
}

load0=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')
i=0
while [ "$i" -lt "$RUNS" ]; do
	time_one plain "$plain"
	time_one joblog "$joblog"
	time_one results "$results"
	time_one csv "$csv"
	[ -n "$shm" ] && time_one tmpfs "$tmpfs"
	i=$((i + 1))
done
load1=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')

base=$(median plain)
echo "seq $N | fanout -j2 true, median of $RUNS rounds; load average $load0 before, $load1 after"
printf '%-24s %10s %12s %10s\n' variant seconds 'us per job' added
for k in plain joblog results tmpfs csv; do
	[ -s "$tmp/t.$k" ] || continue
	m=$(median "$k")
	case $k in
	plain) name='(none)' ;;
	joblog) name='--joblog FILE' ;;
	results) name='--results DIR' ;;
	tmpfs) name='--results DIR on tmpfs' ;;
	csv) name='--results FILE.csv' ;;
	esac
	awk -v name="$name" -v m="$m" -v base="$base" -v n="$N" 'BEGIN {
		if (m == "fail" || base == "fail") { printf "%-24s %10s\n", name, "fail"; exit }
		added = (base > 0) ? (m - base) / base * 100 : 0
		printf "%-24s %10.3f %12.1f %9.1f%%\n", name, m, m / n * 1e6, added }'
done
