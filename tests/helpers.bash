# shellcheck shell=bash
# helpers.bash: shared set-up for fanout's bats suites (`load helpers').
#
# FANOUT      the binary under test (absolute path; the harness exports it)
# fanout      runs "$FANOUT" "$@"
# gnu_same    differential check of a bash snippet against GNU parallel
# need_cmd    skip the test unless a command is installed
# need_gnu    skip the test unless GNU parallel is installed

bats_require_minimum_version 1.5.0

FANOUT=${FANOUT:-$BATS_TEST_DIRNAME/../src/fanout}
case $FANOUT in
/*) ;;
*) FANOUT=$PWD/$FANOUT ;;
esac
export FANOUT

# GNU parallel, the reference. GNU_PARALLEL may point elsewhere; otherwise
# /usr/bin/parallel, else whatever `parallel' is on PATH, provided that it
# is GNU's Perl script and not fanout installed under that name.
gnu_parallel_path() {
	local p
	for p in "${GNU_PARALLEL:-}" /usr/bin/parallel "$(command -v parallel 2>/dev/null)"; do
		[[ -n $p && -x $p && -f $p ]] || continue
		[[ $(head -c 2 "$p" 2>/dev/null) == '#!' ]] || continue
		grep -q 'GNU parallel' "$p" 2>/dev/null || continue
		printf '%s\n' "$p"
		return 0
	done
	return 1
}

fanout() {
	"$FANOUT" "$@"
}

# True when the binary under test is GNU parallel itself (the suites are
# validated that way before fanout exists).
is_gnu_fanout() {
	[[ $(head -c 2 "$FANOUT" 2>/dev/null) == '#!' ]] &&
		grep -q 'GNU parallel' "$FANOUT" 2>/dev/null
}

# Skip a test of fanout's own behaviour (text, limits) where it differs
# from GNU parallel on purpose, when the binary under test is GNU's.
fanout_only() {
	if is_gnu_fanout; then
		skip "checks fanout's own behaviour; FANOUT is GNU parallel"
	fi
}

# Skip a test that measures fanout's own memory when the binary under test
# is instrumented (ASan, valgrind): their bookkeeping is what it would see.
# CI sets FANOUT_INSTRUMENTED for those runs.
not_instrumented() {
	if [[ -n ${FANOUT_INSTRUMENTED:-} ]] || grep -qa __asan_init "$FANOUT" 2>/dev/null; then
		skip "memory figures mean nothing under ${FANOUT_INSTRUMENTED:-ASan}"
	fi
}

need_cmd() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || skip "$c not installed"
	done
}

need_gnu() {
	GNU=$(gnu_parallel_path) || skip "GNU parallel not installed"
}

# Remove every PARALLEL* variable that could leak in from the caller (a
# test run started from inside GNU parallel sets PARALLEL_SEQ and friends).
clean_parallel_env() {
	local v
	for v in $(compgen -e); do
		case $v in
		PARALLEL | PARALLEL_*) unset "$v" ;;
		esac
	done
}

# make_showargs DIR: write DIR/showargs, which prints its argument count
# and each argument in brackets on one line: `showargs "a b" c' prints
# 2:[a b][c]
make_showargs() {
	mkdir -p "$1"
	cat >"$1/showargs" <<'EOF'
#!/bin/sh
printf '%d:' "$#"
for a in "$@"; do printf '[%s]' "$a"; done
printf '\n'
EOF
	chmod +x "$1/showargs"
}

# gnu_home_template GNU: a HOME in which GNU parallel has already run once,
# made once per bats run. GNU's first run in a fresh HOME spends 0.3 s
# measuring the CPUs into ~/.parallel/tmp; copying this HOME saves that.
gnu_home_template() {
	local t=$BATS_RUN_TMPDIR/gnu-home n
	if [[ ! -d $t ]]; then
		n=$t.$$.new
		mkdir -p "$n/.parallel"
		: >"$n/.parallel/will-cite"
		HOME=$n "$1" true ::: 1 </dev/null >/dev/null 2>&1 || true
		mv "$n" "$t" 2>/dev/null || rm -rf "$n"
	fi
	printf '%s\n' "$t"
}

fanout_setup() {
	clean_parallel_env
	[[ -x $FANOUT ]] || {
		echo "FANOUT=$FANOUT is not an executable file (build src/fanout first)" >&2
		return 1
	}
	export HOME=$BATS_TEST_TMPDIR/home
	mkdir -p "$HOME/.parallel" "$BATS_TEST_TMPDIR/work"
	if is_gnu_fanout; then
		cp -a "$(gnu_home_template "$FANOUT")/.parallel/." "$HOME/.parallel/"
	fi
	: >"$HOME/.parallel/will-cite"
	make_showargs "$BATS_TEST_TMPDIR/bin"
	PATH=$BATS_TEST_TMPDIR/bin:$PATH
	cd "$BATS_TEST_TMPDIR/work" || return 1
	# Tests give fanout its input explicitly; nothing reads the terminal.
	exec </dev/null
}

setup() {
	fanout_setup
}

# Print a file for a failure report: at most 3000 bytes, with the
# temporary directory replaced by <TMP>.
_gs_show() {
	local f=$1 n
	n=$(wc -c <"$f")
	head -c 3000 "$f" | sed "s|$_GS_BASE|<TMP>|g"
	[[ $n -le 3000 ]] || printf '\n... (%d bytes in all)\n' "$n"
}

# gnu_same [--stderr] 'SNIPPET'
#
# Runs SNIPPET with `bash -c' twice, stdin from /dev/null, under a 60 s
# timeout, each time in a fresh directory of the same path (so paths that
# the jobs print agree), with a fresh HOME (holding .parallel/will-cite
# and GNU's CPU cache) and TMPDIR: first with `parallel' and `sem' on PATH
# being GNU parallel, then being $FANOUT. `showargs' (see make_showargs)
# is on PATH too. Compares stdout and exit status (and stderr, with
# --stderr). On a difference prints both runs and fails. Afterwards $output, $lines and
# $status hold fanout's stdout and exit status, $stderr and $stderr_lines
# its stderr, and $gnu_output, $gnu_status, $gnu_stderr GNU's.
# shellcheck disable=SC2034 # it sets results for the caller, as `run' does
gnu_same() {
	local cmp_err=0
	if [[ ${1:-} == --stderr ]]; then
		cmp_err=1
		shift
	fi
	local snippet=$1
	need_gnu
	local base=$BATS_TEST_TMPDIR/gs
	local res=$BATS_TEST_TMPDIR/gs-results
	_GS_BASE=$base
	rm -rf "$res" "$base" "$base.gnu" "$base.fanout"
	mkdir -p "$res"
	local which target rc tmpl
	tmpl=$(gnu_home_template "$GNU")
	for which in gnu fanout; do
		if [[ $which == gnu ]]; then target=$GNU; else target=$FANOUT; fi
		mkdir -p "$base/bin" "$base/home/.parallel" "$base/tmp" "$base/work"
		cp -a "$tmpl/.parallel/." "$base/home/.parallel/"
		: >"$base/home/.parallel/will-cite"
		ln -s "$target" "$base/bin/parallel"
		ln -s "$target" "$base/bin/sem"
		make_showargs "$base/bin"
		rc=0
		(
			cd "$base/work" || exit 1
			HOME=$base/home TMPDIR=$base/tmp PATH=$base/bin:$PATH \
				exec timeout -k 5 60 bash -c "$snippet" \
				</dev/null >"$res/$which.out" 2>"$res/$which.err"
		) || rc=$?
		echo "$rc" >"$res/$which.rc"
		mv "$base" "$base.$which"
	done

	sed -i "s|$base\.gnu|$base|g; s|$base\.fanout|$base|g" "$res/gnu.err" "$res/fanout.err"
	gnu_status=$(<"$res/gnu.rc")
	status=$(<"$res/fanout.rc")
	gnu_output=$(<"$res/gnu.out")
	output=$(<"$res/fanout.out")
	gnu_stderr=$(<"$res/gnu.err")
	stderr=$(<"$res/fanout.err")
	mapfile -t lines <"$res/fanout.out"
	mapfile -t stderr_lines <"$res/fanout.err"

	local same=1
	cmp -s "$res/gnu.out" "$res/fanout.out" || same=0
	[[ $gnu_status == "$status" ]] || same=0
	if ((cmp_err)); then
		cmp -s "$res/gnu.err" "$res/fanout.err" || same=0
	fi
	((same)) && return 0

	{
		echo "gnu_same: fanout differs from GNU parallel"
		echo "snippet: $snippet"
		echo "=== GNU parallel: exit status $gnu_status; stdout:"
		_gs_show "$res/gnu.out"
		echo "=== fanout: exit status $status; stdout:"
		_gs_show "$res/fanout.out"
		if ((cmp_err)) || [[ $gnu_status != "$status" ]]; then
			echo "=== GNU parallel stderr:"
			_gs_show "$res/gnu.err"
			echo "=== fanout stderr:"
			_gs_show "$res/fanout.err"
		fi
		if ! cmp -s "$res/gnu.out" "$res/fanout.out"; then
			echo "=== diff of stdout (cat -A; - GNU, + fanout):"
			diff -u <(head -c 20000 "$res/gnu.out" | cat -A) \
				<(head -c 20000 "$res/fanout.out" | cat -A) | sed 1,2d | head -40
		fi
	} >&2
	return 1
}

# wait_for FILE [TENTHS]: wait until FILE exists (default at most 10 s).
wait_for() {
	local f=$1 n=${2:-100}
	while ((n-- > 0)); do
		[[ -e $f ]] && return 0
		sleep 0.1
	done
	echo "timed out waiting for $f" >&2
	return 1
}

# alive PID: true while PID exists and is not a zombie (an orphan whose
# reaper is slow or absent, as with some container init processes).
alive() {
	local pid=$1 st
	kill -0 "$pid" 2>/dev/null || return 1
	st=$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null) || return 0
	[[ ${st%% *} != Z ]]
}

# gone PID [TENTHS]: wait until PID no longer runs (default at most 5 s).
gone() {
	local pid=$1 n=${2:-50}
	while ((n-- > 0)); do
		alive "$pid" || return 0
		sleep 0.1
	done
	echo "process $pid is still alive" >&2
	return 1
}
