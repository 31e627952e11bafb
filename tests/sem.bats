#!/usr/bin/env bats
# Semaphore mode (sem, --semaphore) and its options; options taken from
# ~/.parallel/config, profiles (-J, --profile), $PARALLEL and --plain; and
# --shuf, --process-slot-var, --nice, --files and --env.
#
# `sem' is a symbolic link named sem to the binary under test, in a
# directory on PATH. Processes that outlive a command (sem without --fg,
# or one started with &) write their output to files and have fd 3
# closed, so that bats does not wait for them; jobs that wait for a file
# give up after 20 s, so that nothing lingers for long if a test fails.

# Snippets are single-quoted on purpose; run/gnu_same set $stderr & co.
# shellcheck disable=SC2016,SC2154
load helpers

setup() {
	fanout_setup
	ln -s "$FANOUT" "$BATS_TEST_TMPDIR/bin/sem"
	SEMDIR=$HOME/.parallel/semaphores
	# WAITGO: job text that waits (20 s at most) until the file go exists.
	WAITGO='n=0; while [ ! -e go ] && [ $n -lt 200 ]; do sleep 0.1; n=$((n+1)); done'
}

teardown() {
	# End what this test started, by process id only.
	local f p
	touch go 2>/dev/null
	for f in pid.*; do
		[[ -f $f ]] || continue
		while read -r p; do
			[[ $p =~ ^[0-9]+$ ]] && kill -KILL "$p" 2>/dev/null
		done <"$f"
	done
	return 0
}

# wait_holder ID [TENTHS]: wait until someone holds a place of semaphore
# ID, i.e. a PID@HOST link exists in its directory (default 10 s at most).
wait_holder() {
	local d=$SEMDIR/id-$1 n=${2:-100} f
	while ((n-- > 0)); do
		for f in "$d"/*@*; do
			[[ -e $f ]] && return 0
		done
		sleep 0.1
	done
	echo "timed out waiting for a holder of semaphore $1" >&2
	return 1
}

# no_file PATH [TENTHS]: wait until PATH does not exist (default 10 s at
# most). `sem --wait' returns once it has a place, before the place it took
# is given back, so the semaphore's directory goes a moment later.
no_file() {
	local f=$1 n=${2:-100}
	while ((n-- > 0)); do
		[[ -e $f ]] || return 0
		sleep 0.1
	done
	echo "$f still exists" >&2
	return 1
}

# gnu_sem_path: a `sem' that is GNU parallel, in $BATS_TEST_TMPDIR/gnubin.
gnu_sem_path() {
	need_gnu
	mkdir -p "$BATS_TEST_TMPDIR/gnubin"
	ln -sf "$GNU" "$BATS_TEST_TMPDIR/gnubin/sem"
	GNU_SEM=$BATS_TEST_TMPDIR/gnubin/sem
}

# max_running LOG: the largest number of jobs inside at once, from a log
# of "+" (a job enters) and "-" (a job leaves) lines.
max_running() {
	awk '$0 == "+" { c++; if (c > m) m = c } $0 == "-" { c-- } END { print m + 0 }' "$1"
}

# --- semaphore mode: running the command ---

@test "sem runs the command once, with no arguments, and --fg prints its output" {
	run --separate-stderr timeout 20 sem --fg --id one 'echo ran $#; echo x >> count'
	[ "$status" -eq 0 ]
	[ "$output" = "ran 0" ]
	[ "$(wc -l <count)" -eq 1 ]
}

@test "fanout --semaphore works like sem" {
	run --separate-stderr timeout 20 "$FANOUT" --semaphore --fg --id one 'echo ran $#; exit 4'
	[ "$status" -eq 4 ]
	[ "$output" = "ran 0" ]
}

@test "sem --fg exits with the status of the command" {
	run timeout 20 sem --fg --id x 'exit 3'
	[ "$status" -eq 3 ]
	run timeout 20 sem --fg --id x true
	[ "$status" -eq 0 ]
}

@test "sem --fg exits with 128 plus the signal when SIGKILL kills the command" {
	run timeout 20 sem --fg --id x 'kill -KILL $$'
	[ "$status" -eq 137 ]
}

@test "sem --fg, its exit status and its output are as with GNU's sem" {
	# What the background job wrote goes to stderr, which is not compared
	# with GNU: GNU's sem hands its slot from parent to child after the
	# parent has exited, so under load its sem --wait can return before
	# the job has run.  fanout's is checked here and by the next test.
	gnu_same 'sem --fg --id x "exit 3"; echo "st=$?"
sem --fg "echo args \$#; echo to-stderr >&2"; echo "st=$?"
sem --fg --id x "kill -TERM \$\$"; echo "st=$?"
sem --id bg "echo from the background >bgout"; echo "st=$?"
sem --wait --id bg; echo "st=$?"
cat bgout >&2'
	[ "$output" = "$(printf 'st=3\nargs 0\nst=0\nst=143\nst=0\nst=0')" ]
	[ "${stderr_lines[-1]}" = "from the background" ]
}

@test "sem --wait run right after a background sem always waits for its job" {
	# The background sem returns only once the slot is its child's, so
	# the --wait cannot take the exited parent's slot for a dead holder's.
	local i
	for i in $(seq 30); do
		sem --id bg "sleep 0.1; echo job $i >bgout" >/dev/null 2>&1 3>&-
		sem --wait --id bg
		[ "$(cat bgout)" = "job $i" ]
		rm bgout
	done
}

@test "sem -v, --dry-run and --joblog show the command as GNU's sem does" {
	gnu_same 'sem --fg --id v -v "echo x{}y"; sem --fg --id v -v echo a b
		sem --fg --id v --dry-run "echo {} {.}"; echo "st=$?"
		sem --fg --id v --joblog log "echo x; exit 4"; echo "st=$?"; cut -f1,7,9 log
		sem --fg --id v --dry-run "touch ran"; echo "st=$?"; sem --fg --id v -j1 echo "$(ls)" | od -c'
}

@test "sem without --fg returns 0 at once while the command runs in the background" {
	timeout 20 sem --id bg "$WAITGO; touch done.bg" >out 2>err 3>&-
	# The job is still waiting for go, which does not exist yet.
	[ ! -e done.bg ]
	wait_holder bg
	touch go
	run timeout 20 sem --wait --id bg
	[ "$status" -eq 0 ]
	[ -e done.bg ]
}

@test "sem --wait blocks until every holder of the semaphore is done" {
	timeout 20 sem -j2 --id w "$WAITGO; touch done1" >out1 2>&1 3>&-
	timeout 20 sem -j2 --id w "$WAITGO; touch done2" >out2 2>&1 3>&-
	{
		timeout 20 sem --wait --id w
		if [ -e done1 ] && [ -e done2 ]; then echo after >waited; else echo before >waited; fi
	} >waitout 2>&1 3>&- &
	echo $! >>pid.bg
	sleep 0.5
	touch go
	wait_for waited 200
	[ "$(<waited)" = after ]
}

@test "sem --wait returns 0 at once when nobody holds the semaphore" {
	run timeout 20 sem --wait --id nobody
	[ "$status" -eq 0 ]
}

# --- places ---

@test "sem has one place by default: a second command waits for the first" {
	timeout 20 sem --id one "$WAITGO; touch first-done" >out1 2>&1 3>&-
	wait_holder one
	timeout 20 sem --id one 'if [ -e first-done ]; then echo after; else echo before; fi >second' \
		>out2 2>&1 3>&- &
	echo $! >>pid.bg
	sleep 0.5
	touch go
	wait_for second 200
	timeout 20 sem --wait --id one
	[ "$(<second)" = after ]
}

@test "sem -j 3 lets three commands hold the semaphore at once" {
	local i
	for i in 1 2 3; do
		# Each job enters, then waits until all three have entered.
		timeout 20 sem -j3 --id three \
			"touch in$i; n=0; while [ ! -e in1 ] || [ ! -e in2 ] || [ ! -e in3 ]; do [ \$n -lt 200 ] || exit 1; sleep 0.1; n=\$((n+1)); done; touch ok$i" \
			>out$i 2>&1 3>&-
	done
	run timeout 30 sem --wait --id three
	[ "$status" -eq 0 ]
	[ -e ok1 ] && [ -e ok2 ] && [ -e ok3 ]
}

@test "with -j 2 no more than two of several concurrent sem callers run at once" {
	local i pids=()
	for i in 1 2 3 4 5 6; do
		timeout 30 sem -j2 --fg --id c 'echo + >>log; sleep 0.3; echo - >>log' \
			>out$i 2>&1 3>&- &
		pids+=($!)
		echo $! >>pid.bg
	done
	for i in "${pids[@]}"; do
		wait "$i"
	done
	[ "$(grep -c '^+$' log)" -eq 6 ]
	[ "$(grep -c '^-$' log)" -eq 6 ]
	[ "$(max_running log)" -le 2 ]
}

@test "with -j 2 no more than two background sem commands run at once, and all run" {
	local i
	for i in 1 2 3 4 5; do
		timeout 30 sem -j2 --id c "echo + >>log; sleep 0.2; echo $i >>ran; echo - >>log" \
			>out$i 2>&1 3>&-
	done
	timeout 30 sem --wait --id c
	[ "$(sort -n ran | tr '\n' ' ')" = "1 2 3 4 5 " ]
	[ "$(max_running log)" -le 2 ]
}

@test "a holder killed with SIGKILL does not keep its place" {
	sem --fg --id k 'echo $$ > pid.job; exec sleep 100' >out 2>err 3>&- &
	local fpid=$!
	echo "$fpid" >>pid.bg
	wait_for pid.job
	wait_holder k
	kill -KILL "$fpid" "$(<pid.job)"
	gone "$fpid"
	gone "$(<pid.job)"
	wait "$fpid" 2>/dev/null || true
	run timeout 20 sem --fg --id k -j1 'echo got it'
	[ "$status" -eq 0 ]
	[ "$output" = "got it" ]
}

@test "callers waiting on a holder killed with SIGKILL all get their turn, one at a time" {
	sem --fg --id w 'echo $$ > pid.job; exec sleep 100' >out 2>err 3>&- &
	local fpid=$! i pids=()
	echo "$fpid" >>pid.bg
	wait_for pid.job
	wait_holder w
	for i in 1 2 3; do
		timeout 30 sem --fg --id w 'echo + >>log; sleep 0.2; echo - >>log' \
			>out$i 2>&1 3>&- &
		pids+=($!)
		echo $! >>pid.bg
	done
	# Give the callers time to start waiting; none may run yet.
	sleep 1
	[ ! -e log ]
	kill -KILL "$fpid" "$(<pid.job)"
	wait "$fpid" 2>/dev/null || true
	for i in "${pids[@]}"; do
		wait "$i"
	done
	[ "$(grep -c '^+$' log)" -eq 3 ]
	[ "$(max_running log)" -eq 1 ]
}

# --- --semaphore-timeout (--st) ---

@test "sem --st 1 steals the place after about a second, with a warning" {
	timeout 20 sem --id s "$WAITGO" >out 2>&1 3>&-
	wait_holder s
	local t0=$EPOCHREALTIME
	run --separate-stderr timeout 20 sem --id s --st 1 --fg 'touch stolen; echo job ran'
	local t1=$EPOCHREALTIME
	[ "$status" -eq 0 ]
	[ "$output" = "job ran" ]
	[ -e stolen ]
	[[ $stderr == *"Semaphore timed out. Stealing the semaphore."* ]]
	# It waited for the timeout first (a lower bound only).
	awk -v a="$t0" -v b="$t1" 'BEGIN { exit !(b - a >= 0.9) }'
	touch go
	timeout 20 sem --wait --id s
}

@test "sem --st -1 gives up after about a second and exits 1 without running the command" {
	timeout 20 sem --id s "$WAITGO" >out 2>&1 3>&-
	wait_holder s
	run --separate-stderr timeout 20 sem --id s --st -1 --fg 'touch ran'
	[ "$status" -eq 1 ]
	[ ! -e ran ]
	[[ $stderr == *"Semaphore timed out. Exiting."* ]]
	touch go
	timeout 20 sem --wait --id s
}

@test "sem with ::: input is an error" {
	fanout_only
	run --separate-stderr timeout 20 sem --fg --id x echo ::: a
	[ "$status" -eq 255 ]
	[ -n "$stderr" ]
}

# --- where the semaphore lives ---

@test "a held semaphore is a directory id-NAME in ~/.parallel/semaphores, removed after the last release" {
	timeout 20 sem -j2 --id place "$WAITGO" >out1 2>&1 3>&-
	timeout 20 sem -j2 --id place "$WAITGO" >out2 2>&1 3>&-
	[ -d "$SEMDIR/id-place" ]
	[ -e "$SEMDIR/id-place/id-place" ]
	wait_holder place
	# Two holders: the id file has itself plus one link per holder.
	[ "$(find "$SEMDIR/id-place" -name '*@*' | wc -l)" -eq 2 ]
	[ "$(stat -c %h "$SEMDIR/id-place/id-place")" -eq 3 ]
	touch go
	timeout 20 sem --wait --id place
	no_file "$SEMDIR/id-place"
}

@test "characters other than letters, digits, - and _ in --id are hex-encoded in the name" {
	timeout 20 sem --id 'a b/c' "$WAITGO" >out 2>&1 3>&-
	[ -d "$SEMDIR/id-a20b2fc" ]
	touch go
	timeout 20 sem --wait --id 'a b/c'
	no_file "$SEMDIR/id-a20b2fc"
}

@test "the semaphores are kept in \$PARALLEL_HOME when that is set" {
	mkdir ph
	PARALLEL_HOME=$PWD/ph timeout 20 sem --id ph "$WAITGO" >out 2>&1 3>&-
	[ -d ph/semaphores/id-ph ]
	[ ! -e "$SEMDIR/id-ph" ]
	touch go
	PARALLEL_HOME=$PWD/ph timeout 20 sem --wait --id ph
	no_file ph/semaphores/id-ph
}

# --- sharing a semaphore with GNU's sem ---

@test "a place held by GNU's sem makes fanout's sem wait until GNU's command is done" {
	gnu_sem_path
	"$GNU_SEM" --id shared --fg 'sleep 2; echo gnu >>order' >gnuout 2>&1 3>&- &
	echo $! >>pid.bg
	local gpid=$!
	wait_holder shared 200
	run timeout 20 sem --id shared -j1 --fg 'touch fanout-ran; echo fanout >>order'
	[ "$status" -eq 0 ]
	[ -e fanout-ran ]
	wait "$gpid"
	[ "$(tr '\n' ' ' <order)" = "gnu fanout " ]
}

@test "a place held by fanout's sem makes GNU's sem wait until fanout's command is done" {
	gnu_sem_path
	timeout 20 sem --id shared "$WAITGO; echo fanout >>order" >out 2>&1 3>&-
	wait_holder shared
	"$GNU_SEM" --id shared -j1 --fg 'echo gnu >>order' >gnuout 2>&1 3>&- &
	echo $! >>pid.bg
	local gpid=$!
	sleep 0.5
	touch go
	run timeout 20 "$GNU_SEM" --wait --id shared
	wait "$gpid"
	[ "$(tr '\n' ' ' <order)" = "fanout gnu " ]
}

# --- options from ~/.parallel/config, profiles and $PARALLEL ---

@test "options in ~/.parallel/config apply as GNU's do" {
	gnu_same 'echo -k --tag > ~/.parallel/config
parallel echo ::: a b c'
	[ "${lines[0]}" = "a	a" ]
}

@test "comment lines in ~/.parallel/config are skipped as GNU does" {
	gnu_same 'printf "# a comment\n   # an indented comment\n-k\n--tag\n" > ~/.parallel/config
parallel echo ::: a b c'
}

@test "quoted words in ~/.parallel/config stay one word as in GNU" {
	gnu_same 'echo "-k --tagstring \"x  y\"" > ~/.parallel/config
parallel echo ::: a b'
	[ "${lines[0]}" = "x  y	a" ]
}

@test "~/.parallelrc is read as GNU reads it" {
	gnu_same 'echo "-k --tag" > ~/.parallelrc
parallel echo ::: a b'
}

@test "quoted words in \$PARALLEL stay one word as in GNU" {
	gnu_same 'PARALLEL='\''-k "--tagstring=x y"'\'' parallel echo ::: a b'
	[ "${lines[0]}" = "x y	a" ]
}

@test "\$PARALLEL overrides the config file and the command line overrides both, as in GNU" {
	gnu_same 'echo --tagstring=conf > ~/.parallel/config
parallel -k echo ::: a
PARALLEL=--tagstring=env parallel -k echo ::: b
PARALLEL=--tagstring=env parallel -k --tagstring=cmd echo ::: c'
}

@test "-J NAME reads ~/.parallel/NAME instead of the config file, as in GNU" {
	gnu_same 'echo --tag > ~/.parallel/config
echo -k > ~/.parallel/p
parallel -J p echo ::: a b
parallel --profile p echo ::: c d
parallel -k echo ::: e'
}

@test "several -J profiles add up as in GNU" {
	gnu_same 'echo -k > ~/.parallel/a
echo --tag > ~/.parallel/b
parallel -J a -J b echo ::: x y z'
}

@test "a profile given as a path is read from there as in GNU" {
	gnu_same 'echo "-k --tag" > ./myprof
parallel -J ./myprof echo ::: x y
echo "-k --tagstring=abs" > "$PWD/abs"
parallel --profile "$PWD/abs" echo ::: z'
}

@test "a missing profile is silently ignored, as in GNU" {
	gnu_same --stderr 'parallel -k -J nosuchprofile echo ::: a b; echo "st=$?"
parallel -k -J ./nosuch echo ::: c; echo "st=$?"'
	[ "$output" = "$(printf 'a\nb\nst=0\nc\nst=0')" ]
}

@test "non-option words in a profile become a prefix of the command, as in GNU" {
	gnu_same 'echo "-k echo pre" > ~/.parallel/p
parallel -J p {} ::: a b
echo "-k nice -n 5" > ~/.parallel/nice5
parallel -J nice5 sh -c "\"nice\"" ::: a b'
	[ "${lines[0]}" = "pre a" ]
}

@test "non-option words in \$PARALLEL become a prefix of the command, as in GNU" {
	gnu_same 'PARALLEL="-k echo pre" parallel echo ::: x y'
}

@test "the config file is read from \$PARALLEL_HOME when that is set, as in GNU" {
	gnu_same 'mkdir ph; echo "-k --tag" > ph/config
PARALLEL_HOME=$PWD/ph parallel echo ::: x y'
}

@test "--plain ignores the config file, profiles and \$PARALLEL, as in GNU" {
	gnu_same 'echo --tag > ~/.parallel/config
echo "-k echo pre" > ~/.parallel/p
parallel --plain -k echo ::: a b
parallel --plain -k -J p echo ::: c
PARALLEL="--tag echo pre" parallel --plain -k echo ::: d'
	[ "$output" = "$(printf 'a\nb\nc\nd')" ]
}

# --- --shuf ---

@test "--shuf runs every job exactly once, numbering them 1..n in the order they run" {
	run --separate-stderr fanout -j1 --shuf 'echo {#} {}' ::: $(seq 30)
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 30 ]
	# {#} counts up in the order of the output (which -j1 makes the run order).
	[ "$(cut -d' ' -f1 <<<"$output" | tr '\n' ' ')" = "$(seq 30 | tr '\n' ' ')" ]
	# Every argument ran once.
	[ "$(cut -d' ' -f2 <<<"$output" | sort -n | tr '\n' ' ')" = "$(seq 30 | tr '\n' ' ')" ]
	# The order is shuffled (30 jobs in input order: chance 1 in 30!).
	[ "$(cut -d' ' -f2 <<<"$output" | tr '\n' ' ')" != "$(seq 30 | tr '\n' ' ')" ]
}

@test "--shuf with -k prints in the order of {#}" {
	run --separate-stderr fanout -k -j4 --shuf 'echo {#} {}' ::: $(seq 20)
	[ "$status" -eq 0 ]
	[ "$(cut -d' ' -f1 <<<"$output" | tr '\n' ' ')" = "$(seq 20 | tr '\n' ' ')" ]
	[ "$(cut -d' ' -f2 <<<"$output" | sort -n | tr '\n' ' ')" = "$(seq 20 | tr '\n' ' ')" ]
}

@test "--shuf gives the same set of outputs as GNU" {
	gnu_same 'parallel --shuf echo ::: $(seq 25) | sort -n
parallel --shuf echo {1}{2} ::: a b c ::: 1 2 | sort
seq 10 | parallel --shuf -j2 "echo in{}" | sort'
}

# --- --process-slot-var and $PARALLEL_JOBSLOT0 ---

@test "jobs get \$PARALLEL_JOBSLOT0, the slot number less one, as in GNU" {
	gnu_same 'parallel -j1 -k "echo {} \$PARALLEL_JOBSLOT0 \$PARALLEL_JOBSLOT" ::: a b c'
	[ "$output" = "$(printf 'a 0 1\nb 0 1\nc 0 1')" ]
}

@test "--process-slot-var NAME sets NAME instead of \$PARALLEL_JOBSLOT0, as in GNU" {
	gnu_same 'parallel -j1 -k --process-slot-var MYSLOT "echo {} \$MYSLOT \${PARALLEL_JOBSLOT0-unset}" ::: a b'
	[ "$output" = "$(printf 'a 0 unset\nb 0 unset')" ]
}

@test "--process-slot-var gives jobs that run together different values from 0 up" {
	# Each job writes its value, then waits until all three have started.
	run --separate-stderr fanout -j3 --process-slot-var S \
		'echo $S > v{}; n=0; while [ $(ls v* | wc -l) -lt 3 ] && [ $n -lt 200 ]; do sleep 0.1; n=$((n+1)); done' \
		::: 1 2 3
	[ "$status" -eq 0 ]
	[ "$(cat v1 v2 v3 | sort -n | tr '\n' ' ')" = "0 1 2 " ]
}

# --- --nice ---

@test "--nice 5 runs the job at niceness 5, 5 more than an un-niced caller's" {
	[ "$(nice)" -eq 0 ] || skip "the tests run niced; see the test of a niced caller"
	run --separate-stderr fanout --nice 5 'echo $(nice) {}' ::: a
	[ "$status" -eq 0 ]
	[ "$output" = "5 a" ]
	run --separate-stderr timeout 20 sem --fg --nice 5 nice
	[ "$status" -eq 0 ]
	[ "$output" = "5" ]
}

@test "--nice gives the same niceness as GNU" {
	gnu_same 'parallel --nice 5 "echo \$(nice) {}" ::: a
parallel -k --nice 5 --pipe "nice; cat" <<<hello'
}

@test "--nice sets the niceness itself, as GNU does, when the caller is already niced" {
	# GNU runs setpriority(0, 0, 5): under nice -n 3 the job runs at 5, not 8.
	gnu_same 'nice -n 3 parallel --nice 5 "echo \$(nice) {}" ::: a'
}

# --- --files ---

@test "--files prints names of files in --tmpdir that hold each job's output" {
	mkdir td
	run --separate-stderr fanout -k --files --tmpdir td 'echo out{}' ::: a b c
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 3 ]
	local i
	for i in 0 1 2; do
		[[ ${lines[i]} == td/* ]]
		[ -f "${lines[i]}" ]
	done
	[ "$(cat "${lines[0]}")" = outa ]
	[ "$(cat "${lines[1]}")" = outb ]
	[ "$(cat "${lines[2]}")" = outc ]
	[ "$(find td -type f | wc -l)" -eq 3 ]
}

@test "--files prints and fills the files as GNU does, apart from their random names" {
	gnu_same 'mkdir td
parallel -k --files --tmpdir td "echo out{}; echo two{}" ::: a b c > names
sed "s/par[A-Za-z0-9_]*\.par\$/NAME/" names
while read -r f; do cat "$f"; done < names
parallel -k --files "printf %s {}" ::: x > names2
sed "s|^$TMPDIR/par[A-Za-z0-9_]*\.par\$|TMPDIR/NAME|" names2
cat "$(cat names2)"; echo'
	[ "${lines[0]}" = "td/NAME" ]
}

# --- --env ---

@test "--env NAME is accepted and the job sees the variable, as in GNU" {
	gnu_same 'FOO=bar parallel --env FOO "echo \$FOO {}" ::: a
export BAR=baz
parallel -k --env BAR --env FOO "echo \${BAR}{}" ::: x y'
}
