#!/usr/bin/env bats
# Bad input, all of it: every option given a bad value ends the run with
# one line on stderr naming the option and the value, exit status 255,
# before any job runs, and leaves no temporary file behind.

load helpers

# The table: the options (a shell word list), a tab, and the exact error.
# Each case is run as `fanout OPTIONS "touch ran" ::: 1'.
table() {
	cat <<'TABLE'
-j x	-j x: not a number of jobs (N, +N, -N, N% or a file)
-j 1.5	-j 1.5: not a number of jobs (N, +N, -N, N% or a file)
-j -x	-j -x: not a number of jobs (N, +N, -N, N% or a file)
-P abc	-j abc: not a number of jobs (N, +N, -N, N% or a file)
-d ''	option -d: the delimiter is empty
-I ''	option -I: the replacement string is empty
--er ''	option --er: the replacement string is empty
--seqreplace ''	option --seqreplace: the replacement string is empty
--delay x	option --delay: 'x' is not a duration (e.g. 0.5, 2s, 1m, 1sauto)
--timeout x	option --timeout: 'x' is not a duration (e.g. 10, 1.5m, 200%)
--timeout -1	option --timeout: '-1' is not a duration (e.g. 10, 1.5m, 200%)
--retries x	option --retries: 'x' is not a whole number (0 or more)
--retries -1	option --retries: '-1' is not a whole number (0 or more)
--halt x	--halt x: it must start with never, soon or now
--halt now	--halt now: now must be followed by ,fail=, ,success= or ,done=
--halt now,fail=x	--halt now,fail=x: now,fail must be followed by =number or =percent%
--term-seq TERM	--term-seq TERM: give pairs of signal and milliseconds
--term-seq FOO,10	--term-seq FOO,10: 'FOO' is not a signal
--term-seq TERM,x	--term-seq TERM,x: 'x' is not a number of milliseconds
--pipe --block x	option --block: 'x' is not a size (e.g. 1M, 10k, -1)
--pipe --block 0	option --block: the block size must not be 0
--pipe --block-timeout x	option --block-timeout: 'x' is not a duration (e.g. 2, 1.5s, 3m)
--load x	option --load: 'x' is not a load (N or N%)
--memfree x	option --memfree: 'x' is not a size (e.g. 1G)
--memsuspend x	option --memsuspend: 'x' is not a size (e.g. 1G)
-n x	option -n: 'x' is not a whole number (0 or more)
--pipe -N x	option -N: 'x' is not a whole number (0 or more)
--pipe -L x	option -L: 'x' is not a whole number (0 or more)
--total-jobs x	option --total-jobs: 'x' is not a positive whole number
--nice x	option --nice: 'x' is not a number
--semaphore-timeout x	option --semaphore-timeout: 'x' is not a duration
--joblog missing/log	cannot write --joblog 'missing/log': No such file or directory
--tmpdir missing	--tmpdir 'missing' is not a directory
-a missing	cannot open input file 'missing': No such file or directory
--resume	--resume and --resume-failed need --joblog
--pipe --cat --fifo	--cat and --fifo cannot be combined
--tee --pipe --shard 1	--tee, --shard, --bin and --group-by exclude each other
--frobnicate	unknown option: --frobnicate
-Z	unknown option: -Z
--ver	option --ver is ambiguous
--colsep '('	--colsep: '(' is not a valid regular expression: missing closing parenthesis at offset 1
--pipe --regexp --recstart 'a('	--recstart: 'a(' is not a valid regular expression: missing closing parenthesis at offset 2
--pipe --regexp --recend '['	--recend: '[' is not a valid regular expression: missing terminating ] for character class at offset 1
--pipe --header 'x)'	--header: 'x)' is not a valid regular expression: unmatched closing parenthesis at offset 1
--pipe --shard 1 --colsep '('	--colsep: '(' is not a valid regular expression: missing closing parenthesis at offset 1
--rpl '{x(\d+[)} s/a/b/'	--rpl {x(\d+[)}: '(\d+[)' is not a valid regular expression: missing terminating ] for character class at offset 6
TABLE
}

@test "every option with a bad value gives its one-line error, exit 255, no job and no temp file" {
	fanout_only
	local opts want args got rc bad=0 n=0
	while IFS=$'\t' read -r opts want; do
		n=$((n + 1))
		eval "args=($opts)"
		rm -rf tmp ran
		mkdir tmp
		rc=0
		got=$(TMPDIR=$PWD/tmp "$FANOUT" "${args[@]}" 'touch ran' ::: 1 2>&1 >/dev/null) || rc=$?
		if [[ $rc -ne 255 || $got != "fanout: Error: $want" || -e ran ||
		    -n $(ls -A tmp) ]]; then
			echo "fanout $opts: status $rc, stderr: $got" \
				"$([[ -e ran ]] && echo '(a job ran)')" \
				"$([[ -n $(ls -A tmp) ]] && echo '(temp files left)')"
			bad=$((bad + 1))
		fi
	done < <(table)
	echo "$n cases, $bad wrong"
	[ "$n" -ge 43 ]
	[ "$bad" -eq 0 ]
}

@test "an option that needs a value and ends the line says so" {
	fanout_only
	for opt in --jobs --joblog --tmpdir --timeout --halt --delay; do
		run -255 --separate-stderr "$FANOUT" "$opt"
		[ "$stderr" = "fanout: Error: option $opt needs a value" ]
	done
}

@test "bad option values exit 255 in GNU parallel too" {
	need_gnu
	local opts
	for opts in "-j x" "--timeout x" "--halt x" "--frobnicate" "-a missing"; do
		# shellcheck disable=SC2086 # the options are words
		run -255 "$GNU" $opts echo ::: 1
	done
}
