#!/bin/sh
# demo.sh - what `make demo' runs: a few hundred jobs on generated files,
# showing what a user sees of fanout, and the same jobs timed with GNU
# parallel when it is installed.
#
# Usage: tests/bench/demo.sh [FANOUT]    (default ../../src/fanout from here)
#
# Exit status: 0 when fanout's output and exit statuses are as expected,
# 1 when they are not, 2 when the demo cannot run.  Times are only shown,
# never checked.

set -u

here=$(cd "$(dirname "$0")" && pwd) || exit 2
FANOUT=${1:-$(cd "$here/../.." && pwd)/src/fanout}
case $FANOUT in
/*) ;;
*/*) FANOUT=$(pwd)/$FANOUT ;;
*) FANOUT=$(command -v "$FANOUT") || FANOUT=$1 ;;
esac
if [ ! -x "$FANOUT" ] || [ -d "$FANOUT" ]; then
	echo "demo.sh: no fanout binary at $FANOUT (build it first, or pass its path)" >&2
	exit 2
fi
GNU=${DEMO_GNU:-$(command -v parallel || true)}
if [ -z "$GNU" ] || ! "$GNU" --version </dev/null 2>/dev/null | grep -q 'GNU parallel'; then
	GNU=
fi

FILES=300
unset PARALLEL          # no options from the environment
LC_ALL=C                # one glob order for everyone
export LC_ALL

TIMEOUT=
if command -v timeout >/dev/null 2>&1; then TIMEOUT='timeout 120'; fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/fanout-demo.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 141' PIPE
trap 'exit 143' TERM
mkdir "$tmp/data" "$tmp/out" && cd "$tmp/data" || exit 2

if date +%N | grep -q '^[0-9][0-9]*$'; then
	now() { date +%s.%N; }
else
	now() { perl -MTime::HiRes=time -e 'printf "%.6f\n", time' 2>/dev/null || date +%s; }
fi

# The data: $FILES small text files, every 50th with spaces and parentheses
# in its name, of 1 to 40 lines each.
awk -v n="$FILES" 'BEGIN {
	for (i = 1; i <= n; i++) {
		f = sprintf(i % 50 ? "notes-%03d.txt" : "notes %03d (draft).txt", i)
		for (k = 1; k <= i * 7 % 40 + 1; k++)
			printf "note %d, line %d: the quick brown fox\n", i, k > f
		close(f)
	}
}' || exit 2
for f in *.txt; do wc -l "$f"; done >"$tmp/expected.wc"

# jobset TOOL TAG: the four job batches (4 x $FILES jobs); each batch's exit
# status goes to $tmp/out/TAG.N, its stdout and stderr next to it.
jobset() {
	tool=$1 out=$tmp/out/$2
	rm -f ./*.gz
	# shellcheck disable=SC2086 # $TIMEOUT is a command and its argument
	{
		$TIMEOUT "$tool" 'gzip -c {} > {}.gz' ::: *.txt
		echo $? >"$out.1"
		$TIMEOUT "$tool" 'gzip -dc {}.gz | cmp -s - {}' ::: *.txt
		echo $? >"$out.2"
		$TIMEOUT "$tool" -k wc -l ::: *.txt >"$out.wc"
		echo $? >"$out.3"
		printf 'not gzip\n' >notes-007.txt.gz
		printf 'not gzip\n' >'notes 100 (draft).txt.gz'
		printf 'not gzip\n' >notes-257.txt.gz
		$TIMEOUT "$tool" gzip -t ::: *.gz 2>"$out.err"
		echo $? >"$out.4"
	} </dev/null >"$out.stdout" 2>"$out.stderr"
}

bad=0
# check WHAT OK [EXPECTED]: print an indented result line; OK is 0 when
# as expected, else EXPECTED says what was.
check() {
	if [ "$2" -eq 0 ]; then
		printf '     %-56s ok\n' "$1"
	else
		printf '     %-56s FAILED\n' "$1"
		if [ -n "${3-}" ]; then printf '       expected: %s\n' "$3"; fi
		bad=1
	fi
}

set -- ./*' '*.txt
echo "fanout demo: $((FILES * 4)) jobs on $FILES text files in $tmp/data"
echo "($# of them have spaces and parentheses in their names)"
echo

t0=$(now)
jobset "$FANOUT" fanout
t1=$(now)
fo_time=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')

r=$(cat "$tmp/out/fanout.1")
set -- ./*.gz
n=$#
echo "\$ fanout 'gzip -c {} > {}.gz' ::: *.txt"
[ "$r" = 0 ] && [ "$n" -eq "$FILES" ]
check "exit $r, $n archives written" $? "exit 0, $FILES archives"

r=$(cat "$tmp/out/fanout.2")
echo "\$ fanout 'gzip -dc {}.gz | cmp -s - {}' ::: *.txt"
[ "$r" = 0 ]
check "exit $r: every archive unpacks to its file" $? "exit 0"

r=$(cat "$tmp/out/fanout.3")
echo "\$ fanout -k wc -l ::: *.txt"
[ "$r" = 0 ] && cmp -s "$tmp/expected.wc" "$tmp/out/fanout.wc"
check "exit $r, $(wc -l <"$tmp/out/fanout.wc" | tr -d ' ') lines in input order, as a serial loop" $? \
	"exit 0 and exactly what 'for f in *.txt; do wc -l \"\$f\"; done' prints"
sed -n '1,2s/^/       /p' "$tmp/out/fanout.wc"
echo '       ...'

r=$(cat "$tmp/out/fanout.4")
echo "\$ fanout gzip -t ::: *.gz       (3 archives broken on purpose)"
named=0
for f in notes-007.txt.gz 'notes 100 (draft).txt.gz' notes-257.txt.gz; do
	grep -qF "$f" "$tmp/out/fanout.err" && named=$((named + 1))
done
[ "$r" = 3 ]
check "exit $r: the number of failed jobs" $? "exit 3"
[ "$named" = 3 ]
check "gzip's complaints about the $named archives reach stderr" $? \
	"the 3 broken archives named on stderr"
if [ -s "$tmp/out/fanout.stderr" ] || [ -s "$tmp/out/fanout.stdout" ]; then
	echo "     unexpected output from fanout:"
	cat "$tmp/out/fanout.stdout" "$tmp/out/fanout.stderr" | sed -n '1,5s/^/       /p'
	bad=1
fi

echo
if [ -n "$GNU" ]; then
	t0=$(now)
	jobset "$GNU" gnu
	t1=$(now)
	gnu_time=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
	g=
	for i in 1 2 3 4; do g="$g $(cat "$tmp/out/gnu.$i")"; done
	cmp -s "$tmp/expected.wc" "$tmp/out/gnu.wc" && w=same || w=different
	echo "GNU parallel, same commands: exits$g, $w wc -l output"
	awk -v f="$fo_time" -v g="$gnu_time" -v n="$((FILES * 4))" 'BEGIN {
		printf "time, %d jobs: fanout %.2f s, GNU parallel %.2f s", n, f, g
		if (f > 0 && g >= f) printf " (fanout %.1fx faster)", g / f
		else if (g > 0) printf " (fanout %.1fx slower)", f / g
		printf "\n" }'
else
	echo "time, $((FILES * 4)) jobs: fanout $fo_time s (GNU parallel not installed)"
fi

echo
if [ "$bad" = 0 ]; then
	echo "all as expected"
else
	echo "fanout did not behave as expected (see FAILED above)"
fi
exit "$bad"
