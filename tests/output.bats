#!/usr/bin/env bats
# Output: --group (default), -u/--ungroup, -k/--keep-order, big output,
# stdout and stderr kept apart.

# Snippets are single-quoted on purpose; run/gnu_same set $stderr & co.
# shellcheck disable=SC2016,SC2154
load helpers

# grouped FILE: true when the lines of FILE ("<job> <n>") of each job are
# all next to each other.
grouped() {
	awk '{ if ($1 != prev) { if (seen[$1]++) bad = 1; prev = $1 } }
		END { exit bad }' "$1"
}

# --- --group ---

@test "output of each job is never mixed with another's (group is the default)" {
	run bash -c '"$FANOUT" -j4 "for i in 1 2 3 4 5; do echo {} \$i; sleep 0.02; done" ::: a b c d e f >out'
	[ "$status" -eq 0 ]
	[ "$(wc -l <out)" -eq 30 ]
	grouped out
}

@test "--group keeps the output of each job together" {
	run bash -c '"$FANOUT" --group -j4 "for i in 1 2 3; do echo {} \$i; sleep 0.02; done" ::: a b c d >out'
	[ "$status" -eq 0 ]
	[ "$(wc -l <out)" -eq 12 ]
	grouped out
}

@test "stderr of each job is grouped too" {
	run bash -c '"$FANOUT" -j4 "for i in 1 2 3; do echo {} \$i >&2; sleep 0.02; done" ::: a b c d 2>err'
	[ "$status" -eq 0 ]
	[ "$(wc -l <err)" -eq 12 ]
	grouped err
}

@test "with --group a job's output appears only when the job has finished" {
	# Job A prints a line, then waits for job B; B looks for A's line in the
	# output for 1 s, says whether it saw it, and lets A go on.
	run bash -c '"$FANOUT" -j2 ::: "echo A1; i=0; while [ ! -e flag ] && [ \$i -lt 100 ]; do sleep 0.1; i=\$((i+1)); done; echo A2" \
		"i=0; until grep -q A1 out 2>/dev/null || [ \$i -ge 10 ]; do sleep 0.1; i=\$((i+1)); done; grep -q A1 out && echo seen || echo unseen; touch flag" >out'
	[ "$status" -eq 0 ]
	[ "$(cat out)" = "$(printf 'unseen\nA1\nA2')" ]
}

# --- --ungroup ---

@test "with -u a job's output shows while the job is still running" {
	# Job A prints a line and waits (10 s at most) until job B has seen it
	# in the output; that can only happen if the output is not held back.
	run bash -c '"$FANOUT" -u -j2 ::: "echo A1; i=0; while [ ! -e flag ] && [ \$i -lt 100 ]; do sleep 0.1; i=\$((i+1)); done; echo A2" \
		"i=0; until grep -q A1 out || [ \$i -ge 100 ]; do sleep 0.1; i=\$((i+1)); done; grep -q A1 out && echo seen; touch flag" >out'
	[ "$status" -eq 0 ]
	[ "$(cat out)" = "$(printf 'A1\nseen\nA2')" ]
}

@test "--ungroup is the long form of -u" {
	run bash -c '"$FANOUT" --ungroup -j2 ::: "echo A1; i=0; while [ ! -e flag ] && [ \$i -lt 100 ]; do sleep 0.1; i=\$((i+1)); done; echo A2" \
		"i=0; until grep -q A1 out || [ \$i -ge 100 ]; do sleep 0.1; i=\$((i+1)); done; grep -q A1 out && echo seen; touch flag" >out'
	[ "$status" -eq 0 ]
	[ "$(cat out)" = "$(printf 'A1\nseen\nA2')" ]
}

@test "-u passes all the output of every job" {
	gnu_same 'parallel -u -j3 "echo {}; echo e{} >&2" ::: a b c d 2>err | sort; sort err'
	[ "$output" = "$(printf 'a\nb\nc\nd\nea\neb\nec\ned')" ]
}

# --- --keep-order ---

@test "-k prints output in input order even when later jobs finish first" {
	gnu_same 'parallel -k "sleep {}; echo {}" ::: 0.3 0.1 0.2'
	[ "$output" = "$(printf '0.3\n0.1\n0.2')" ]
}

@test "--keep-order is the long form of -k" {
	gnu_same 'parallel --keep-order -j3 "sleep 0.{}; echo {}" ::: 3 1 2'
	[ "$output" = "$(printf '3\n1\n2')" ]
}

@test "-k keeps input order for many jobs of mixed length" {
	gnu_same 'parallel -k -j4 "sleep 0.0\$(( {} * 7 % 5 )); echo {}; echo err{} >&2" ::: $(seq 40) 2>/dev/null'
	[ "$output" = "$(seq 40)" ]
}

@test "-k keeps the stderr of the jobs in input order too" {
	gnu_same --stderr 'parallel -k -j3 "sleep 0.{}; echo err{} >&2" ::: 3 1 2'
	[ "$stderr" = "$(printf 'err3\nerr1\nerr2')" ]
}

@test "without -k a job's output is printed as soon as it finishes" {
	# The first job waits (10 s at most) until the second job's output
	# is in the output file.
	run bash -c '"$FANOUT" -j2 ::: "i=0; until grep -q second out || [ \$i -ge 100 ]; do sleep 0.1; i=\$((i+1)); done; echo first" \
		"echo second" >out; echo "status $?"; cat out'
	[ "$output" = "$(printf 'status 0\nsecond\nfirst')" ]
}

@test "with -k a job that finished early waits for the jobs before it" {
	# The first job waits (10 s at most) until the second one has finished.
	run bash -c '"$FANOUT" -k -j2 ::: "i=0; while [ ! -e flag ] && [ \$i -lt 100 ]; do sleep 0.1; i=\$((i+1)); done; echo first" \
		"echo second; touch flag"'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'first\nsecond')" ]
}

# --- big and odd output ---

@test "50 MB of output from one job arrives intact" {
	run bash -c '"$FANOUT" "seq {}" ::: 7000000 | cksum'
	[ "$status" -eq 0 ]
	[ "$output" = "$(seq 7000000 | cksum)" ]
}

@test "big outputs of several jobs stay whole and in order with -k" {
	run bash -c '"$FANOUT" -k -j3 "seq {}" ::: 3000000 10 2000000 5 | cksum'
	[ "$status" -eq 0 ]
	[ "$output" = "$( (seq 3000000; seq 10; seq 2000000; seq 5) | cksum)" ]
}

@test "big output matches GNU byte for byte" {
	gnu_same 'parallel -j2 "seq {} | sed s/^/{}:/" ::: 1000000 1500000 | sort | cksum; parallel "seq 1000000 >&2" ::: 1 2>&1 >/dev/null | cksum'
}

@test "stdout and stderr are kept apart" {
	gnu_same 'parallel -k "echo out{}; echo err{} >&2" ::: a b >o 2>e; cat o; echo --; cat e'
	[ "$output" = "$(printf 'outa\noutb\n--\nerra\nerrb')" ]
}

@test "output without a final newline is passed as it is" {
	gnu_same 'parallel -k printf {} ::: a b c; echo; parallel -k "printf \"{}\n{}\"" ::: x y'
	[ "${lines[0]}" = abc ]
}

@test "binary output passes through unchanged" {
	gnu_same 'parallel -k "printf \"\\000\\001\\377\\r\\n{}\"" ::: a b | od -c'
}

@test "a job with no output adds nothing" {
	gnu_same 'parallel -k "[ {} = b ] && echo {}" ::: a b c; echo "status $?"'
	[ "$output" = "$(printf 'b\nstatus 2')" ]
}

@test "--dry-run tags and colours each command line as --tag and --ctag do" {
	gnu_same 'parallel -k --dry-run --tag echo ::: a "b c"
		parallel -k --dry-run --tagstring "{#}" echo ::: a
		parallel -k --dry-run --ctag echo ::: a b | od -c
		parallel -k --dry-run --color echo ::: a b | od -c'
	[ "${lines[0]}" = "$(printf 'a\techo a')" ]
}

@test "-v and --dry-run tag every line of a command that spans lines" {
	gnu_same 'printf "a\nb\0" | parallel -0 --dry-run --tag echo | od -c
		printf "a\nb\0" | parallel -0 -v --tag echo | od -c
		printf "a\nb\0" | parallel -0 -v --ctag echo | od -c'
}

@test "--files with --tag tags each file name, without colour" {
	gnu_same 'parallel -k --files --tag echo ::: a b | sed "s/par.*/P/"
		parallel -k --files --ctag echo ::: a | sed "s/par.*/P/" | od -c
		parallel -k --files --results r --tagstring "<{}>" echo ::: a b'
	[[ ${lines[0]} == $'a\t'*/P ]]
}

@test "standard output that cannot be written stops fanout with status 255" {
	[[ -w /dev/full ]] || skip "no /dev/full"
	run -255 bash -c '"$FANOUT" -k echo ::: a 2>&1 >/dev/full'
	[[ $output == *"standard output"* ]]
}
