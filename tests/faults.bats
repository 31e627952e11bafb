#!/usr/bin/env bats
# Faults and load: many jobs, few descriptors, a full --tmpdir, children
# that misbehave, fanout itself signalled or killed, and odd inputs.
# Nothing may be lost, run twice, leaked or left running.  No test asserts
# a duration; waits are bounded polls.

# Snippets are single-quoted on purpose.
# shellcheck disable=SC2016
load helpers

# fd_count PID: the descriptors PID has open.
fd_count() {
	find "/proc/$1/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l
}

# children PID: the child processes of PID, zombies included.
children() {
	ps -o pid= --ppid "$1" 2>/dev/null | wc -l
}

# lines_reach FILE N [TENTHS]: wait until FILE has at least N lines.
lines_reach() {
	local f=$1 want=$2 n=${3:-1200}
	while ((n-- > 0)); do
		[[ -e $f && $(wc -l <"$f") -ge $want ]] && return 0
		sleep 0.1
	done
	echo "$f has $(wc -l <"$f") lines, not $want" >&2
	return 1
}

# no_children PID [TENTHS]: wait until PID has no child left.
no_children() {
	local pid=$1 n=${2:-600}
	while ((n-- > 0)); do
		[[ $(children "$pid") -eq 0 ]] && return 0
		sleep 0.1
	done
	ps -o pid,stat,args --ppid "$pid" >&2
	return 1
}

# expected_mod N: what `expr K % 1000' prints for K in 1..N.
expected_mod() {
	seq "$1" | awk '{ print $1 % 1000 }' | sort -n
}

teardown() {
	if [[ -n ${MOUNTED:-} ]]; then
		umount "$MOUNTED" 2>/dev/null || umount -l "$MOUNTED" 2>/dev/null
	fi
	# Processes a test left behind on purpose (SIGKILL cannot clean up).
	if [[ -s $BATS_TEST_TMPDIR/work/orphans ]]; then
		while read -r p; do kill -9 -- "-$p" "$p" 2>/dev/null; done \
			<"$BATS_TEST_TMPDIR/work/orphans"
	fi
	true
}

# --- load ---

# probe_run MODE N: run N jobs `expr K % 1000' at -j 500 between two
# probes.  Each probe waits (at most a minute) until it is fanout's only
# child, zombies included, and writes how many descriptors fanout holds.
probe_run() {
	cat >probe <<'EOF'
#!/bin/sh
n=0
while [ "$(ps -o pid= --ppid "$PARALLEL_PID" | wc -l)" -gt 1 ]; do
	n=$((n + 1))
	[ "$n" -gt 600 ] && { echo "children left" >"$1"; exit 1; }
	sleep 0.1
done
find "/proc/$PARALLEL_PID/fd" -mindepth 1 -maxdepth 1 | wc -l >"$1"
EOF
	chmod +x probe
	mkfifo in
	# The first probe runs while fanout waits for the next line.
	"$FANOUT" "$1" -j500 {} <in >out 2>err &
	pid=$!
	exec 5>in
	echo "./probe start" >&5
	wait_for start 600
	seq "$2" | sed 's/.*/expr & % 1000/' >&5
	echo "./probe end" >&5
	exec 5>&-
	wait "$pid" || status=$?
	echo "descriptors: $(cat start) at the start, $(cat end) at the end"
	[ "${status:-0}" -eq $(($2 / 1000)) ]
	[ "$(sort -n out)" = "$(expected_mod "$2")" ]
	[ ! -s err ]
}

@test "10,000 jobs at -j 500 all run with the right status and leave no zombie or extra descriptor" {
	fanout_only
	probe_run --group 10000
	# Held output files are pooled, at most two per slot; none leak.
	[ "$(cat end)" -le $(($(cat start) + 2 * 500)) ]
}

@test "with -u fanout holds exactly the descriptors it started with after 3,000 jobs at -j 500" {
	fanout_only
	probe_run -u 3000
	[ "$(cat end)" -eq "$(cat start)" ]
}

@test "ulimit -n 64 with -j 100 runs every job on fewer slots and says so" {
	run -0 bash -c 'ulimit -n 64; seq 300 | "$FANOUT" -j100 "echo {}" 2>err | sort -n'
	[ "$output" = "$(seq 300)" ]
	grep -q "only enough file descriptors to run [0-9]* jobs at once" err
	[ "$(wc -l <err)" -eq 1 ]
}

@test "ulimit -n 64 with -j 100 and --pipe loses no record" {
	seq 300000 >in
	run -0 bash -c 'ulimit -n 64; "$FANOUT" -j100 --pipe --block 20k -k cat <in 2>/dev/null | cksum'
	[ "$output" = "$(cksum <in)" ]
}

@test "a --tmpdir that fills up stops fanout with an error naming the job, and no cut output" {
	fanout_only
	[ "$(id -u)" -eq 0 ] || skip "mounting a small tmpfs needs root"
	mkdir tiny
	mount -t tmpfs -o size=1m tmpfs tiny 2>/dev/null || skip "cannot mount a tmpfs here"
	MOUNTED=$PWD/tiny
	run -255 --separate-stderr "$FANOUT" -j1 --tmpdir tiny 'head -c {} /dev/zero | tr "\0" x' ::: 100 3000000 200
	[[ $stderr == *"output of job 2 "*"is incomplete"*"tiny"* ]]
	# Job 1's 100 bytes only: job 2's partial output is not printed.
	[ "${#output}" -eq 100 ]
	[ -z "$(ls -A tiny)" ]
}

# --- children that misbehave ---

@test "a job killed by a signal counts as failed as in GNU parallel" {
	gnu_same 'parallel -k "echo {}; [ {} = 2 ] && kill -9 \$\$; true" ::: 1 2 3; echo "status $?"'
}

@test "a job that ignores SIGTERM is killed with KILL at --timeout" {
	gnu_same 'parallel --timeout 1 "trap \"\" TERM; echo start; sleep 60; echo never" ::: 1; echo "status $?"'
}

@test "a job that ignores SIGTERM is killed with KILL when fanout gets SIGTERM" {
	fanout_only
	"$FANOUT" 'trap "" TERM; echo $$ >pid; exec sleep 60' ::: 1 >out 2>&1 &
	pid=$!
	wait_for pid
	job=$(cat pid)
	kill -TERM "$pid"
	wait "$pid" || status=$?
	[ "${status:-0}" -eq 255 ]
	gone "$job"
}

@test "jobs that close stdin early under --pipe each take one whole chunk" {
	fanout_only
	seq 1000000 >in
	run -0 "$FANOUT" -k --pipe --block 100k head -1 <in
	early=$output
	run -0 "$FANOUT" -k --pipe --block 100k 'head -1; cat >/dev/null' <in
	[ "$early" = "$output" ]
	[ "$(echo "$output" | wc -l)" -ge 60 ]
}

@test "jobs writing 100 MB each to stderr keep it whole and apart from stdout" {
	run -0 bash -c '"$FANOUT" -j2 "head -c 100000000 /dev/zero >&2; echo {}" ::: a b 2>err | sort'
	[ "$output" = "$(printf 'a\nb')" ]
	[ "$(wc -c <err)" -eq 200000000 ]
}

@test "--halt now kills the grandchildren a job left running" {
	run -1 "$FANOUT" -j2 --halt now,fail=1 '
		if [ {} = 1 ]; then sleep 60 & echo $! >gc; wait; fi
		while [ ! -s gc ]; do sleep 0.1; done; exit 1' ::: 1 2
	[ -s gc ]
	gone "$(cat gc)"
}

@test "--timeout kills the grandchildren of the job that timed out" {
	run -1 "$FANOUT" --timeout 2 'sleep 60 & echo $! >gc{}; wait' ::: ""
	gone "$(cat gc)"
}

@test "a grandchild that outlives its job does not hold fanout up" {
	# The grandchild keeps the job's output file open for a minute.
	fanout_only
	run -0 timeout 30 "$FANOUT" 'echo $$ >orphans; (sleep 60; echo late) & echo done{}' ::: ""
	[ "$output" = done ]
}

# --- fanout signalled ---

@test "SIGINT and SIGTERM stop fanout with 255 and leave no job or grandchild" {
	fanout_only
	for sig in INT TERM; do
		rm -f gc
		"$FANOUT" -j2 'sleep 60 & echo $! >>gc; wait # {}' ::: 1 2 >/dev/null 2>&1 &
		pid=$!
		lines_reach gc 2
		kill -"$sig" "$pid"
		wait "$pid" || status=$?
		[ "${status:-0}" -eq 255 ]
		while read -r g; do gone "$g"; done <gc
		unset status
	done
}

@test "SIGHUP starts no new job and lets the running ones finish" {
	fanout_only
	"$FANOUT" -j1 -k 'echo {}; [ {} = 1 ] && { touch started; while [ ! -e go ]; do sleep 0.1; done; }; true' ::: 1 2 3 >out 2>err &
	pid=$!
	wait_for started
	kill -HUP "$pid"
	sleep 0.5
	touch go
	wait "$pid" || status=$?
	[ "${status:-0}" -eq 0 ]
	[ "$(cat out)" = 1 ]
	grep -q 'SIGHUP received' err
}

@test "stdout closed by head -1 ends fanout and its jobs" {
	run -0 bash -c 'timeout 60 "$FANOUT" -j2 "if [ {} = 1 ]; then seq 1000000; else sleep 60 & echo \$! >gc; wait; fi" ::: 1 2 | head -1; echo "${PIPESTATUS[0]}" >rc'
	[ "$output" = 1 ]
	[ "$(cat rc)" -ne 124 ]
	if [ -s gc ]; then gone "$(cat gc)" 100; fi
}

@test "after SIGKILL --resume runs each unfinished job once and no finished job again" {
	fanout_only
	"$FANOUT" -j1 --joblog log 'echo {} >>ran; [ {} = 4 ] && [ ! -e resumed ] && { echo $$ >orphans; exec sleep 60; }; true' ::: 1 2 3 4 5 6 >/dev/null 2>&1 &
	pid=$!
	lines_reach ran 4
	kill -9 "$pid"
	wait "$pid" || true
	kill -9 "$(cat orphans)" 2>/dev/null || true
	touch resumed
	run -0 "$FANOUT" -j1 --joblog log --resume 'echo {} >>ran; true' ::: 1 2 3 4 5 6
	# 1-3 finished before the kill; 4 started, was cut off and runs again.
	[ "$(sort -n ran | tr '\n' ' ')" = "1 2 3 4 4 5 6 " ]
	[ "$(tail -n +2 log | wc -l)" -eq 6 ]
}

# --- odd inputs ---

@test "a 16 MiB line passes through --pipe whole" {
	gnu_same 'head -c 16777216 /dev/zero | tr "\0" a | parallel --pipe wc -c; echo "status $?"'
}

@test "a 16 MiB argument is a clear error before any job runs, as in GNU parallel" {
	gnu_same 'head -c 16777216 /dev/zero | tr "\0" a | parallel "printf %s {} | wc -c"; echo "status $?"'
	[[ $stderr == *"ommand line too long"* ]]
	[ "${#stderr_lines[@]}" -eq 1 ]
}

@test "NUL bytes in input lines are replaced as in GNU parallel" {
	gnu_same 'printf "a\0b\nc\n" | parallel -k echo | od -c'
}

@test "invalid UTF-8 passes through unchanged" {
	gnu_same 'printf "\xff\xfe\n\xc3\x28\n" | parallel -k echo {} | od -c'
}

@test "CRLF line ends keep the carriage return as in GNU parallel" {
	gnu_same 'printf "a\r\nb\r\n" | parallel -k echo {}. | od -c'
}

@test "a directory as -a file is a clear error and runs nothing" {
	# GNU parallel reads a directory as empty input and exits 0.
	fanout_only
	mkdir d
	run -255 --separate-stderr "$FANOUT" -a d 'echo ran'
	[ -z "$output" ]
	[[ $stderr == *"'d'"*"directory"* ]]
}

@test "a FIFO as -a file is read to its end" {
	gnu_same 'mkfifo f; (seq 3 >f &); parallel -k -a f echo; echo "status $?"'
}

@test "/dev/null as -a file runs no job" {
	gnu_same 'parallel -a /dev/null echo ran; echo "status $?"'
}

@test "a file that grows while it is read gives each whole line once, in order" {
	fanout_only
	seq 3 >grow
	(for i in $(seq 4 3000); do echo "$i" >>grow; done) &
	writer=$!
	run -0 "$FANOUT" -k -a grow echo
	wait "$writer"
	n=${#lines[@]}
	[ "$n" -ge 3 ]
	[ "$output" = "$(seq "$n")" ]
}
