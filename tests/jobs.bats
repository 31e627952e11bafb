#!/usr/bin/env bats
# Job slots: -j N, +N, -N, N%, 0 and a file; {%} and concurrency.
#
# No test here measures time. The jobs meet at a barrier instead: job s
# waits until every job of its "wave" (jobs 1..N, N+1..2N, ...) has
# started. With N slots the barrier always opens; with fewer it never
# does (the job gives up after 10 s and records an error). Each job also
# records how many jobs are running (directories under active/), so more
# than N at once shows, and it holds its slot as directory slots/{%}, so a
# slot given to two running jobs shows.

# Snippets are single-quoted on purpose; run/gnu_same set $stderr & co.
# shellcheck disable=SC2016,SC2154
load helpers

setup() {
	fanout_setup
	cat >"$BATS_TEST_TMPDIR/job.sh" <<'EOF'
# job.sh SEQ SLOT N TOTAL
seq=$1 slot=$2 n=$3 total=$4
mkdir "slots/$slot" 2>/dev/null || echo "slot $slot given to two running jobs" >>errors
echo "$slot" >>slotlog
mkdir "active/$seq"
: >"arrived/$seq"
need=$(( (seq + n - 1) / n * n ))
[ "$need" -gt "$total" ] && need=$total
i=0
while [ "$(ls arrived | wc -l)" -lt "$need" ]; do
	i=$((i + 1))
	if [ "$i" -gt 200 ]; then
		echo "job $seq: only $(ls arrived | wc -l) of $need jobs ever ran at once" >>errors
		break
	fi
	sleep 0.05
done
ls active | wc -l >>counts
sleep 0.2
ls active | wc -l >>counts
rmdir "active/$seq"
rmdir "slots/$slot"
EOF
}

# barrier N TOTAL OPTION...: run TOTAL jobs with the options; check that
# exactly N ran at once, that {%} stayed within 1..N with no slot shared.
barrier() {
	local n=$1 total=$2
	shift 2
	mkdir -p slots active arrived
	run fanout "$@" bash "$BATS_TEST_TMPDIR/job.sh" '{#}' '{%}' "$n" "$total" ::: $(seq "$total") </dev/null
	echo "status $status; output: $output"
	[ "$status" -eq 0 ]
	if [ -e errors ]; then
		cat errors
		return 1
	fi
	[ "$(wc -l <slotlog)" -eq "$total" ]
	local max
	max=$(sort -n counts | tail -n 1)
	echo "most jobs seen running at once: $max (want $n)"
	[ "$max" -eq "$n" ]
	local bad
	bad=$(awk -v n="$n" '$1 < 1 || $1 > n' slotlog)
	echo "slots outside 1..$n: $bad"
	[ -z "$bad" ]
}

ncpus() {
	nproc
}

@test "-j1 runs one job at a time in slot 1" {
	barrier 1 4 -j1
	[ "$(sort -u slotlog)" = 1 ]
}

@test "-j2 runs two jobs at a time and never more" {
	barrier 2 6 -j2
}

@test "-j3 keeps {%} within 1..3 and never gives a slot to two running jobs" {
	barrier 3 9 -j 3
	[ "$(sort -u slotlog | tr '\n' ' ')" = "1 2 3 " ]
}

@test "-j0 runs all the jobs at once" {
	barrier 8 8 -j0
}

@test "-j +1 runs one job more than there are CPUs" {
	local n=$(($(ncpus) + 1))
	barrier "$n" $((2 * n)) -j +1
}

@test "-j -1 runs one job fewer than there are CPUs" {
	[ "$(ncpus)" -ge 2 ] || skip "needs at least 2 CPUs"
	local n=$(($(ncpus) - 1))
	barrier "$n" $((2 * n)) -j -1
}

@test "-j 50% runs half as many jobs as there are CPUs, rounded up" {
	local n=$((($(ncpus) + 1) / 2))
	barrier "$n" $((2 * n)) -j 50%
}

@test "-j 200% runs twice as many jobs as there are CPUs" {
	local n=$((2 * $(ncpus)))
	barrier "$n" "$n" -j 200%
}

@test "without -j as many jobs run at once as there are CPUs" {
	local n
	n=$(ncpus)
	barrier "$n" $((2 * n))
}

@test "-j FILE reads the number of jobs from the file" {
	echo 3 >procs
	barrier 3 6 -j procs
}

@test "-j FILE may hold +N" {
	echo +1 >procs
	local n=$(($(ncpus) + 1))
	barrier "$n" "$n" -j procs
}

@test "-j that comes to no job slot at all is an error, as in GNU" {
	gnu_same 'for j in 0% -1000 0.1% 0; do
			parallel -j "$j" "touch ran" ::: 1 2>/dev/null
			echo "$j: rc=$? $(ls)"; rm -f ran
		done
		echo -1000 >procs; parallel -j procs "touch ran" ::: 1 2>/dev/null; echo "rc=$? $(ls)"'
	[ "${lines[0]}" = "0%: rc=255 " ]
	[ "${lines[1]}" = "-1000: rc=255 " ]
}

@test "-P and --max-procs set the job limit like -j" {
	barrier 2 4 -P 2
	rm -f counts slotlog
	rm -rf arrived && mkdir arrived
	barrier 2 4 --max-procs=2
}

@test "--jobs sets the job limit like -j" {
	barrier 2 4 --jobs 2
}

@test "PARALLEL_JOBSLOT equals {%}" {
	run fanout -j3 'echo {%} $PARALLEL_JOBSLOT' ::: $(seq 12) </dev/null
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 12 ]
	local l
	for l in "${lines[@]}"; do
		[ "${l% *}" = "${l#* }" ]
	done
}

@test "many more jobs than slots all run exactly once" {
	run fanout -j3 'echo {}' ::: $(seq 60) </dev/null
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "${lines[@]}" | sort -n)" = "$(seq 60)" ]
	gnu_same 'parallel -j3 echo ::: $(seq 60) | sort -n | md5sum'
}

@test "-j1 runs the jobs in input order" {
	gnu_same 'parallel -j1 "echo {}; sleep 0.0{}" ::: 3 1 2'
	[ "$output" = "$(printf '3\n1\n2')" ]
}
