#!/usr/bin/env bats
# Signals sent to fanout: SIGINT and SIGTERM kill the running jobs and
# fanout exits non-zero; SIGHUP starts no new job but waits for the
# running ones.
#
# fanout is started in the background with the default action for these
# signals (a shell without job control would have it ignore SIGINT), its
# output going to files so that bats does not wait for it.

# Snippets are single-quoted on purpose; run/gnu_same set $stderr & co.
# shellcheck disable=SC2016,SC2154
load helpers

setup() {
	fanout_setup
	FPID=
}

teardown() {
	# End what this test started, by process id only.
	local f p
	[[ -n $FPID ]] && kill -KILL "$FPID" 2>/dev/null
	for f in pid*; do
		[[ -f $f ]] || continue
		p=$(<"$f")
		[[ $p =~ ^[0-9]+$ ]] && kill -KILL "$p" 2>/dev/null
	done
	return 0
}

# start_fanout ARG...: start fanout in the background; FPID is its pid.
start_fanout() {
	if env --default-signal=INT true 2>/dev/null; then
		env --default-signal=INT,TERM,HUP,QUIT "$FANOUT" "$@" </dev/null >out 2>err 3>&- &
	else
		need_cmd perl
		perl -e '$SIG{$_} = "DEFAULT" for qw(INT TERM HUP QUIT); exec @ARGV or die' \
			"$FANOUT" "$@" </dev/null >out 2>err 3>&- &
	fi
	FPID=$!
}

# finish: wait for fanout (10 s at most); its exit status is in $status.
finish() {
	local n=100
	while alive "$FPID" && ((n-- > 0)); do sleep 0.1; done
	status=0
	wait "$FPID" || status=$?
	FPID=
}

@test "SIGTERM kills the running jobs and fanout exits non-zero" {
	start_fanout -j2 'echo $$ > pid{}; exec sleep 100' ::: 1 2 3
	wait_for pid1
	wait_for pid2
	sleep 0.2
	kill -TERM "$FPID"
	finish
	[ "$status" -ne 0 ]
	gone "$(<pid1)"
	gone "$(<pid2)"
	[ ! -e pid3 ]
}

@test "SIGINT kills the running jobs and fanout exits non-zero" {
	start_fanout -j2 'echo $$ > pid{}; exec sleep 100' ::: 1 2 3
	wait_for pid1
	wait_for pid2
	sleep 0.2
	kill -INT "$FPID"
	finish
	[ "$status" -ne 0 ]
	gone "$(<pid1)"
	gone "$(<pid2)"
	[ ! -e pid3 ]
}

@test "SIGTERM also kills the children of a job's shell" {
	start_fanout -j2 'sleep 100 & echo $! > pid{}; wait' ::: 1 2
	wait_for pid1
	wait_for pid2
	sleep 0.2
	kill -TERM "$FPID"
	finish
	[ "$status" -ne 0 ]
	gone "$(<pid1)"
	gone "$(<pid2)"
}

@test "SIGINT also kills the children of a job's shell" {
	start_fanout 'sleep 100 & echo $! > pid{}; wait' ::: 1
	wait_for pid1
	sleep 0.2
	kill -INT "$FPID"
	finish
	[ "$status" -ne 0 ]
	gone "$(<pid1)"
}

@test "SIGHUP starts no new job but lets the running ones finish" {
	start_fanout -j2 'echo $$ > pid{}; i=0; while [ ! -e go ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done; echo done{}' ::: 1 2 3 4
	wait_for pid1
	wait_for pid2
	sleep 0.2
	kill -HUP "$FPID"
	sleep 0.5
	alive "$FPID"
	touch go
	finish
	[ "$status" -eq 0 ]
	[ "$(sort out)" = "$(printf 'done1\ndone2')" ]
	[ ! -e pid3 ]
	[ ! -e pid4 ]
}

@test "SIGTERM after SIGHUP kills the jobs that were left to finish" {
	start_fanout -j2 'echo $$ > pid{}; exec sleep 100' ::: 1 2 3
	wait_for pid1
	wait_for pid2
	sleep 0.2
	kill -HUP "$FPID"
	sleep 0.3
	alive "$FPID"
	kill -TERM "$FPID"
	finish
	[ "$status" -ne 0 ]
	gone "$(<pid1)"
	gone "$(<pid2)"
	[ ! -e pid3 ]
}
