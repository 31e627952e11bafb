#!/usr/bin/env bats
# Fast paths and their way back: splice, sendfile, O_TMPFILE and
# F_SETPIPE_SZ each have a plain read/write way that fanout takes when the
# kernel refuses the shortcut, or when FANOUT_NO_FASTPATH names it.

# shellcheck disable=SC2016
load helpers

# traced ARGS...: strace ARGS; LeakSanitizer cannot run under ptrace, so
# a sanitized fanout is told not to try.
traced() {
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 strace "$@"
}

# syscalls NAMES -- CMD...: run CMD under strace and print the count of
# the traced calls that were made, whatever their result.
syscalls() {
	local names=$1
	shift 2
	traced -f -qq -e trace="$names" -o trace "$@" >/dev/null 2>&1
	grep -c -v -e '^[0-9]* +++' -e '^[0-9]* ---' trace || true
}

@test "output appended to a file with >> arrives whole (sendfile refuses O_APPEND)" {
	gnu_same 'echo old >out; parallel -k "seq {} | head -c 100000" ::: 5000 20000 30000 >>out; cksum <out'
}

@test "with every fast path switched off --pipepart gives the same output" {
	seq 200000 >in
	fanout -k --pipepart -a in --block 100k md5sum >fast
	FANOUT_NO_FASTPATH=all fanout -k --pipepart -a in --block 100k md5sum >slow
	[ -s fast ]
	cmp fast slow
}

@test "with every fast path switched off --pipe and grouped output are unchanged" {
	seq 300000 >in
	fanout -k --pipe --block 200k 'cat; seq 3 >&2' <in >fast 2>fast.err
	FANOUT_NO_FASTPATH=all fanout -k --pipe --block 200k 'cat; seq 3 >&2' <in >slow 2>slow.err
	cmp in fast
	cmp fast slow
	cmp fast.err slow.err
}

@test "FANOUT_NO_FASTPATH=splice makes --pipepart copy with read and write" {
	fanout_only
	need_cmd strace
	seq 100000 >in
	[ "$(syscalls splice -- "$FANOUT" --pipepart -a in --block 50k wc -l)" -gt 0 ]
	[ "$(FANOUT_NO_FASTPATH=splice syscalls splice -- "$FANOUT" --pipepart -a in --block 50k wc -l)" -eq 0 ]
	[ "$(FANOUT_NO_FASTPATH=splice "$FANOUT" --pipepart -a in --block 50k wc -l | awk '{ s += $1 } END { print s }')" -eq 100000 ]
}

@test "FANOUT_NO_FASTPATH=sendfile copies held output with read and write" {
	fanout_only
	need_cmd strace
	[ "$(syscalls sendfile -- "$FANOUT" seq ::: 1000 2000)" -gt 0 ]
	[ "$(FANOUT_NO_FASTPATH=sendfile syscalls sendfile -- "$FANOUT" seq ::: 1000 2000)" -eq 0 ]
	[ "$(FANOUT_NO_FASTPATH=sendfile "$FANOUT" -k seq ::: 1000 2000 | cksum)" = "$( (seq 1000; seq 2000) | cksum)" ]
}

@test "FANOUT_NO_FASTPATH=tmpfile holds output in named files that are unlinked at once" {
	fanout_only
	need_cmd strace
	mkdir tmp
	FANOUT_NO_FASTPATH=tmpfile traced -f -qq -e trace=open,openat,unlink -o trace \
		"$FANOUT" --tmpdir tmp -k seq ::: 3 4 >out
	[ "$(cat out)" = "$(seq 3; seq 4)" ]
	! grep -q O_TMPFILE trace
	grep -q 'unlink(.*tmp/fanout' trace
	[ -z "$(ls -A tmp)" ]
}

@test "FANOUT_NO_FASTPATH=pipesz leaves the pipes at their default size" {
	fanout_only
	need_cmd strace
	seq 1000 >in
	syscalls fcntl -- "$FANOUT" --pipe --block 1k cat <in
	grep -q F_SETPIPE_SZ trace
	FANOUT_NO_FASTPATH=pipesz syscalls fcntl -- "$FANOUT" --pipe --block 1k cat <in
	! grep -q F_SETPIPE_SZ trace
}

@test "FANOUT_NO_FASTPATH takes a list and all" {
	fanout_only
	need_cmd strace
	seq 100000 >in
	[ "$(FANOUT_NO_FASTPATH=sendfile,splice syscalls splice,sendfile -- "$FANOUT" --pipepart -a in --block 50k wc -l)" -eq 0 ]
	[ "$(FANOUT_NO_FASTPATH=all syscalls splice,sendfile -- "$FANOUT" --pipepart -a in --block 50k wc -l)" -eq 0 ]
	[ "$(FANOUT_NO_FASTPATH=spliced syscalls splice -- "$FANOUT" --pipepart -a in --block 50k wc -l)" -gt 0 ]
}
