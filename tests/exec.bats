#!/usr/bin/env bats
# Running the jobs: the shell, the environment, stdin, shell syntax.

# Snippets are single-quoted on purpose; run/gnu_same set $stderr & co.
# shellcheck disable=SC2016,SC2154
load helpers

# --- which shell ---

@test "jobs run under bash when fanout is started from bash" {
	gnu_same 'parallel "readlink /proc/\$\$/exe; :" ::: x; parallel "echo \${BASH_VERSION:+bash}" ::: y'
	[ "${lines[1]}" = "bash y" ]
}

@test "jobs run under sh when fanout is started from sh" {
	need_cmd sh
	gnu_same 'sh -c "parallel \"readlink /proc/\\\$\\\$/exe; :\" ::: x; :"; sh -c "parallel -k \"echo \\\${BASH_VERSION:-no-bash}\" ::: y; :"'
}

@test "PARALLEL_SHELL chooses the shell for the jobs" {
	need_cmd sh
	gnu_same 'PARALLEL_SHELL=/bin/sh parallel "readlink /proc/\$\$/exe; :" ::: x
	PARALLEL_SHELL=/bin/sh parallel "echo \${BASH_VERSION:-no-bash}" ::: y'
	[ "${lines[1]}" = "no-bash y" ]
}

@test "PARALLEL_SHELL wins over the parent shell" {
	need_cmd sh
	gnu_same 'sh -c "PARALLEL_SHELL=$(command -v bash) parallel \"echo \\\${BASH_VERSION:+bash}\" ::: x; :"'
	[ "$output" = "bash x" ]
}

@test "exported bash functions can be run as commands" {
	gnu_same 'f() { echo "f:$1"; }; export -f f; parallel -k f ::: a "b c"; parallel -k "f {}; f {.}" ::: d.e'
	[ "$output" = "$(printf 'f:a\nf:b c\nf:d.e\nf:d')" ]
}

# --- environment ---

@test "jobs see exported variables and not unexported ones" {
	gnu_same 'export EXPORTED=yes; LOCAL=no; parallel "echo \${EXPORTED}-\${LOCAL:-unset}" ::: x'
	[ "$output" = "yes-unset x" ]
}

@test "PARALLEL_SEQ is the job's sequence number" {
	gnu_same 'parallel -k "echo \$PARALLEL_SEQ {#}" ::: a b c'
	[ "$output" = "$(printf '1 1\n2 2\n3 3')" ]
}

@test "PARALLEL_JOBSLOT is 1 for every job with -j1" {
	gnu_same 'parallel -j1 -k "echo \$PARALLEL_JOBSLOT {%}" ::: a b c'
	[ "$output" = "$(printf '1 1\n1 1\n1 1')" ]
}

@test "PARALLEL_PID is the process id of fanout itself" {
	gnu_same 'parallel -k "echo \$PARALLEL_PID; : {}" ::: a b > pids & p=$!; wait $p
	sort -u pids | while read -r x; do [ "$x" = "$p" ] && echo same || echo "differs: $x"; done'
	[ "$output" = same ]
}

@test "a variable set in one job is not seen by the next" {
	gnu_same 'parallel -j1 -k "echo [\${SEEN:-}] {}; export SEEN=1" ::: a b'
	[ "$output" = "$(printf '[] a\n[] b')" ]
}

@test "jobs run in fanout's working directory and a cd does not carry over" {
	gnu_same 'mkdir -p sub/d; cd sub; parallel -j1 -k "pwd; cd {}; pwd" ::: d /'
}

# --- stdin of the jobs ---

@test "jobs read end of file on stdin when the arguments come from :::" {
	gnu_same 'echo data | parallel "cat; echo done" ::: a'
	[ "$output" = "done a" ]
}

@test "jobs do not eat the input that fanout reads from stdin" {
	gnu_same 'printf "1\n2\n3\n" | parallel -j1 -k "read -r x; echo got:\$x"'
	[ "$output" = "$(printf 'got: 1\ngot: 2\ngot: 3')" ]
}

@test "jobs read end of file on stdin while fanout's own stdin stays open" {
	# The writer keeps the pipe open (for 10 s at most) until fanout is
	# done; a job that inherited the pipe would block in cat until then.
	run bash -c '(i=0; while [ ! -e fin ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done) |
		{ timeout 5 "$FANOUT" "cat; echo done" ::: a; echo "status $?"; touch fin; }'
	[ "$output" = "$(printf 'done a\nstatus 0')" ]
}

# --- shell syntax in the command ---

@test "cd, for loops, pipes and redirections work in a command" {
	gnu_same 'mkdir d; parallel -k "cd d && for i in 1 2; do echo {}\$i; done | tr a-z A-Z > out{}; cat out{}" ::: a b; ls d'
	[ "${lines[0]}" = A1 ]
}

@test "&&, || and ; chain commands as in the shell" {
	gnu_same 'parallel -k "true && echo and-{}; false || echo or-{}; echo semi-{}" ::: x'
	[ "$output" = "$(printf 'and-x\nor-x\nsemi-x')" ]
}

@test "subshells and command substitution work" {
	gnu_same 'parallel -k "(echo sub-{}; exit 2) && echo no || echo yes-{}; echo \$(echo cs-{})" ::: x'
	[ "$output" = "$(printf 'sub-x\nyes-x\ncs-x')" ]
}

@test "here-strings and here-documents work" {
	gnu_same 'parallel -k "tr a-z A-Z <<< {}" ::: hello; parallel "cat <<EOF
{}-doc
EOF" ::: x'
	[ "$output" = "$(printf 'HELLO\nx-doc')" ]
}

@test "a command of several lines runs as a script" {
	gnu_same 'parallel -k "if [ {} = a ]; then
  echo first {}
else
  echo other {}
fi" ::: a b'
	[ "$output" = "$(printf 'first a\nother b')" ]
}

@test "the command may redirect stderr and use arithmetic" {
	gnu_same 'parallel -k "echo \$(( {} * 2 )) 2>&1; echo err >&2" ::: 3 4 2>/dev/null'
	[ "$output" = "$(printf '6\n8')" ]
}

@test "jobs can use files named by their arguments" {
	gnu_same 'echo one > "a file"; echo two > b; parallel -k cat ::: "a file" b'
	[ "$output" = "$(printf 'one\ntwo')" ]
}

# --- failure to run ---

@test "a command that is not found exits 127 in its job" {
	gnu_same 'parallel "no-such-command-xyz {}; echo \$?" ::: a 2>/dev/null'
	[ "$output" = 127 ]
}

@test "a command that is not found counts as a failed job" {
	gnu_same 'parallel no-such-command-xyz ::: a b 2>/dev/null; echo "status $?"; parallel -k "no-such-command-xyz || echo recovered {}" ::: c 2>/dev/null'
	[ "$output" = "$(printf 'status 2\nrecovered c')" ]
}

@test "a command that is not found is reported on stderr by the shell" {
	run --separate-stderr fanout no-such-command-xyz ::: a </dev/null
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[[ $stderr == *no-such-command-xyz* ]]
	[[ $stderr == *"not found"* ]]
}

# --- the terminal: -o, --tty ---

@test "-o gives the jobs the terminal as their input" {
	need_cmd script
	gnu_same 'script -qec "parallel -o \"test -t 0 && echo in-tty; test -t 1 && echo out-tty; echo done\" ::: a" /dev/null </dev/null | tr -d "\r"'
	[[ $output == "in-tty
done a" ]]
}

@test "--tty runs one job at a time, ungrouped, on the terminal" {
	need_cmd script
	gnu_same 'script -qec "parallel --tty \"test -t 0 && echo in-tty; test -t 1 && echo out-tty; echo \\\$PARALLEL_JOBSLOT\" ::: a b" /dev/null </dev/null | tr -d "\r"'
	[[ $output == "in-tty
out-tty
1 a
in-tty
out-tty
1 b" ]]
}

@test "--tty with -j and --group keeps those" {
	need_cmd script
	gnu_same 'script -qec "parallel --tty -j2 --group -k \"test -t 0 && echo in-tty; test -t 1 || echo grouped\" ::: a b" /dev/null </dev/null | tr -d "\r"'
	[[ $output == "in-tty
grouped a
in-tty
grouped b" ]]
}

@test "-o without a terminal gives the jobs /dev/null, as before" {
	gnu_same 'parallel -o "test -t 0 || cat; echo {}" ::: a; echo "rc=$?"'
	[[ $output == "a
rc=0" ]]
}

@test "-p asks on the terminal and runs only the jobs answered with y" {
	fanout_only
	need_cmd script
	run bash -c 'printf "y\nn\n Yes\n" | script -qec "$FANOUT -p -j1 touch ::: a b c; echo rc=\$?" /dev/null | tr -d "\r"'
	[[ $output == *"touch a ?..."* && $output == *"touch b ?..."* && $output == *"touch c ?..."* ]]
	[[ -e a && ! -e b && -e c && $output == *rc=1* ]]
}

@test "-p without a terminal stops before any job with one error line" {
	fanout_only
	run --separate-stderr bash -c 'setsid "$FANOUT" -p touch ran ::: a </dev/null'
	[[ $status == 255 && ! -e ran && $stderr == *--interactive*/dev/tty* ]]
}
