#!/bin/sh
# run.sh - time fanout beside the posix_spawn floor, xargs and GNU parallel.
#
# Usage: tests/bench/run.sh [FANOUT]       (`make bench' runs it on src/fanout)
#
# FANOUT defaults to ../../src/fanout relative to this script.  The script
# only prints figures; it never decides pass or fail (see doc/benchmarks.md
# for the targets).  Every figure is the median of BENCH_RUNS runs.
#
# Environment:
#   BENCH_RUNS      runs per figure, median reported             (default 3)
#   BENCH_JOBS      jobs in the dispatch and shell-path rows     (default 5000)
#   BENCH_LINES     input lines of the fanout dry-run row        (default 1000000)
#   BENCH_GNU_LINES input lines of GNU parallel's dry run; its time less
#                   its start-up is scaled linearly to BENCH_LINES (default 1000)
#   BENCH_XARGS     arguments packed by -X in the -X row        (default 200000)
#   BENCH_GNU       GNU parallel to compare with    (default: parallel in PATH)
#   BENCH_TIMEOUT   seconds before one run is killed, if timeout(1) exists
#                   (default 300)
#   CC              C compiler for the spawnfloor program        (default cc)

# The benchmark commands are sh -c strings in single quotes on purpose: they
# expand the exported variables when they run.
# shellcheck disable=SC2016

set -u

here=$(cd "$(dirname "$0")" && pwd) || exit 2

FANOUT=${1:-$(cd "$here/../.." && pwd)/src/fanout}
case $FANOUT in
/*) ;;
*/*) FANOUT=$(pwd)/$FANOUT ;;
*) FANOUT=$(command -v "$FANOUT") || FANOUT=$1 ;;
esac
RUNS=${BENCH_RUNS:-3}
N=${BENCH_JOBS:-5000}
LINES=${BENCH_LINES:-1000000}
GLINES=${BENCH_GNU_LINES:-1000}
XARGS=${BENCH_XARGS:-200000}
STARTS=50       # fanout start-ups averaged per run
GSTARTS=5       # GNU parallel start-ups averaged per run

for v in "$RUNS" "$N" "$LINES" "$GLINES" "$XARGS"; do
	case $v in
	'' | *[!0-9]* | 0) echo "run.sh: bad count: '$v'" >&2; exit 2 ;;
	esac
done
if [ ! -x "$FANOUT" ] || [ -d "$FANOUT" ]; then
	echo "run.sh: no fanout binary at $FANOUT (build it first, or pass its path)" >&2
	exit 2
fi

# GNU parallel, if there is one (moreutils also ships a `parallel').
GNU=${BENCH_GNU:-$(command -v parallel || true)}
if [ -n "$GNU" ] && "$GNU" --version </dev/null 2>/dev/null | grep -q 'GNU parallel'; then
	gnu_version=$("$GNU" --version </dev/null 2>/dev/null | sed -n 1p)
else
	GNU=
	gnu_version='not installed: its column shows -'
fi

# Options from the environment would make the runs incomparable.
unset PARALLEL

TIMEOUT=
if command -v timeout >/dev/null 2>&1; then
	TIMEOUT="timeout ${BENCH_TIMEOUT:-300}"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/fanout-bench.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 141' PIPE
trap 'exit 143' TERM

if ! ${CC:-cc} -O2 -o "$tmp/spawnfloor" "$here/spawnfloor.c"; then
	echo "run.sh: cannot compile spawnfloor.c with ${CC:-cc}" >&2
	exit 2
fi
FLOOR=$tmp/spawnfloor
printf 'a\n' >"$tmp/a"
export FANOUT GNU FLOOR N LINES GLINES STARTS GSTARTS XARGS

# now: wall-clock seconds with sub-second precision.
if date +%N | grep -q '^[0-9][0-9]*$'; then
	now() { date +%s.%N; }
elif command -v perl >/dev/null 2>&1; then
	now() { perl -MTime::HiRes=time -e 'printf "%.6f\n", time'; }
else
	echo "run.sh: need date +%N (GNU date) or perl for sub-second timing" >&2
	exit 2
fi

progress() {
	if [ -t 2 ]; then printf '  %s\n' "$*" >&2; fi
}

# time1 KEY LABEL PER CMD: run the sh command CMD once in $tmp and append
# (elapsed seconds / PER) to $tmp/t.KEY, or "fail" when it failed; a KEY
# that failed once is not run again.
time1() {
	key=$1 label=$2 per=$3 cmd=$4
	if grep -q fail "$tmp/t.$key" 2>/dev/null; then return; fi
	progress "round $round/$RUNS: $label"
	t0=$(now)
	# shellcheck disable=SC2086 # $TIMEOUT is a command and its argument
	if (cd "$tmp" && $TIMEOUT sh -c "$cmd") >/dev/null 2>"$tmp/err"; then
		t1=$(now)
		awk -v a="$t0" -v b="$t1" -v p="$per" \
			'BEGIN { printf "%.6f\n", (b - a) / p }' >>"$tmp/t.$key"
	else
		{
			echo "run.sh: $label failed:"
			printf '  $ %s\n' "$cmd"
			sed -n '1,5s/^/  /p' "$tmp/err"
		} >&2
		echo fail >>"$tmp/t.$key"
	fi
}

# gnu_time1: time1 for GNU parallel; nothing when it is not installed.
gnu_time1() {
	if [ -n "$GNU" ]; then time1 "$@"; fi
}

# median KEY: the median of $tmp/t.KEY, "fail", or "-" when never run.
median() {
	if [ ! -s "$tmp/t.$1" ]; then
		echo -
	elif grep -q fail "$tmp/t.$1"; then
		echo fail
	else
		sort -n "$tmp/t.$1" | awk '{ v[NR] = $1 }
		END { m = int((NR + 1) / 2)
		      printf "%.6f\n", (NR % 2) ? v[m] : (v[m] + v[m + 1]) / 2 }'
	fi
}

# row NAME FLOOR XARGS GNU FANOUT: one line of the table.
row() {
	awk -v name="$1" -v fl="$2" -v xa="$3" -v gn="$4" -v fo="$5" '
	function num(x) { return x ~ /^[0-9.]+$/ }
	function cell(x) { return num(x) ? sprintf("%9.4f", x) : sprintf("%9s", x) }
	function ratio(a, b) {
		return (num(a) && num(b) && b > 0) ? sprintf("%8.2fx", a / b) \
		                                    : sprintf("%9s", "-")
	}
	BEGIN {
		printf "%-12s %s %s %s %s %s %s %s\n", name, cell(fl), cell(xa),
		    cell(gn), cell(fo), ratio(fo, fl), ratio(fo, xa), ratio(gn, fo)
	}'
}

# peak_rss CMD...: peak resident set size of CMD in KiB, stdin from
# $tmp/lines, stdout discarded.  $rss_how says how it is measured.
if [ -x /usr/bin/time ] && /usr/bin/time -f %M -o "$tmp/rss" true 2>/dev/null; then
	rss_how='/usr/bin/time -f %M'
elif [ -r /proc/self/status ]; then
	rss_how='VmHWM polled from /proc'
else
	rss_how='no /usr/bin/time and no /proc'
fi
peak_rss() {
	case $rss_how in
	/usr/bin/time*)
		if /usr/bin/time -f %M -o "$tmp/rss" "$@" <"$tmp/lines" >/dev/null 2>"$tmp/err"; then
			tail -n 1 "$tmp/rss"
		else
			echo fail
		fi
		;;
	VmHWM*)
		# Poll VmHWM (the kernel's own high-water mark) until the
		# process exits (a zombie has no VmHWM line); growth after
		# the last poll is missed.
		"$@" <"$tmp/lines" >/dev/null 2>"$tmp/err" &
		pid=$!
		hwm=
		while h=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status" 2>/dev/null) &&
		    [ -n "$h" ]; do
			hwm=$h
			sleep 0.01 2>/dev/null || sleep 1
		done
		if wait "$pid"; then echo "${hwm:--}"; else echo fail; fi
		;;
	*) echo - ;;
	esac
}

start=$(now)
fanout_version=$("$FANOUT" --version </dev/null 2>/dev/null | sed -n 1p)
cpus=$(getconf _NPROCESSORS_ONLN 2>/dev/null || nproc 2>/dev/null || echo '?')
model=$(sed -n 's/^model name[^:]*: *//p' /proc/cpuinfo 2>/dev/null | sed -n 1p)

echo "fanout benchmarks, $(date '+%Y-%m-%d %H:%M'), $(uname -sm), $cpus CPUs${model:+ ($model)}"
echo "fanout:       $FANOUT (${fanout_version:-no --version})"
echo "GNU parallel: ${GNU:+$GNU }($gnu_version)"
load0=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')
echo "seconds, median of $RUNS runs; load average before: $load0"
echo
progress "running $RUNS rounds; a full run takes 1.5 to 3 minutes"

# The runs go in rounds, each command once a round, so that a burst of
# load from elsewhere slows every column of a round rather than one column.
round=1
while [ "$round" -le "$RUNS" ]; do
	# dispatch: $N trivial jobs, 2 in flight.  Every runner starts
	# `true N', one argument a job, so the floor starts `true 1': with
	# an argument coreutils' true sets up its locale to look for --help,
	# which is most of the time of a job on some machines.
	time1 d_fl "dispatch: floor" 1 '"$FLOOR" "$N" 2 /bin/true 1'
	time1 d_xa "dispatch: xargs" 1 'seq "$N" | xargs -P2 -n1 true'
	gnu_time1 d_gn "dispatch: GNU parallel" 1 'seq "$N" | "$GNU" -j2 true'
	time1 d_fo "dispatch: fanout" 1 'seq "$N" | "$FANOUT" -j2 true'

	# shell path: the same through sh -c.
	time1 s_fl "shell path: floor" 1 '"$FLOOR" "$N" 2 /bin/sh -c "true 1; true"'
	time1 s_xa "shell path: xargs" 1 'seq "$N" | xargs -P2 -I{} sh -c "true {}; true"'
	gnu_time1 s_gn "shell path: GNU parallel" 1 'seq "$N" | "$GNU" -j2 "true {}; true"'
	time1 s_fo "shell path: fanout" 1 'seq "$N" | "$FANOUT" -j2 "true {}; true"'

	# start-up: one job, start to exit, averaged over a loop.
	time1 u_fl "start-up: floor" "$STARTS" \
		'i=0; while [ $i -lt "$STARTS" ]; do "$FLOOR" 1 1 /bin/echo a || exit; i=$((i+1)); done'
	time1 u_xa "start-up: xargs" "$STARTS" \
		'i=0; while [ $i -lt "$STARTS" ]; do xargs echo <a || exit; i=$((i+1)); done'
	gnu_time1 u_gn "start-up: GNU parallel" "$GSTARTS" \
		'i=0; while [ $i -lt "$GSTARTS" ]; do "$GNU" echo ::: a || exit; i=$((i+1)); done'
	time1 u_fo "start-up: fanout" "$STARTS" \
		'i=0; while [ $i -lt "$STARTS" ]; do "$FANOUT" echo ::: a || exit; i=$((i+1)); done'

	# dry-run throughput: read, replace and print, no jobs run.  GNU
	# parallel (about 3 ms a line) runs on $GLINES lines only.
	gnu_time1 r_gn "dry-run: GNU parallel ($GLINES lines)" 1 \
		'seq "$GLINES" | "$GNU" --dry-run echo {} {.}'
	time1 r_fo "dry-run: fanout" 1 'seq "$LINES" | "$FANOUT" --dry-run echo {} {.}'

	# -X: $XARGS arguments packed into as few echo jobs as fit.
	time1 x_xa "-X: xargs" 1 'seq "$XARGS" | xargs -P2 echo'
	gnu_time1 x_gn "-X: GNU parallel" 1 'seq "$XARGS" | "$GNU" -j2 -X echo'
	time1 x_fo "-X: fanout" 1 'seq "$XARGS" | "$FANOUT" -j2 -X echo'
	round=$((round + 1))
done

d_fl=$(median d_fl) d_xa=$(median d_xa) d_gn=$(median d_gn) d_fo=$(median d_fo)
s_fl=$(median s_fl) s_xa=$(median s_xa) s_gn=$(median s_gn) s_fo=$(median s_fo)
u_fl=$(median u_fl) u_xa=$(median u_xa) u_gn=$(median u_gn) u_fo=$(median u_fo)
r_gn=$(median r_gn) r_fo=$(median r_fo)
x_xa=$(median x_xa) x_gn=$(median x_gn) x_fo=$(median x_fo)
# GNU parallel's dry run: its start-up time plus the rest scaled linearly
# from $GLINES to $LINES lines.
case $r_gn in
*[0-9])
	r_gn=$(awk -v t="$r_gn" -v u="$u_gn" -v g="$GLINES" -v l="$LINES" 'BEGIN {
		if (u !~ /^[0-9.]+$/ || u > t) u = 0
		printf "%.6f\n", u + (t - u) * l / g }')
	;;
esac

progress "dry-run: fanout peak RSS"
seq "$LINES" >"$tmp/lines"
rss=$(peak_rss "$FANOUT" --dry-run echo '{}' '{.}')
rm -f "$tmp/lines"

printf '%-12s %9s %9s %9s %9s %9s %9s %9s\n' benchmark floor xargs GNU fanout \
	fo/floor fo/xargs GNU/fo
row dispatch "$d_fl" "$d_xa" "$d_gn" "$d_fo"
row "shell path" "$s_fl" "$s_xa" "$s_gn" "$s_fo"
row start-up "$u_fl" "$u_xa" "$u_gn" "$u_fo"
row dry-run - - "$r_gn" "$r_fo"
row -X - "$x_xa" "$x_gn" "$x_fo"
echo
echo "dispatch    $N jobs, 2 in flight: floor = spawnfloor (posix_spawn /bin/true 1),"
echo "            xargs -P2 -n1 true, parallel/fanout -j2 true"
echo "shell path  $N jobs through sh -c 'true {}; true' (floor spawns /bin/sh directly)"
echo "start-up    one run of 'fanout echo ::: a', mean of $STARTS (GNU: of $GSTARTS);"
echo "            floor = spawnfloor 1 1 /bin/echo a, xargs = xargs echo <file"
if [ -n "$GNU" ]; then
	echo "dry-run     seq $LINES | --dry-run echo {} {.}; GNU parallel ran on $GLINES lines:"
	awk -v g="$GLINES" -v l="$LINES" 'BEGIN {
		printf "            its start-up + the rest scaled linearly (x%g)\n", l / g }'
else
	echo "dry-run     seq $LINES | --dry-run echo {} {.}"
fi
echo "-X          seq $XARGS | -j2 -X echo (xargs: xargs -P2 echo, which packs"
echo "            to its own limit)"
if [ "$u_fo" != fail ]; then
	awk -v s="$u_fo" 'BEGIN { printf "fanout start-up: %.2f ms\n", s * 1000 }'
fi
case $rss in
*[0-9]) echo "fanout peak RSS, dry-run of $LINES lines: $rss KiB ($rss_how)" ;;
*) echo "fanout peak RSS, dry-run of $LINES lines: $rss ($rss_how)" ;;
esac
load1=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')
awk -v a="$start" -v b="$(now)" -v l="$load1" 'BEGIN {
	printf "total time: %.0f s; load average after: %s\n", b - a, l }'
