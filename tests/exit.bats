#!/usr/bin/env bats
# Exit status: 0 when all jobs succeed, the number of failed jobs up to
# 100, 101 for more, 255 for errors; a job killed by a signal has failed.

# Snippets are single-quoted on purpose; run/gnu_same set $stderr & co.
# shellcheck disable=SC2016,SC2154
load helpers

@test "exit status is 0 when every job succeeds" {
	gnu_same 'parallel true ::: a b c; echo "status $?"'
	[ "$output" = "status 0" ]
}

@test "exit status is 0 when there is no job at all" {
	gnu_same 'parallel false ::: ; echo "status $?"; parallel false < /dev/null; echo "status $?"'
	[ "$output" = "$(printf 'status 0\nstatus 0')" ]
}

@test "exit status is the number of failed jobs" {
	gnu_same 'parallel "exit {}" ::: 0 1 2 0 3; echo "status $?"'
	[ "$output" = "status 3" ]
}

@test "a job's own exit code does not matter, only that it failed" {
	gnu_same 'parallel "exit {}" ::: 255 200 0 1 127; echo "status $?"'
	[ "$output" = "status 4" ]
}

@test "exit status is 1 for a single failed job" {
	run fanout false ::: a </dev/null
	[ "$status" -eq 1 ]
	run fanout 'exit 42' ::: </dev/null
	[ "$status" -eq 0 ]
}

@test "exit status is 100 when exactly 100 jobs fail" {
	gnu_same 'parallel false ::: $(seq 100); echo "status $?"'
	[ "$output" = "status 100" ]
}

@test "exit status is 101 when 101 jobs fail" {
	gnu_same 'parallel false ::: $(seq 101); echo "status $?"'
	[ "$output" = "status 101" ]
}

@test "exit status stays 101 when more than 101 jobs fail" {
	gnu_same 'parallel "[ {} -gt 150 ]" ::: $(seq 160); echo "status $?"'
	[ "$output" = "status 101" ]
}

@test "a job killed by a signal counts as failed" {
	gnu_same 'parallel "kill -9 \$\$" ::: a; echo "status $?"; parallel "kill -TERM \$\$" ::: b c; echo "status $?"'
	[ "$output" = "$(printf 'status 1\nstatus 2')" ]
}

@test "a job killed by SIGINT or SIGPIPE counts as failed" {
	gnu_same 'parallel "kill -INT \$\$; exit 0" ::: a; echo "status $?"; parallel "kill -PIPE \$\$" ::: b; echo "status $?"'
}

@test "failures are counted the same with -k, -u and -j1" {
	gnu_same 'for o in -k -u -j1 "-k -j3"; do parallel $o "exit {}" ::: 1 0 2 0 >/dev/null; echo "$o: $?"; done'
	[ "${lines[0]}" = "-k: 2" ]
}

@test "failed jobs still print their output" {
	gnu_same 'parallel -k "echo {}; exit {}" ::: 0 1 2; echo "status $?"'
	[ "$output" = "$(printf '0\n1\n2\nstatus 2')" ]
}

@test "--dry-run exits 0 even for commands that would fail" {
	gnu_same 'parallel --dry-run false ::: a b; echo "status $?"'
	[ "$output" = "$(printf 'false a\nfalse b\nstatus 0')" ]
}

@test "an error before any job exits 255" {
	run --separate-stderr fanout --no-such-option true ::: a </dev/null
	[ "$status" -eq 255 ]
	run --separate-stderr fanout true :::: /nonexistent/file </dev/null
	[ "$status" -eq 255 ]
}
