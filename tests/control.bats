#!/usr/bin/env bats
# Job control: --joblog, --resume, --resume-failed, --retry-failed, --halt,
# --timeout, --term-seq, --retries, --delay; and the output options --tag,
# --tagstring, --line-buffer and --silent.
#
# Joblogs are compared without their timing columns (Starttime and
# JobRuntime: `cut -f1,2,5-9'), and sorted where the order of the jobs is
# not fixed. No test measures how fast anything is; --delay and --timeout
# are checked by what they do (a lower bound between starts, a job killed)
# and jobs meet at marker files rather than at guessed times.

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
		for p in $(<"$f"); do
			[[ $p =~ ^[0-9]+$ ]] && kill -KILL "$p" 2>/dev/null
		done
	done
	return 0
}

# wait_lines FILE N: wait until FILE has at least N lines (at most 10 s).
wait_lines() {
	local f=$1 want=$2 n=100
	while ((n-- > 0)); do
		[[ -e $f && $(wc -l <"$f") -ge $want ]] && return 0
		sleep 0.1
	done
	echo "timed out waiting for $want lines in $f" >&2
	return 1
}

# logged FILE: the Seq column of a joblog, sorted, on one line.
logged() {
	tail -n +2 "$1" | cut -f1 | sort -n | tr '\n' ' '
}

# --- --joblog ---

@test "--joblog writes a tab-separated header and one line per job" {
	gnu_same 'parallel -j1 --joblog log "echo {}; exit {}" ::: 0 2 0 3; echo rc=$?
		head -n 1 log; cut -f1,2,5-9 log'
	[ "${lines[4]}" = rc=2 ]
	[ "${lines[5]}" = "$(printf 'Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand')" ]
	[ "${lines[8]}" = "$(printf '2\t:\t0\t2\t2\t0\techo 2; exit 2')" ]
}

@test "--joblog: Starttime and JobRuntime are seconds with milliseconds" {
	run fanout -j1 --joblog log 'echo {}' ::: a b
	[ "$status" -eq 0 ]
	[ "$(wc -l <log)" -eq 3 ]
	local now
	now=$(date +%s)
	tail -n +2 log | while IFS=$'\t' read -r seq host start runtime rest; do
		[[ $seq =~ ^[12]$ ]]
		[ "$host" = : ]
		[[ $start =~ ^[0-9]+\.[0-9]{3}$ ]]
		[[ $runtime =~ ^\ *[0-9]+\.[0-9]{3}$ ]]
		# the start time is now, give or take a minute
		((${start%.*} > now - 60 && ${start%.*} <= now + 1))
		[ "$(awk -F'\t' '{ print NF }' <<<"$seq	$host	$start	$runtime	$rest")" -eq 9 ]
	done
}

@test "--joblog with several jobs at once has every job once" {
	gnu_same 'parallel -j3 --joblog log "sleep 0.0{}; echo {}; exit \$(({} % 3))" ::: 3 1 2 5 4 6 | sort
		head -n 1 log | cut -f1,2,5-9
		tail -n +2 log | sort -n | cut -f1,2,5-9'
	[ "${#lines[@]}" -eq 13 ]
}

@test "--joblog with -k logs the jobs in the order of their output" {
	# GNU writes a job's log line when it prints the job's output, so with
	# -k the log is in Seq order even when job 2 ends first.
	gnu_same 'parallel -j2 -k --joblog log "sleep 0.{}; echo {}" ::: 5 1
		cut -f1,2,5-9 log'
}

@test "--joblog: Command is the command line as run, quoted" {
	gnu_same 'parallel -j1 --joblog log echo ::: "a b" "c'"'"'d" "\$HOME" "*"
		parallel -j1 --joblog +log "echo {2} {1}" ::: x ::: "y z"
		parallel -j1 --joblog +log -q printf "%s\n" ::: "p q"
		cut -f1,2,5-9 log'
}

@test "--joblog: Receive counts stdout bytes, Send the bytes given on stdin with --pipe" {
	gnu_same 'seq 1000 | parallel --pipe --block 1k -k --joblog log "wc -l; echo errors >&2"
		tail -n +2 log | sort -n | cut -f1,2,5-9
		parallel -j1 --joblog log2 "printf %s {}; echo xx >&2" ::: a bcd ""
		cut -f1,2,5-9 log2'
	[[ $output == *$'4\t:\t893\t4\t0\t0\twc -l; echo errors >&2'* ]]
}

@test "--joblog: a job killed by a signal has Exitval 0 and the signal in Signal" {
	gnu_same 'parallel -j1 --joblog log "echo {}; kill -{} \$\$" ::: 9 15 2>&1; echo rc=$?
		cut -f1,2,5-9 log'
	[[ $output == *$'1\t:\t0\t2\t0\t9\techo 9; kill -9 $$'* ]]
	[[ $output == *$'2\t:\t0\t3\t0\t15\techo 15; kill -15 $$'* ]]
	[[ $output == *rc=2* ]]
}

@test "--joblog +FILE appends and writes no header" {
	gnu_same 'echo old > log
		parallel -j1 --joblog +log "echo {}" ::: 1 2
		cut -f1,2,5-9 log
		echo ---
		parallel -j1 --joblog +new "echo {}" ::: 3
		cut -f1,2,5-9 new
		echo ---
		parallel -j1 --joblog log2 "echo {}" ::: 4
		parallel -j1 --joblog log2 "echo {}" ::: 5
		cut -f1,2,5-9 log2'
	[ "${lines[2]}" = old ]
	[ "${lines[3]}" = "$(printf '1\t:\t0\t2\t0\t0\techo 1')" ]
	# a plain --joblog FILE starts the log afresh
	[ "${lines[-2]}" = "$(printf 'Seq\tHost\tSend\tReceive\tExitval\tSignal\tCommand')" ]
	[ "${lines[-1]}" = "$(printf '1\t:\t0\t2\t0\t0\techo 5')" ]
}

@test "--joblog - writes the log to stdout" {
	gnu_same 'parallel -j1 --joblog - true ::: 1 2 | cut -f1,2,5-9
		parallel -j1 --joblog - "exit {}" ::: 3 | cut -f1,2,5-9'
	[ "${lines[0]}" = "$(printf 'Seq\tHost\tSend\tReceive\tExitval\tSignal\tCommand')" ]
	[ "${lines[2]}" = "$(printf '2\t:\t0\t0\t0\t0\ttrue 2')" ]
}

@test "--joblog - with -j1 prints a job's log line after its output" {
	gnu_same 'parallel -j1 --joblog - echo ::: a b | cut -f1,2,5-9'
}

@test "--joblog Receive counts the -v line as GNU does" {
	gnu_same 'for o in "" -k --line-buffer "--results r" -u; do
			parallel -j1 -v $o --joblog log echo ::: a bb >/dev/null; cut -f5,6 log
		done'
}

# --- --resume, --resume-failed, --retry-failed ---

@test "--resume skips the jobs whose Seq is in the joblog, failed or not" {
	gnu_same 'parallel -j1 --joblog log "echo {}; exit \$(({} % 2))" ::: 1 2 3; echo rc=$?
		parallel -j1 --resume --joblog log "echo {}; exit \$(({} % 2))" ::: 1 2 3 4 5; echo rc=$?
		cut -f1,2,5-9 log
		parallel -j1 --resume --joblog log "echo {}" ::: 1 2 3 4 5; echo rc=$?'
	[ "$(head -n 7 <<<"$output" | tr '\n' ' ')" = "1 2 3 rc=2 4 5 rc=1 " ]
	[ "${lines[-1]}" = rc=0 ]
}

@test "--resume runs a job missing from the middle of the joblog" {
	gnu_same 'parallel -j1 --joblog log "echo {}" ::: 1 2 3 4
		grep -v "^2	" log > log.new && mv log.new log
		parallel -j1 --resume --joblog log "echo {}" ::: 1 2 3 4 5; echo rc=$?
		tail -n +2 log | sort -n | cut -f1,2,5-9'
	[ "$(sed -n 5,7p <<<"$output" | tr '\n' ' ')" = "2 5 rc=0 " ]
}

@test "--resume-failed reruns the failed jobs and the missing ones" {
	gnu_same 'parallel -j1 --joblog log "echo {}; exit \$(({} % 2))" ::: 1 2 3 4 5
		echo ---
		parallel -j1 --resume-failed --joblog log "echo {}; exit \$(({} % 2))" ::: 1 2 3 4 5 6; echo rc=$?
		cut -f1,2,5-9 log'
	[ "$(sed -n 7,11p <<<"$output" | tr '\n' ' ')" = "1 3 5 6 rc=3 " ]
}

@test "--resume-failed and --retry-failed go by the last line of each Seq" {
	gnu_same 'parallel -j1 --joblog log "echo {}; [ -e ok{} ]" ::: 1 2 3; echo rc=$?
		touch ok1
		parallel -j1 --resume-failed --joblog log "echo {}; [ -e ok{} ]" ::: 1 2 3; echo rc=$?
		touch ok2
		parallel -j1 --resume-failed --joblog log "echo {}; [ -e ok{} ]" ::: 1 2 3; echo rc=$?
		parallel -j1 --retry-failed --joblog log "echo {}; [ -e ok{} ]" ::: 1 2 3; echo rc=$?
		cut -f1,7,9 log'
}

@test "--retry-failed tags each job with its logged command, as GNU does" {
	gnu_same 'parallel -j1 --joblog log "echo {}; exit {}" ::: 0 1 0 2
		parallel -j1 -k --joblog log --retry-failed --tag; echo rc=$?
		parallel -j1 -k --joblog log --retry-failed --tagstring "<{}>{#}"; echo rc=$?'
}

@test "--retry-failed runs the failed commands of the joblog and ignores the command line" {
	gnu_same 'parallel -j1 --joblog log "echo {}; exit \$(({} % 2))" ::: 1 2 3 4 5
		echo ---
		parallel -j1 --retry-failed --joblog log "echo new {}" ::: 7 8 9 10 11 12 13; echo rc=$?
		cut -f1,2,5-9 log
		echo ---
		parallel -j1 --retry-failed --joblog log; echo rc=$?'
	[ "$(sed -n 7,10p <<<"$output" | tr '\n' ' ')" = "1 3 5 rc=3 " ]
	[[ $output != *new* ]]
}

@test "--retry-failed with no joblog file yet runs the command line as usual" {
	gnu_same 'parallel -j1 --retry-failed --joblog log "echo new {}" ::: 1 2; echo rc=$?
		cut -f1,2,5-9 log'
	[ "${lines[0]}" = "new 1" ]
	[ "${lines[2]}" = rc=0 ]
}

@test "--retry-failed without --joblog runs the command line as usual" {
	gnu_same 'parallel -j1 --retry-failed "echo new {}" ::: 1 2; echo rc=$?'
}

@test "--resume and --resume-failed without --joblog are an error" {
	gnu_same 'parallel --resume "touch ran{}" ::: 1; echo rc=$?
		parallel --resume-failed "touch ran{}" ::: 1; echo rc=$?
		ls'
	[ "$output" = "$(printf 'rc=255\nrc=255')" ]
}

@test "after SIGKILL, --resume runs exactly the jobs that had not finished" {
	# Jobs 1-4 finish; jobs 5 and 6 start and wait for a file that does not
	# exist yet; then fanout is killed with SIGKILL and so are they.
	local cmd='echo $$ > pid{}; if [ {} -gt 4 ]; then while [ ! -e go ]; do sleep 0.05; done; fi; echo {} >> done; echo {}'
	"$FANOUT" -j2 --joblog log "$cmd" ::: $(seq 10) </dev/null >out1 2>err1 3>&- &
	FPID=$!
	wait_lines log 5
	wait_for pid5
	wait_for pid6
	kill -KILL "$FPID"
	wait "$FPID" || true
	FPID=
	kill -KILL "$(<pid5)" "$(<pid6)"
	gone "$(<pid5)"
	gone "$(<pid6)"
	[ "$(logged log)" = "1 2 3 4 " ]
	[ "$(sort -n ./done | tr '\n' ' ')" = "1 2 3 4 " ]
	touch go
	run fanout -j2 --resume --joblog log "$cmd" ::: $(seq 10)
	[ "$status" -eq 0 ]
	[ "$(sort -n <<<"$output" | tr '\n' ' ')" = "5 6 7 8 9 10 " ]
	# every job ran exactly once in all
	[ "$(sort -n ./done | tr '\n' ' ')" = "$(seq 10 | tr '\n' ' ')" ]
	[ "$(logged log)" = "$(seq 10 | tr '\n' ' ')" ]
}

@test "after SIGKILL mid-run, --resume runs the unlogged jobs and no logged one again" {
	local cmd='echo $$ > pid{}; sleep 0.3; echo {} >> done; echo {}'
	"$FANOUT" -j2 --joblog log "$cmd" ::: $(seq 10) </dev/null >out1 2>err1 3>&- &
	FPID=$!
	wait_lines log 4
	kill -KILL "$FPID"
	wait "$FPID" || true
	FPID=
	# The jobs that were running are orphans now; end them too.
	local f
	for f in pid*; do kill -KILL "$(<"$f")" 2>/dev/null || true; done
	for f in pid*; do gone "$(<"$f")"; done
	local before
	before=$(logged log)
	echo "logged before: $before"
	[ "$(wc -w <<<"$before")" -ge 3 ]
	[ "$(wc -w <<<"$before")" -lt 10 ]
	run fanout -j2 --resume --joblog log "$cmd" ::: $(seq 10)
	[ "$status" -eq 0 ]
	local again
	again=$(sort -n <<<"$output" | tr '\n' ' ')
	echo "run by --resume: $again"
	# --resume ran exactly the jobs missing from the log ...
	[ "$(printf '%s\n' $before $again | sort -n | tr '\n' ' ')" = "$(seq 10 | tr '\n' ' ')" ]
	# ... so that each logged job ran once only
	local s
	for s in $before; do
		[ "$(grep -cx "$s" ./done)" -eq 1 ]
	done
	[ "$(logged log)" = "$(seq 10 | tr '\n' ' ')" ]
}

# --- --halt ---

@test "--halt in all its forms: output and exit status as GNU" {
	gnu_same 'for h in never soon,fail=1 now,fail=1 soon,fail=2 now,fail=2 \
			soon,fail=50% now,fail=50% soon,fail=34% now,success=1 \
			soon,success=1 now,success=2 soon,success=50% soon,done=2 \
			now,done=50% now,done=1 0 1 2 -1 -2 50% 1% now,fail=01; do
			o=$(parallel -j1 --halt $h "echo {}; exit {}" ::: 0 2 0 3 4 0 2>/dev/null)
			rc=$?
			echo "$h: $(echo $o) rc=$rc"
		done'
	[ "${lines[0]}" = "never: 0 2 0 3 4 0 rc=3" ]
	[ "${lines[1]}" = "soon,fail=1: 0 2 rc=2" ]
	[ "${lines[5]}" = "soon,fail=50%: 0 2 0 3 4 rc=50" ]
	[ "${lines[8]}" = "now,success=1: 0 rc=0" ]
}

@test "--halt soon,fail=1 exits with the failing job's status and starts no more jobs" {
	gnu_same 'parallel -j1 --halt soon,fail=1 "echo {}; exit {}" ::: 0 2 0 3; echo rc=$?'
	[ "$output" = "$(printf '0\n2\nrc=2')" ]
}

@test "--halt fail=50% over 6 jobs with 3 failures exits 50" {
	gnu_same 'parallel -j1 --halt soon,fail=50% "exit {}" ::: 0 1 0 1 1 0; echo rc=$?
		parallel -j1 --halt now,fail=50% "exit {}" ::: 0 1 0 1 1 0; echo rc=$?'
	[ "$output" = "$(printf 'rc=50\nrc=50')" ]
}

@test "--halt with a percentage that comes to one job exits with that job's status" {
	gnu_same 'parallel -j1 --halt now,fail=50% "exit {}" ::: 0 7 2>/dev/null; echo rc=$?
		parallel -j1 --halt now,fail=20% "exit {}" ::: 0 7 0 0 9 2>/dev/null; echo rc=$?
		parallel -j1 --halt soon,done=50% "exit {}" ::: 7 0 2>/dev/null; echo rc=$?
		parallel -j1 --halt now,fail=25% "kill -9 \$\$" ::: 1 2 3 4 2>/dev/null; echo rc=$?
		parallel -j1 --halt now,fail=30% "exit {}" ::: 0 7 0 0 9 2>/dev/null; echo rc=$?'
	[ "$output" = "$(printf 'rc=7\nrc=7\nrc=7\nrc=137\nrc=40')" ]
}

@test "--halt now,fail=0 stops at the first failure and does not exit 0" {
	# GNU parallel 20221122 stops there too but exits 0 (see compatibility.md)
	run --separate-stderr fanout -j1 --halt now,fail=0 'echo {}; exit {}' ::: 0 3 4
	[ "$status" -eq 1 ]
	[ "$output" = "$(printf '0\n3')" ]
}

@test "--halt prints its message after the failing job's output" {
	gnu_same 'parallel -j1 --halt now,fail=1 "echo {}; exit {}" ::: 0 1 0 2>&1; echo rc=$?
		parallel -j1 --halt soon,success=1 "echo {}" ::: a b 2>&1; echo rc=$?'
}

@test "--halt now,fail=1 with a job killed by a signal exits 128+signal" {
	gnu_same 'parallel -j1 --halt now,fail=1 "echo {}; kill -9 \$\$" ::: 1 2; echo rc=$?
		parallel -j1 --halt soon,fail=1 "echo {}; kill -15 \$\$" ::: 1 2; echo rc=$?'
	[ "$output" = "$(printf '1\nrc=137\n1\nrc=143')" ]
}

@test "--halt soon lets the running jobs finish and starts no new one" {
	gnu_same --stderr 'parallel -j2 --halt soon,fail=1 ::: \
			"while [ ! -e failed ]; do sleep 0.05; done; sleep 0.2; echo slow done" \
			"touch failed; exit 4" "echo third"; echo rc=$?'
	[ "$output" = "$(printf 'slow done\nrc=4')" ]
}

@test "--halt now kills the running jobs" {
	run --separate-stderr fanout -j2 --halt now,fail=1 ::: 'echo $$ > pid; exec sleep 30' \
		'while [ ! -e pid ]; do sleep 0.05; done; exit 3' 'echo third'
	[ "$status" -eq 3 ]
	[[ $output != *third* ]]
	gone "$(<pid)"
}

@test "--halt now also kills the children of a running job's shell" {
	run --separate-stderr fanout -j2 --halt now,done=1 ::: 'sleep 30 & echo $! > pid; wait' \
		'while [ ! -e pid ]; do sleep 0.05; done; echo quick'
	[ "$status" -eq 0 ]
	[ "$output" = quick ]
	gone "$(<pid)"
}

@test "a malformed --halt is an error: exit 255, one line on stderr, no job run" {
	local h
	for h in foo now,fail soon,fail=x now, soon,bar=1 now,fail=-1 now,fail=1.5 \
		now,fail=1%x now soon 3 -3 1.5 ''; do
		rm -f ran
		run --separate-stderr fanout --halt "$h" 'touch ran' ::: 1
		echo "--halt '$h': status $status, stderr: $stderr"
		[ "$status" -eq 255 ]
		[ -z "$output" ]
		[ "${#stderr_lines[@]}" -eq 1 ]
		[ ! -e ran ]
	done
}

@test "a malformed --halt exits 255 as in GNU" {
	gnu_same 'for h in foo now,fail soon,fail=x now,FAIL=1 now,fail=+1; do
			parallel --halt "$h" "touch ran" ::: 1 2>err
			echo "$h: rc=$? $(wc -l <err) line(s) on stderr; $(ls)"
		done'
}

@test "--halt takes its parts joined by , or = and ignores what follows them" {
	gnu_same 'for h in now,fail,1 now=fail=1 soon,done,2 now,fail=1,x never,fail=1 never,x; do
			parallel -j1 --halt "$h" "echo {}; exit {}" ::: 0 1 2 3 2>/dev/null
			echo "$h: rc=$?"
		done'
}

@test "--halt rejects a number with blanks around it" {
	gnu_same 'for h in "soon,fail= 1" "now,fail=1 "; do
			parallel --halt "$h" "touch ran" ::: 1 2>/dev/null
			echo "rc=$? $(ls)"
		done'
}

# --- --timeout, --term-seq ---

@test "--timeout kills a job that runs too long; it counts as failed" {
	gnu_same 'parallel -j2 --joblog log --timeout 1 "echo {}; sleep {}; echo done {}" ::: 0.1 3 >out; echo rc=$?
		sort out; tail -n +2 log | sort -n | cut -f1,2,5-9'
	[ "${lines[0]}" = rc=1 ]
	[ "$(sed -n 2,4p <<<"$output" | tr '\n' ' ')" = "0.1 3 done 0.1 " ]
	[[ $output == *$'2\t:\t0\t2\t-1\t15\techo 3; sleep 3; echo done 3'* ]]
}

@test "--timeout: the exit status counts the timed-out jobs" {
	gnu_same 'parallel -j3 --timeout 1s "sleep {}; echo {}" ::: 0.1 3 3; echo rc=$?'
	[ "$output" = "$(printf '0.1\nrc=2')" ]
}

@test "--timeout N% is a percentage of the median runtime" {
	gnu_same 'parallel -j1 --joblog log --timeout 300% "echo {}; sleep {}; echo done {}" ::: 0.1 0.1 0.1 3; echo rc=$?
		cut -f1,2,5-9 log'
	[[ $output == *$'4\t:\t0\t2\t-1\t15\techo 3; sleep 3; echo done 3'* ]]
	[[ $output == *rc=1* ]]
}

@test "--timeout also kills the children of the job's shell" {
	run --separate-stderr fanout --timeout 1 'sleep 30 & echo $! > pid; wait; echo {}' ::: a
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	gone "$(<pid)"
}

@test "--timeout with a bad duration is an error" {
	gnu_same 'for t in x 1x -1 1s2x; do parallel --timeout $t "touch ran" ::: 1 2>/dev/null; echo "rc=$? $(ls)"; done'
	[ "$output" = "$(printf 'rc=255 \nrc=255 \nrc=255 \nrc=255 ')" ]
}

@test "--timeout takes exactly GNU's forms: seconds, units in either case, N%" {
	gnu_same 'for t in 1m30 1M 2S 1h2m .5 1. 1e1 0x1 +1 1h1 1ss 1w 0% 0.0% 1.5% 5.% .5% 1e2% -1% 5%%; do
			parallel --timeout "$t" "touch ran" ::: 1 2>/dev/null
			echo "$t: rc=$? $(ls)"; rm -f ran
		done'
}

@test "--timeout 0 means no timeout" {
	gnu_same 'parallel --timeout 0 "sleep 0.5; echo {}" ::: 1; echo rc=$?'
}

@test "--halt soon,fail=1 on a timed-out job exits 255, as --halt now does" {
	gnu_same 'parallel -j1 --halt soon,fail=1 --timeout 0.5 "sleep {}" ::: 3 1 2>/dev/null; echo rc=$?
		parallel -j1 --halt now,fail=1 --timeout 0.5 "sleep {}" ::: 3 1 2>/dev/null; echo rc=$?'
}

@test "--term-seq: the first signal of the sequence is sent first" {
	gnu_same 'parallel --joblog log --term-seq INT,200,KILL,25 --timeout 1 \
			"trap \"echo INT >> marker{}\" INT; i=0; while [ \$i -lt 50 ]; do sleep 0.1; i=\$((i+1)); done; echo end" ::: 1
		echo rc=$?; cat marker1; cut -f1,2,5-9 log'
	[ "${lines[0]}" = rc=1 ]
	[ "${lines[1]}" = INT ]
	[[ $output == *$'1\t:\t0\t0\t-1\t9\t'* ]]
}

@test "--timeout without --term-seq sends TERM first" {
	gnu_same 'parallel --joblog log --timeout 0.5 \
			"trap \"echo TERM >> marker{}\" TERM; i=0; while [ \$i -lt 50 ]; do sleep 0.1; i=\$((i+1)); done" ::: 1
		echo rc=$?; head -n 1 marker1; cut -f1,2,5-9 log'
	[ "${lines[1]}" = TERM ]
}

@test "a bad --term-seq is an error before any job runs" {
	fanout_only
	local t
	for t in FOO,1 INT,x INT ''; do
		rm -f ran
		run --separate-stderr fanout --term-seq "$t" 'touch ran' ::: 1
		echo "--term-seq '$t': status $status, stderr: $stderr"
		[ "$status" -eq 255 ]
		[ "${#stderr_lines[@]}" -eq 1 ]
		[ ! -e ran ]
	done
}

# --- --retries ---

@test "--retries: a job that fails twice then succeeds prints only its last try" {
	gnu_same --stderr 'parallel --joblog log --retries 3 "n=\$(cat cnt{} 2>/dev/null || echo 0); n=\$((n+1)); echo \$n > cnt{}; echo try \$n; echo err \$n >&2; [ \$n -ge 3 ]" ::: a
		echo rc=$?; cat cnta; cut -f1,2,5-9 log'
	[ "${lines[0]}" = "try 3" ]
	[ "${lines[1]}" = rc=0 ]
	[ "$stderr" = "err 3" ]
}

@test "--retries N runs an always-failing job N times and logs it once" {
	gnu_same 'parallel --joblog log --retries 4 "echo x >> cnt{}; echo out; exit 1" ::: b
		echo rc=$?; wc -l < cntb; cut -f1,2,5-9 log'
	[ "$output" = "$(printf 'out\nrc=1\n4\nSeq\tHost\tSend\tReceive\tExitval\tSignal\tCommand\n1\t:\t0\t4\t1\t0\techo x >> cntb; echo out; exit 1')" ]
}

@test "--retries with several jobs at once retries each failing job" {
	gnu_same 'parallel -j2 -k --joblog log --retries 2 "echo x >> cnt{}; echo out {}; exit {}" ::: 0 1 2 0
		echo rc=$?; wc -l cnt*; tail -n +2 log | sort -n | cut -f1,2,5-9'
}

@test "--retries 0 runs a failing job again until it succeeds" {
	gnu_same 'parallel -j1 -k --joblog log --retries 0 "echo x >> cnt{}; echo out {}; [ \$(wc -l < cnt{}) -ge {} ]" ::: 1 5 3
		echo rc=$?; wc -l cnt*; tail -n +2 log | cut -f1,2,7-9'
}

# --- --delay ---

@test "--delay waits between the starts of the jobs" {
	local d
	for d in 0.3 0.3s; do
		rm -f starts
		run fanout -j2 --delay "$d" 'date +%s%N >> starts; : {}' ::: 1 2 3
		[ "$status" -eq 0 ]
		[ "$(wc -l <starts)" -eq 3 ]
		sort -n starts | awk 'NR > 1 { print ($1 - p) / 1e9 } { p = $1 }'
		sort -n starts | awk 'NR > 1 && $1 - p < 250000000 { bad = 1 } { p = $1 } END { exit bad }'
	done
}

@test "--delay with a negative duration means no delay, as in GNU" {
	gnu_same 'for d in -1 -0.5 -1s -1sauto; do parallel -j1 -k --delay "$d" echo ::: 1 2; echo "$d: rc=$?"; done'
}

@test "--delay DURauto and --delay auto are accepted as in GNU" {
	gnu_same 'parallel -k --delay auto echo ::: a b; echo rc=$?
		parallel -k --delay 0.1auto echo ::: c d; echo rc=$?
		parallel -k --delay 0.1sauto "exit {}" ::: 1 0; echo rc=$?'
}

@test "--delay 1auto lengthens the delay after a failed job" {
	# 1 s grows by 30% to 1.3 s after the failure of job 1.
	rm -f starts
	run fanout -j1 --delay 1auto 'date +%s%N >> starts; exit {}' ::: 1 0
	[ "$status" -eq 1 ]
	sort -n starts | awk 'NR > 1 { print ($1 - p) / 1e9 } { p = $1 }'
	sort -n starts | awk 'NR > 1 && $1 - p < 1150000000 { bad = 1 } { p = $1 } END { exit bad }'
}

@test "a malformed --delay is an error before any job runs" {
	fanout_only
	local d
	for d in x 1x '' autox 1s2x; do
		rm -f ran
		run --separate-stderr fanout --delay "$d" 'touch ran' ::: 1
		echo "--delay '$d': status $status, stderr: $stderr"
		[ "$status" -eq 255 ]
		[ "${#stderr_lines[@]}" -eq 1 ]
		[ ! -e ran ]
	done
}

# --- --tag, --tagstring ---

@test "--tag prefixes stdout and stderr lines with the arguments and a TAB" {
	gnu_same --stderr 'parallel -k --tag "echo out {}; echo err {} >&2" ::: a "b c"'
	[ "$output" = "$(printf 'a\tout a\nb c\tout b c')" ]
	[ "$stderr" = "$(printf 'a\terr a\nb c\terr b c')" ]
}

@test "--tag with -v tags the command line too" {
	gnu_same 'parallel -k --tag -v "echo out {}" ::: a "b c"'
	[ "${lines[0]}" = "$(printf 'a\techo out a')" ]
}

@test "--tag with several input sources joins the arguments with spaces" {
	gnu_same 'parallel -k --tag "echo {1}+{2}" ::: a b ::: "x y" z
		parallel -k --tag "echo {2}" :::+ 1 2 :::+ "3 4" 5'
	[ "${lines[0]}" = "$(printf 'a x y\ta+x y')" ]
}

@test "--tag on lines without a final newline and on empty arguments" {
	gnu_same 'parallel -j1 --tag "printf \"a\nb\"" ::: 1 2; echo
		parallel -k --tag echo ::: "" x
		parallel -k --tag true ::: 1'
}

@test "--tagstring takes replacement strings; the values are not quoted" {
	gnu_same 'parallel -k --tagstring "<{}-{#}>" "echo {}" ::: a "b c" "d'"'"'e" "\$x"
		parallel -k --tagstring "{2}/{1}" "echo {}" ::: a ::: b c
		parallel -k --tag --tagstring X "echo {}" ::: a
		parallel -k --tagstring "{.}:{/}" "echo {}" ::: dir/f.txt'
	[ "${lines[0]}" = "$(printf '<a-1>\ta')" ]
	[ "${lines[2]}" = "$(printf "<d'e-3>\td'e")" ]
}

@test "--tag and --ctag start a new tagged line after a carriage return, as GNU" {
	gnu_same 'parallel -k --tag printf "a\\rb\\r\\nc\\r" ::: 1 | od -c
		parallel -k --tag sh -c "printf \"x\\ry\\n\" >&2" ::: 1 2>&1 | od -c
		parallel -k --ctag printf "a\\rb\\n" ::: 1 | od -c
		parallel -k --ctag printf "a\\r" ::: 1 | od -c'
}

@test "grouped coloured output ends with a newline, as GNU's does" {
	gnu_same 'parallel -k --ctag printf a ::: 1 | od -c
		parallel -k --color sh -c "printf a; printf b >&2" ::: 1 2>&1 | od -c'
}

@test "--tagstring decodes \\t, \\n, \\r and octal escapes, as GNU does" {
	gnu_same 'parallel -k --tagstring "{}\\t{#}" echo ::: a | od -c
		parallel -k --tagstring "\\n\\101\\r" echo ::: a | od -c
		parallel -k --ctagstring "\\t{}" echo ::: a | od -c'
}

@test "an empty --tagstring tags nothing, and --tagstring beats --ctagstring" {
	gnu_same 'parallel -k --tagstring "" echo ::: a
		parallel -k --tag --tagstring "" echo ::: a
		parallel -k --ctagstring "" echo ::: a | od -c
		parallel -k --tagstring Y --ctagstring X echo ::: a | od -c
		parallel -k --tagstring "" --ctagstring X echo ::: a | od -c'
	[ "${lines[0]}" = a ]
}

# --- --line-buffer ---

# make_waitline: put on PATH `waitline LINE', which waits (20 s at most)
# until the file out in the current directory holds the whole line LINE,
# after a tag and a tab if --tag put one before it.
# Jobs whose output goes to out wait with it for what the other job has
# printed, so their order does not depend on the machine's load, and GNU
# parallel's output is the same every time.
make_waitline() {
	cat >"$BATS_TEST_TMPDIR/bin/waitline" <<'EOF'
#!/bin/sh
n=0
until cut -f2- out 2>/dev/null | grep -qxF -- "$1" || [ "$n" -ge 400 ]; do
	sleep 0.05
	n=$((n + 1))
done
EOF
	chmod +x "$BATS_TEST_TMPDIR/bin/waitline"
}

@test "--line-buffer prints whole lines as they come" {
	# b starts once a1 is printed and a goes on once b2 is: were a's
	# output held until a ended, both would wait in vain.
	make_waitline
	gnu_same 'parallel -j2 --lb ::: "echo a1; waitline b2; echo a2" \
			"waitline a1; echo b1; echo b2" >out; cat out'
	[ "$output" = "$(printf 'a1\nb1\nb2\na2')" ]
}

@test "--lb holds a partial line until its end comes" {
	# "par" is out before b1; were it printed then, no line of out would
	# be b1 alone.
	make_waitline
	gnu_same 'parallel -j2 --lb ::: "printf par; waitline b1; printf \"tial\n\"; echo a3" \
			"echo b1; waitline a3; echo b2" >out; cat out'
	[ "$output" = "$(printf 'b1\npartial\na3\nb2')" ]
}

@test "--line-buffer never mixes lines of different jobs" {
	# Jobs 1-3 wait for each other so that they surely print at once.
	run bash -c '"$FANOUT" -j3 --line-buffer "touch s{}; if [ {} -le 3 ]; then while [ ! -e s1 ] || [ ! -e s2 ] || [ ! -e s3 ]; do sleep 0.02; done; fi
		for i in 1 2 3 4 5; do printf \"job{}-\"; sleep 0.0\$((RANDOM % 5 + 1)); printf \"line\$i\n\"; done" ::: 1 2 3 4 5 6 >out'
	[ "$status" -eq 0 ]
	local want
	want=$(for j in 1 2 3 4 5 6; do for i in 1 2 3 4 5; do echo "job$j-line$i"; done; done)
	[ "$(sort out)" = "$(sort <<<"$want")" ]
	# each job's lines in order
	local j
	for j in 1 2 3 4 5 6; do
		[ "$(grep "^job$j-" out | tr '\n' ' ')" = "job$j-line1 job$j-line2 job$j-line3 job$j-line4 job$j-line5 " ]
	done
	# and lines of different jobs did interleave (the jobs ran at once)
	[ "$(cut -d- -f1 out | uniq | wc -l)" -gt 6 ]
}

@test "--line-buffer also buffers stderr by lines" {
	run bash -c '"$FANOUT" -j3 --lb "for i in 1 2 3; do printf \"e{}-\" >&2; sleep 0.0\$((RANDOM % 5 + 1)); printf \"line\$i\n\" >&2; done" ::: 1 2 3 2>err'
	[ "$status" -eq 0 ]
	[ "$(sort err | tr '\n' ' ')" = "e1-line1 e1-line2 e1-line3 e2-line1 e2-line2 e2-line3 e3-line1 e3-line2 e3-line3 " ]
}

@test "-k --lb prints the output in the order of the jobs" {
	gnu_same 'parallel -j2 -k --lb ::: "sleep 0.5; echo a1; echo a2" "echo b1; echo b2"
		parallel -j3 -k --lb "sleep 0.\$((4 - {})); echo {}a; echo {}b" ::: 1 2 3'
	[ "$(head -n 4 <<<"$output" | tr '\n' ' ')" = "a1 a2 b1 b2 " ]
}

@test "--lb with --tag tags every line" {
	make_waitline
	gnu_same 'parallel -j2 --lb --tag ::: "echo a1; waitline b2; echo a2" \
			"waitline a1; echo b1; echo b2" >out; cat out'
	[ "$output" = "$(printf '%s\t%s\n' \
		"echo a1; waitline b2; echo a2" a1 \
		"waitline a1; echo b1; echo b2" b1 \
		"waitline a1; echo b1; echo b2" b2 \
		"echo a1; waitline b2; echo a2" a2)" ]
}

# --- --silent ---

@test "--silent cancels -v whatever the order" {
	gnu_same 'parallel -k -v --silent echo ::: a b
		parallel -k --silent -v echo ::: c
		parallel -k -v -v --silent echo ::: d
		parallel -k --silent --tag -v echo ::: e'
	[ "$output" = "$(printf 'a\nb\nc\nd\ne\te')" ]
}

# --- bad places for the log ---

@test "a --joblog in a place that cannot be written is an error before any job runs" {
	# GNU takes /proc/version and loses the log in silence.
	fanout_only
	local j
	: >file
	for j in /proc/nonexistent/log "$PWD/file/log" /proc/version; do
		rm -f ran
		run --separate-stderr fanout --joblog "$j" 'touch ran' ::: 1 2
		echo "--joblog $j: status $status, stderr: $stderr"
		[ "$status" -eq 255 ]
		[ "${#stderr_lines[@]}" -eq 1 ]
		[[ $stderr == *"$j"* ]]
		[ ! -e ran ]
	done
}

@test "an unwritable --joblog exits 255 as in GNU" {
	gnu_same 'parallel --joblog /proc/nonexistent/log "touch ran" ::: 1 2>/dev/null; echo "rc=$? $(ls)"'
}

# --- --verbose, --dry-run and --joblog show the command as run ---

@test "-v, --dry-run and --joblog quote the values as GNU does" {
	gnu_same 'vals=("a b" "c'"'"'d" "e\"f" "\$HOME" "x*" "" "t	u" "~" "a;b" "(x)")
		parallel -k -v echo ::: "${vals[@]}"
		parallel -k --dry-run "echo {} | cat" ::: "${vals[@]}"
		parallel -k --joblog log echo {} ::: "${vals[@]}" >/dev/null; cut -f9 log'
}

@test "-v with -q and with several sources quotes as GNU does" {
	gnu_same 'parallel -k -v -q printf "%s-%s\n" ::: "a b" c ::: "d e"'
}

# --- --total-jobs ---

@test "--total-jobs is accepted and changes nothing in the output" {
	gnu_same 'parallel -k --total-jobs 5 echo ::: a b; echo rc=$?
		seq 3 | parallel -k --total 2 echo; echo rc=$?'
}

# --- --env, --record-env ---

@test "--env _ without a list from --record-env is an error, as in GNU" {
	gnu_same 'export FOO=bar; parallel --env _ "echo \$FOO" ::: a 2>/dev/null; echo rc=$?
		parallel --env X,_ "echo \$FOO" ::: a 2>/dev/null; echo rc=$?'
	[ "$output" = "$(printf 'rc=255\nrc=255')" ]
}

@test "--record-env writes ignored_vars; --env _ then runs the jobs, as in GNU" {
	gnu_same 'parallel --record-env; echo rc=$?
		grep -cx PATH ~/.parallel/ignored_vars
		export NEWVAR=set; parallel --env _ "echo \$NEWVAR {}" ::: a; echo rc=$?'
	[[ $output == *"set a"* ]]
}

@test "--record-env writes to \$PARALLEL_HOME when that is set, as in GNU" {
	gnu_same 'mkdir ph; PARALLEL_HOME=$PWD/ph parallel --record-env; echo rc=$?
		grep -cx HOME ph/ignored_vars; ls ~/.parallel | grep -c ignored_vars'
}

@test "--env NAME passes the variable and exported functions to local jobs" {
	gnu_same 'export FOO=bar; f() { echo "fun $1 $FOO"; }; export -f f
		parallel --env FOO --env f f ::: a; parallel --env FOO,f f ::: b'
}

# --- --tmpdir ---

@test "--tmpdir holds the jobs' \$PARALLEL_TMP and nothing stays behind" {
	gnu_same 'mkdir td; parallel -k --tmpdir td "echo \$PARALLEL_TMP" ::: a b | sed "s|^td/par[^/]*\$|td/X|"
		ls td | wc -l'
	[ "$output" = "$(printf 'td/X\ntd/X\n0')" ]
}

@test "\$TMPDIR is the default --tmpdir" {
	gnu_same 'mkdir td; TMPDIR=$PWD/td parallel "echo \$PARALLEL_TMP" ::: a | sed "s|^$PWD/td/par[^/]*\$|in td|"'
	[ "$output" = "in td" ]
}

@test "a --tmpdir that does not exist is an error before any job runs" {
	fanout_only
	run --separate-stderr fanout --tmpdir /nonexistent 'touch ran' ::: 1
	[ "$status" -eq 255 ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[ ! -e ran ]
}

# --- --load, --memfree, --memsuspend, --noswap, --limit ---

@test "--load, --memfree, --memsuspend and --noswap with room to spare run every job, as GNU" {
	gnu_same 'parallel -k --load 1000 echo ::: a b; echo rc=$?
		parallel -k --load 10000% echo ::: a b; echo rc=$?
		parallel -k --memfree 1k echo ::: c d; echo rc=$?
		parallel -k --memsuspend 1k echo ::: e f; echo rc=$?
		parallel -k --noswap echo ::: g h; echo rc=$?'
}

@test "--limit with a command that exits 0 runs every job, as GNU" {
	gnu_same 'parallel -k --limit true echo ::: a b; echo rc=$?
		parallel -k --limit "exit 0" echo ::: c d; echo rc=$?'
}

@test "--limit's built-in mem, load and io tests with room to spare run every job, as GNU" {
	gnu_same 'parallel -k --limit "mem 1k" echo ::: a b; echo rc=$?
		parallel -k --limit "load 10000" echo ::: c d; echo rc=$?
		parallel -k --limit "io 100000" echo ::: e f; echo rc=$?' 2>/dev/null
}

@test "--limit exiting 1 holds the next job back until it exits 0" {
	# The limit lets the first job start, then says no until job 1 is done.
	run fanout -j2 -k --limit '[ -e done1 ] || { [ ! -e first ] && touch first; }' \
		'[ -e done1 ] && echo "{} after 1" || echo {}; sleep 0.3; touch done{}' ::: 1 2 3
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '1\n2 after 1\n3 after 1')" ]
}

@test "--limit exiting 2 kills the youngest job, which fails" {
	# GNU parallel runs the limit once per running job, so which job it
	# kills depends on timing; fanout kills the youngest, as documented.
	fanout_only
	printf '%s\n' '#!/bin/sh' 'if [ -e started2 ] && [ ! -e killed ]; then touch killed; exit 2; fi' >lim
	chmod +x lim
	run fanout -j2 -k --joblog log --limit ./lim 'touch started{}; sleep 2; echo {}' ::: 1 2 3
	[ "$status" -eq 1 ]
	[ "$output" = "$(printf '1\n3')" ]
	[ "$(tail -n +2 log | sort -n | cut -f1,2,7,8)" = "$(printf '1\t:\t0\t0\n2\t:\t-1\t15\n3\t:\t0\t0')" ]
}

@test "--limit exiting 2 with --retries runs the killed job again" {
	fanout_only
	printf '%s\n' '#!/bin/sh' 'if [ -e started2 ] && [ ! -e killed ]; then touch killed; exit 2; fi' >lim
	chmod +x lim
	run fanout -j2 -k --retries 2 --limit ./lim 'echo >> runs{}; touch started{}; sleep 1; echo {}' ::: 1 2
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '1\n2')" ]
	[ "$(wc -l <runs2)" -eq 2 ]
}
