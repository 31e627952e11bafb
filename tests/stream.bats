#!/usr/bin/env bats
# Streaming: fanout reads its input as it comes, in bounded memory.

# Snippets are single-quoted on purpose; run/gnu_same set $stderr & co.
# shellcheck disable=SC2016,SC2154
load helpers

# Lines for the big tests: a million for fanout; GNU parallel (used to
# check the suites themselves) needs some 3 ms a job, so it gets fewer.
big_n() {
	if is_gnu_fanout; then echo 1000; else echo 1000000; fi
}

@test "a million lines of --dry-run come out complete and in order" {
	local n
	n=$(big_n)
	run bash -c "seq $n | \"\$FANOUT\" --dry-run echo {} > out; echo \$?"
	[ "$output" = 0 ]
	[ "$(wc -l <out)" -eq "$n" ]
	[ "$(head -n 1 out)" = "echo 1" ]
	[ "$(tail -n 1 out)" = "echo $n" ]
	[ "$(sed -n 1000p out)" = "echo 1000" ]
}

@test "a million lines of --dry-run match seq exactly" {
	local n
	n=$(big_n)
	run bash -c "seq $n | \"\$FANOUT\" -k --dry-run echo x{}y | cksum"
	[ "$output" = "$(seq "$n" | sed 's/.*/echo x&y/' | cksum)" ]
}

@test "peak memory stays under 8 MiB for a million lines" {
	fanout_only
	not_instrumented
	[ -x /usr/bin/time ] || skip "/usr/bin/time is not installed"
	seq 1000000 >in
	/usr/bin/time -o rss -f %M "$FANOUT" --dry-run echo {} <in >out
	[ "$(wc -l <out)" -eq 1000000 ]
	echo "peak RSS: $(cat rss) KiB"
	[ "$(cat rss)" -lt 8192 ]
}

@test "peak memory stays under 8 MiB while running many real jobs" {
	fanout_only
	not_instrumented
	[ -x /usr/bin/time ] || skip "/usr/bin/time is not installed"
	seq 2000 >in
	/usr/bin/time -o rss -f %M "$FANOUT" -j4 true <in >out
	echo "peak RSS: $(cat rss) KiB"
	[ "$(cat rss)" -lt 8192 ]
}

@test "a job starts before stdin is closed" {
	# The writer sends two lines, then keeps stdin open until the first
	# job's output shows (10 s at most), then sends a third line.
	run bash -c '( echo a; echo b; i=0; until grep -q a out 2>/dev/null || [ $i -ge 100 ]; do sleep 0.1; i=$((i+1)); done
		grep -q a out && echo seen-a-while-open >>log; echo c ) | "$FANOUT" -j1 -k echo >out; echo "status $?"; cat log out'
	[ "$output" = "$(printf 'status 0\nseen-a-while-open\na\nb\nc')" ]
}

@test "the first line is run at once, without waiting for a second line" {
	# GNU parallel reads one argument ahead and so waits for the next line.
	fanout_only
	run bash -c '(echo a; sleep 1; echo b) | "$FANOUT" -j1 echo | { IFS= read -r -t 0.8 first; echo "first: [$first]"; cat; }'
	[ "$output" = "$(printf 'first: [a]\nb')" ]
}

@test "input from a slow writer is processed as it arrives" {
	gnu_same '(for i in 1 2 3 4 5; do echo $i; sleep 0.05; done) | parallel -k echo'
	[ "$output" = "$(seq 5)" ]
}

@test "-0 input from a pipe is streamed the same way" {
	gnu_same 'seq 100 | tr "\n" "\0" | parallel -0 -k echo | md5sum; seq 100 | tr "\n" "\0" | parallel -0 echo | sort -n | md5sum'
	[ "${lines[0]}" = "$(seq 100 | md5sum)" ]
	[ "${lines[1]}" = "$(seq 100 | md5sum)" ]
}
