#!/usr/bin/env bats
# Option parsing: spellings, informational options, and bad input.

# Snippets are single-quoted on purpose; run/gnu_same set $stderr & co.
# shellcheck disable=SC2016,SC2154
load helpers

# --- informational options (fanout's text differs from GNU's on purpose) ---

@test "--version exits 0 and names fanout" {
	fanout_only
	run --separate-stderr fanout --version </dev/null
	[ "$status" -eq 0 ]
	[[ $output == *fanout* ]]
}

@test "--help exits 0 and lists the options" {
	fanout_only
	run --separate-stderr fanout --help </dev/null
	[ "$status" -eq 0 ]
	local opt
	for opt in --jobs --keep-order --ungroup --dry-run --arg-file --null \
		--delimiter --link --quote --verbose --version --help; do
		[[ $output == *"$opt"* ]] || {
			echo "--help does not mention $opt" >&2
			return 1
		}
	done
}

@test "-h is the short form of --help" {
	fanout_only
	run --separate-stderr fanout -h </dev/null
	[ "$status" -eq 0 ]
	local long=$output
	run --separate-stderr fanout --help </dev/null
	[ "$output" = "$long" ]
}

@test "--citation exits 0 and runs no job" {
	fanout_only
	run --separate-stderr fanout --citation </dev/null
	[ "$status" -eq 0 ]
	[ -n "$output$stderr" ]
}

@test "--will-cite runs the jobs and prints no notice even without the will-cite file" {
	rm -f "$HOME/.parallel/will-cite"
	run --separate-stderr fanout --will-cite echo ::: a </dev/null
	[ "$status" -eq 0 ]
	[ "$output" = a ]
	[ -z "$stderr" ]
}

@test "--no-notice is accepted like --will-cite" {
	rm -f "$HOME/.parallel/will-cite"
	run --separate-stderr fanout --no-notice echo ::: a </dev/null
	[ "$status" -eq 0 ]
	[ "$output" = a ]
	[ -z "$stderr" ]
}

@test "--will-cite and --no-notice run jobs as GNU does" {
	gnu_same 'parallel --will-cite -k echo ::: a b; parallel --no-notice echo ::: c; echo $?'
	[ "$output" = "$(printf 'a\nb\nc\n0')" ]
}

# --- spellings ---

@test "-j takes its value attached, separate or after = in every spelling" {
	gnu_same 'for o in -j1 "-j 1" "--jobs 1" --jobs=1 "-P 1" -P1 "--max-procs 1" --max-procs=1; do
		parallel $o -k echo "$o" ::: a b || echo "failed: $o"
	done'
	[ "${#lines[@]}" -eq 16 ]
}

@test "short options can be bundled, as in -kj1" {
	gnu_same 'parallel -kj1 echo ::: a b c; parallel -kq printf "%s|\n" ::: "x y"'
	[ "$output" = "$(printf 'a\nb\nc\nx y|')" ]
}

@test "options after the command are the command's own arguments" {
	gnu_same 'parallel -k echo -k -j 5 ::: a b'
	[ "$output" = "$(printf -- '-k -j 5 a\n-k -j 5 b')" ]
}

@test "-- ends fanout's options" {
	gnu_same 'parallel -k -- echo ::: a b; parallel -k -j1 -- echo -- ::: c'
	[ "$output" = "$(printf 'a\nb\n-- c')" ]
}

@test "--keep-order and --jobs are the long forms of -k and -j" {
	gnu_same 'parallel --keep-order --jobs 3 "sleep 0.\$((3-{})); echo {}" ::: 1 2 3'
	[ "$output" = "$(printf '1\n2\n3')" ]
}

@test "--group is accepted and is the default" {
	gnu_same 'parallel --group -k echo ::: a b; parallel -k --group "echo {}; echo {}" ::: c d'
}

# --- --dry-run, -v, -t ---

@test "--dry-run prints the commands and runs none of them" {
	gnu_same 'parallel -k --dry-run touch {} ::: made1 made2; ls'
	[ "$output" = "$(printf 'touch made1\ntouch made2')" ]
}

@test "--dry-run prints commands read from stdin with several sources" {
	gnu_same 'printf "x\ny\n" > f; parallel -k --dry-run "echo {2} {1}" :::: f ::: 1 2'
}

@test "-v prints each command on stdout before its output" {
	gnu_same 'parallel -k -v echo ::: a "b c"'
	[ "$output" = "$(printf "echo a\na\necho 'b c'\nb c")" ]
}

@test "-t prints each command on stderr and not on stdout" {
	gnu_same --stderr 'parallel -j1 -k -t echo ::: a "b c"'
	[ "$output" = "$(printf 'a\nb c')" ]
	[ "$stderr" = "$(printf "echo a\necho 'b c'")" ]
}

@test "-t with --dry-run prints each command on stdout and on stderr" {
	gnu_same --stderr 'parallel -k -t --dry-run echo ::: a "b c"'
	[ "$output" = "$(printf "echo a\necho 'b c'")" ]
	[ "$stderr" = "$output" ]
}

@test "--verbose is the long form of -t" {
	gnu_same --stderr 'parallel -j1 -k --verbose echo ::: a b'
	[ "$stderr" = "$(printf 'echo a\necho b')" ]
}

@test "--tmpdir DIR is accepted and left empty afterwards" {
	mkdir mytmp
	run --separate-stderr fanout --tmpdir mytmp -k 'echo {}; echo e{} >&2' ::: a b </dev/null
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'a\nb')" ]
	[ "$stderr" = "$(printf 'ea\neb')" ]
	[ -z "$(ls -A mytmp)" ]
	gnu_same 'mkdir t; parallel --tmpdir t -k echo ::: a b; parallel --tmpdir "$PWD/t" echo ::: c; ls -A t'
}

# --- bad input: one line on stderr, exit 255, no job ---

@test "an unknown long option exits 255 with one line naming it and runs no job" {
	run --separate-stderr fanout --no-such-option touch ran ::: a </dev/null
	[ "$status" -eq 255 ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ $stderr == *no-such-option* ]]
	[ ! -e ran ]
}

@test "an unknown short option exits 255 with one line naming it and runs no job" {
	run --separate-stderr fanout -Q touch ran ::: a </dev/null
	[ "$status" -eq 255 ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ $stderr == *Q* ]]
	[ ! -e ran ]
}

@test "an unknown option after valid ones is still an error before any job" {
	run --separate-stderr fanout -k --jobs=2 --kep-order touch ran ::: a </dev/null
	[ "$status" -eq 255 ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ $stderr == *kep-order* ]]
	[ ! -e ran ]
}

@test "-j with a value that is not a number exits 255 naming the option" {
	run --separate-stderr fanout -j x touch ran ::: a </dev/null
	[ "$status" -eq 255 ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ $stderr == *-j* || $stderr == *jobs* ]]
	[ ! -e ran ]
}

@test "--jobs=x and -j 1x are rejected like -j x" {
	run --separate-stderr fanout --jobs=x touch ran ::: a </dev/null
	[ "$status" -eq 255 ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	run --separate-stderr fanout -j 1x touch ran ::: a </dev/null
	[ "$status" -eq 255 ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[ ! -e ran ]
}

@test "an option without its value exits 255 naming the option" {
	run --separate-stderr fanout -j </dev/null
	[ "$status" -eq 255 ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ $stderr == *j* ]]
	run --separate-stderr fanout --arg-sep </dev/null
	[ "$status" -eq 255 ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ $stderr == *arg-sep* ]]
}

@test "-a with a missing file exits 255 with one line naming the file" {
	run --separate-stderr fanout -a /nonexistent/args touch ran </dev/null
	[ "$status" -eq 255 ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ $stderr == */nonexistent/args* ]]
	[ ! -e ran ]
}

@test "--arg-file with a missing file is rejected like -a" {
	run --separate-stderr fanout --arg-file /nonexistent/args touch ran </dev/null
	[ "$status" -eq 255 ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ $stderr == */nonexistent/args* ]]
	[ ! -e ran ]
}

@test ":::: with a missing file exits 255 with one line naming the file" {
	run --separate-stderr fanout touch ran :::: /nonexistent/args </dev/null
	[ "$status" -eq 255 ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ $stderr == */nonexistent/args* ]]
	[ ! -e ran ]
}

@test "a missing file after a good source still stops everything before any job" {
	printf '1\n2\n' >good
	run --separate-stderr fanout -a good -a missing-file touch ran </dev/null
	[ "$status" -eq 255 ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ $stderr == *missing-file* ]]
	[ ! -e ran ]
	run --separate-stderr fanout touch ran ::: a :::: missing-file </dev/null
	[ "$status" -eq 255 ]
	[[ $stderr == *missing-file* ]]
	[ ! -e ran ]
}

@test "GNU and fanout give the same exit status for bad input and run nothing" {
	gnu_same 'printf "1\n" > good
	for args in "--no-such-option" "-Q" "-j x" "--jobs=x" "-j 1x" "-j" "-a /nonexistent" \
		"-a good -a /nonexistent" "--arg-file /nonexistent"; do
		parallel $args touch ran ::: a >/dev/null 2>&1
		echo "$args: $?"
	done
	parallel touch ran :::: /nonexistent >/dev/null 2>&1; echo "::::: $?"
	ls'
}

@test "--number-of-cores, -threads, -sockets and -cpus print what GNU parallel prints" {
	gnu_same 'for o in cores threads sockets cpus; do parallel --number-of-$o; echo "rc=$?"; done'
	[[ ${lines[1]} == rc=0 && ${lines[0]} =~ ^[0-9]+$ ]]
}

@test "--number-of-threads counts only the CPUs the process may run on" {
	need_cmd taskset
	gnu_same 'taskset -c 0 parallel --number-of-threads; taskset -c 0 parallel --number-of-cores'
	[[ $output == "1
1" ]]
}

@test "--number-of-cores still reads every option first" {
	gnu_same 'parallel --number-of-cores --no-such-option >/dev/null 2>&1; echo "rc=$?"'
	[[ $output == rc=255 ]]
}

@test "--minversion prints the version followed and fails when it is older" {
	gnu_same 'parallel --minversion 20130722; echo "rc=$?"; parallel --minversion 20300101; echo "rc=$?"; parallel --min-version 20221122; echo "rc=$?"'
	[[ ${lines[0]} == 20221122 && ${lines[1]} == rc=0 && ${lines[3]} == rc=255 ]]
}

@test "--minversion with something that is not a number is an error" {
	fanout_only
	run --separate-stderr fanout --minversion abc
	[[ $status == 255 && -z $output ]]
	[[ $stderr == *"--minversion"*"'abc'"* ]]
}

@test "--use-sockets- and --use-cores-instead-of-threads count job slots in those" {
	gnu_same 'for o in sockets cores; do
		n=$(parallel --number-of-$o)
		parallel --use-$o-instead-of-threads "sleep 0.3; echo \$PARALLEL_JOBSLOT" ::: $(seq $((2 * n))) | sort -u | wc -l | grep -x "$n"
		parallel --use-$o-instead-of-threads -j+1 "sleep 0.3; echo \$PARALLEL_JOBSLOT" ::: $(seq $((2 * n + 2))) | sort -u | wc -l | grep -x "$((n + 1))"
	done; echo ok'
	[[ ${lines[-1]} == ok ]]
}
