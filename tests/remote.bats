#!/usr/bin/env bats
# Remote jobs: -S, --slf, --onall, --nonall, --env, --wd, --transferfile,
# --return, --cleanup, --basefile, and hosts that fail.
#
# Two real sshd servers on 127.0.0.1 play the hosts fohost1 and fohost2
# (see sshd.bash); PARALLEL_SSH points GNU parallel and fanout at their
# ssh config. Each host logs in to a directory of its own, printed here as
# HOST1 or HOST2. Outputs are sorted or -k where the order of jobs is free.

# Snippets are single-quoted on purpose.
# shellcheck disable=SC2016,SC2154
load helpers
load sshd

setup_file() {
	sshd_start 2
}

teardown_file() {
	sshd_stop
}

setup() {
	fanout_setup
	sshd_need
}

# Show the hosts' directories by name, so both runs compare equal.
hostnames() {
	sed "s|$SSHD_DIR/host\([0-9]\)|HOST\1|g"
}

@test "jobs run on the sshlogins with the same variables as GNU's" {
	gnu_same 'parallel -S fohost1,fohost2 -k "echo {} \$PARALLEL_SEQ \$PARALLEL_JOBSLOT; echo \$PARALLEL_SSHLOGIN \$PARALLEL_SSHHOST \$(pwd) | sed s/fo//g\;s/host1/H/g\;s/host2/H/g\;s,$SSHD_DIR/,,g" ::: a b c d'
	[[ ${lines[0]} == "a 1 1" && ${lines[1]} == "H H H" ]]
}

@test "{host} and {sshlogin} are plain text, as in GNU parallel 20221122" {
	gnu_same 'parallel -S fohost1 echo {host} {sshlogin} \$PARALLEL_JOBSLOT0 ::: a'
}

@test "values are quoted for the remote shell as GNU quotes them" {
	gnu_same 'parallel -S fohost1 -k echo ::: "a b" "c'"'"'d" "\$HOME" "x;y" "*"'
	[[ $output == *'$HOME'* ]]
}

@test "-S given twice and ncpus/ in the sshlogin spread the jobs" {
	gnu_same 'parallel -S 1/fohost1 -S 1/fohost2 "echo \$PARALLEL_SSHHOST; sleep 0.2" ::: 1 2 3 4 | cut -d" " -f1 | sort -u'
	[[ $output == *fohost1* && $output == *fohost2* ]]
}

@test "the joblog names the host of each job" {
	gnu_same 'parallel -S 1/fohost1,1/fohost2 -j1 --joblog log "echo {}; exit {}" ::: 0 2 3 >out; echo rc=$?; sort out; cut -f 1,7,9 log | sort; cut -f 2 log | sort -u'
	[[ $output == *"rc=2"* && $output == *fohost2* ]]
}

@test "an sshloginfile gives the hosts, comments and blank lines skipped" {
	gnu_same 'printf "# hosts\n\n1/fohost1\nfohost2\n" >slf; parallel --slf slf "echo \$PARALLEL_SSHLOGIN; sleep 0.2" ::: 1 2 3 4 | cut -d" " -f1 | sort -u'
}

@test "--slf .. reads ~/.parallel/sshloginfile" {
	gnu_same 'echo fohost2 >~/.parallel/sshloginfile; parallel --slf .. "echo \$PARALLEL_SSHHOST" ::: 1'
	[[ $output == "fohost2 1" ]]
}

@test ": in the sshlogins runs jobs on the local machine too" {
	gnu_same 'parallel -S 1/:,1/fohost1 -j1 "echo \$PARALLEL_SSHLOGIN; sleep 0.2" ::: 1 2 3 4 5 6 | cut -d" " -f1 | sort -u'
}

@test "--nonall runs the command once on every host" {
	gnu_same 'parallel --nonall -S fohost1,fohost2 pwd | sed "s|$SSHD_DIR||" | sort'
	[[ ${#lines[@]} == 2 ]]
}

@test "--onall runs every job on every host, --tag names the host" {
	gnu_same 'parallel --onall --tag -S fohost1,fohost2 echo ::: 1 2 | sort'
	[[ ${#lines[@]} == 4 ]]
}

@test "--onall -k keeps the hosts and the jobs in order" {
	gnu_same 'parallel --onall -k -S fohost2,fohost1 "echo {} \$PARALLEL_SSHHOST" ::: 1 2 3'
}

@test "--env sends variables and exported functions" {
	gnu_same 'myf() { echo "f $1 $V"; }; export -f myf; export V="v w"; parallel --env myf,V -S fohost1 myf ::: 1'
	[[ $output == "f 1 v w" ]]
}

@test "--wd ... runs in a temporary dir that is removed afterwards" {
	gnu_same 'parallel -S fohost2 --wd ... "pwd" ::: 1 | sed "s|$SSHD_DIR||;s|-[0-9]*-|-PID-|"; ls -A $SSHD_DIR/host2/.parallel/tmp'
	[[ $output == "/host2/.parallel/tmp/"*"-PID-1" ]]
}

@test "--wd DIR runs in that dir on the host, made when missing" {
	gnu_same 'parallel -S fohost1 --wd wdir/{} "pwd" ::: x | sed "s|$SSHD_DIR||"'
	[[ $output == /host1/wdir/x ]]
	rm -rf "$SSHD_DIR/host1/wdir"
}

@test "--trc sends the file, returns the result and removes both there" {
	gnu_same 'echo data >in1; mkdir -p d; echo more >d/in2
		parallel -S fohost1,fohost2 --trc {}.out "wc -c <{} >{}.out" ::: in1 d/in2
		find . -type f | sort; cat in1.out d/in2.out
		find $SSHD_DIR/host1 $SSHD_DIR/host2 -mindepth 1 | sed "s|$SSHD_DIR||" | sort'
	[[ $output == *"./d/in2.out"* ]]
}

@test "--transfer and --return without --cleanup leave the files there" {
	gnu_same 'echo data >t1
		parallel -S fohost1 --transfer --return {}.o "cp {} {}.o" ::: t1
		ls; ls $SSHD_DIR/host1; rm -f $SSHD_DIR/host1/t1*'
	[[ $output == *"t1.o"* ]]
}

@test "--rsync-opts gives the options of the rsync" {
	gnu_same 'echo data >r1
		parallel -S fohost1 --rsync-opts -rlDR --trc {}.o "cp {} {}.o" ::: r1
		ls; ls $SSHD_DIR/host1'
	[[ $output == *"r1.o"* ]]
}

@test "--basefile is copied to every host before the jobs, --cleanup removes it" {
	gnu_same 'echo base >bf
		parallel -S fohost1,fohost2 --bf bf --cleanup "cat bf; echo {}" ::: 1 2 | sort
		ls $SSHD_DIR/host1 $SSHD_DIR/host2 | sed "s|$SSHD_DIR||"'
	[[ $output == *base* ]]
}

@test "-M shares one connection per host" {
	fanout_only
	run fanout -M -S fohost1,fohost2 'echo {}' ::: 1 2 3
	[[ $status == 0 ]]
	[[ $(sort <<<"$output") == "$(printf '1\n2\n3')" ]]
}

@test "--filter-hosts removes a host that cannot be reached" {
	fanout_only
	run --separate-stderr fanout --filter-hosts -S fohost1,127.0.0.1:1 'echo {} $PARALLEL_SSHHOST' ::: 1 2
	[[ $status == 0 ]]
	[[ $stderr == *"Removed 127.0.0.1:1."* ]]
	[[ $(sort <<<"$output") == "$(printf '1 fohost1\n2 fohost1')" ]]
}

@test "an unparsable sshlogin is an error naming it" {
	fanout_only
	run --separate-stderr fanout -S 'ho$st' echo ::: a
	[[ $status == 255 ]]
	[[ $stderr == *"'ho\$st'"* ]]
	[[ -z $output ]]
}

@test "a missing sshloginfile is an error naming it" {
	gnu_same --stderr 'parallel --slf /nonexistent/slf echo ::: a 2>&1 | grep -c /nonexistent/slf'
	[[ $status == 255 || $output == 1 ]]
}

@test "an unreachable host: a warning naming it, and the job fails" {
	run --separate-stderr fanout -S 127.0.0.1:1 echo ::: a
	[[ $status == 1 ]]
	[[ $stderr == *"127.0.0.1:1"* ]]
}

@test "a job whose host fails is retried on the other host with --retries" {
	fanout_only
	# 127.0.0.1:1 refuses every login; fohost1 works.
	run --separate-stderr fanout --retries 3 -S 1/127.0.0.1:1,1/fohost1 'echo {} $PARALLEL_SSHHOST' ::: 1 2 3 4
	[[ $status == 0 ]]
	[[ $(sort <<<"$output") == "$(printf '1 fohost1\n2 fohost1\n3 fohost1\n4 fohost1')" ]]
}

@test "--wd works for local jobs too" {
	gnu_same 'mkdir -p base; parallel --wd base/{} pwd ::: x y | sort | sed "s|$PWD/||"; ls base'
}

@test "--tf without a remote host is ignored with a warning, as in GNU" {
	gnu_same --stderr 'parallel --tf foo echo ::: 1'
}

@test "--onall and --nonall without -S run on the local machine" {
	gnu_same 'parallel --onall echo ::: 1 2; parallel --nonall echo hi'
}

@test "an sshloginfile changed while running gives the new hosts" {
	fanout_only
	echo 1/fohost1 >slf
	touch -d '-10 seconds' slf
	(
		for _ in $(seq 1 100); do
			[[ -s $SSHD_DIR/host1/first ]] && break
			sleep 0.1
		done
		echo 1/fohost2 >slf
	) &
	run --separate-stderr fanout -j1 --slf slf "echo {} >>first; sleep 1; echo \$PARALLEL_SSHHOST" ::: 1 2 3
	wait
	rm -f "$SSHD_DIR/host1/first" "$SSHD_DIR/host2/first"
	[[ $status == 0 ]]
	[[ ${lines[0]} == fohost1 && ${lines[2]} == fohost2 ]]
}

@test "--timeout stops the job on the remote host too" {
	fanout_only
	run fanout --timeout 2 -S fohost1 'echo $$ >rpid; sleep 300' ::: 1
	[[ $status == 1 ]]
	local p gone=0
	p=$(<"$SSHD_DIR/host1/rpid")
	rm -f "$SSHD_DIR/host1/rpid"
	for _ in $(seq 1 100); do
		if ! kill -0 "$p" 2>/dev/null; then
			gone=1
			break
		fi
		sleep 0.1
	done
	[[ $gone == 1 ]]
}

@test "a remote job killed by a signal counts as failed, not as a lost host" {
	gnu_same 'parallel -S fohost1 "kill -9 \$\$" ::: 1; echo rc=$?'
}

@test "--pipe sends the blocks through ssh" {
	gnu_same 'seq 5 | parallel --pipe -N2 -k -S fohost1 "cat; echo end"'
}

# Last: it leaves fohost2 dead.
@test "--hostgroups runs each job on a host of its value's group" {
	gnu_same 'parallel --hostgroups -S @g1/fohost1 -S @g2/fohost2 -k "echo {} \$PARALLEL_SSHHOST" ::: a@g1 b@g2 c@g2 d@g1'
	[[ $output == "a fohost1
b fohost2
c fohost2
d fohost1" ]]
}

@test "--hostgroups: the first value's groups choose, every value loses its @" {
	gnu_same 'parallel --hostgroups -S @g1/fohost1,@g2/fohost2 -k "echo {1} {2} \$PARALLEL_SSHHOST" ::: a@g1 b@g2 ::: x@g2 y'
	[[ ${lines[0]} == "a x fohost1" && ${lines[3]} == "b y fohost2" ]]
}

@test "--hostgroups: several groups, or none, let a job run on any of them" {
	gnu_same 'parallel --hostgroups -S @g1/1/fohost1,@g2/1/fohost2 -k "echo {}; sleep 0.2" ::: a@g1+g2 b c@g2+g1 d'
	[[ $output == "a
b
c
d" ]]
}

@test "--hostgroups -k keeps the input order while a job waits for its group" {
	gnu_same 'parallel --hostgroups -S @g1/1/fohost1 -S @g2/1/fohost2 -k "sleep 0.1; echo {} {#} \$PARALLEL_SSHHOST" ::: a@g1 b@g1 c@g1 d@g2 e@g2 f@g1'
	[[ ${lines[3]} == "d 4 fohost2" && ${lines[5]} == "f 6 fohost1" ]]
}

@test "--hostgroups sets PARALLEL_ARGHOSTGROUPS to the value's groups" {
	gnu_same 'parallel --hostgroups -S @g1/fohost1 -k "echo {} \$PARALLEL_ARGHOSTGROUPS" ::: a@g1 b@g1+g2'
	[[ $output == "a g1
b g1+g2" ]]
}

@test "--hostgroups: a group that no host is in becomes a host of that name" {
	gnu_same 'parallel --hostgroups -S @g1/fohost1 -k "echo {} \$PARALLEL_SSHHOST" ::: a@fohost2 b@g1'
	[[ $output == "a fohost2
b fohost1" ]]
}

@test "--hostgroups with the local machine as the only host" {
	gnu_same 'parallel --hostgroups -S @g1/: -k echo ::: a@g1 b c@g1+g2; parallel --hostgroups -k echo ::: d e'
	[[ $output == "a
b
c
d
e" ]]
}

@test "--hostgroups: a job run again with --retries stays in its group" {
	# GNU parallel 20221122 does not end here: the job waits for ever.
	fanout_only
	rm -f "$SSHD_DIR"/host[12]/tries
	run fanout --hostgroups -S @g1/1/fohost1,@g2/1/fohost2 --retries 3 \
		'echo {} $PARALLEL_SSHHOST; echo x >>tries; exit 1' ::: a@g1
	[[ $status == 1 && $output == "a fohost1" ]]
	[[ $(wc -l <"$SSHD_DIR/host1/tries") == 3 && ! -e $SSHD_DIR/host2/tries ]]
}

@test "--hostgroups --dry-run shows the values without their groups" {
	gnu_same 'parallel --hostgroups -S @g1/: --dry-run echo ::: a@g1 b@g1+g2 c ::: "x y@g2"'
	[[ ${lines[0]} == "echo a 'x y'" ]]
}

@test "-S @group uses only the hosts in that group" {
	gnu_same 'parallel -S @g1/fohost1,@g2/fohost2 -S @g2 "echo \$PARALLEL_SSHHOST" ::: 1 2 3 4 | cut -d" " -f1 | sort -u'
	[[ $output == fohost2 ]]
}

@test "a host killed mid-run: its jobs finish on the other, none twice" {
	fanout_only
	local n=$SSHD_DIR/count
	: >"$n"
	# Each job records that it ran, then waits; host 2 dies while its
	# job waits, so that job is retried on host 1.
	(
		for _ in $(seq 1 100); do
			[[ -s $SSHD_DIR/host2/started ]] && break
			sleep 0.1
		done
		sshd_kill 2
	) &
	run --separate-stderr fanout --retries 3 -S 1/fohost1,1/fohost2 \
		"if [ \$PARALLEL_SSHHOST = fohost2 ]; then echo {} >>started; sleep 30; fi; echo {} >>$n; echo {}" ::: 1 2 3 4
	wait
	[[ $status == 0 ]]
	[[ $(sort <<<"$output") == "$(printf '1\n2\n3\n4')" ]]
	[[ $(sort "$n") == "$(printf '1\n2\n3\n4')" ]]
}
