#!/usr/bin/env bats
# The pipe modes that spread one input over jobs that all run at once or
# group its lines: --tee, --shard, --bin, --group-by, and --block-timeout.
#
# --shard hashes its values differently from GNU parallel (whose seeded
# hash changes from run to run), so its tests check what both promise:
# every line reaches exactly one job, and equal values meet in one job.

load helpers

# --- --tee ---

@test "--tee gives all of the input to one job per argument" {
	gnu_same 'seq 6 | parallel -k --tee --pipe "echo {}; wc -l" ::: A B C'
	[ "${#lines[@]}" -eq 6 ]
}

@test "--tee with --tag tags each job's lines with its argument" {
	gnu_same 'seq 10 | parallel -k --tee --pipe --tag "grep {}" ::: 1 2 3'
}

@test "--tee with two input sources runs one job per combination" {
	gnu_same 'seq 3 | parallel -k --tee --pipe "sed s/^/{1}{2}:/" ::: x y ::: 1 2'
}

@test "--tee passes binary data unchanged to every job" {
	head -c 300000 /dev/urandom >"$BATS_TEST_TMPDIR/data"
	want=$(sha256sum <"$BATS_TEST_TMPDIR/data" | cut -d' ' -f1)
	run fanout -k --tee --pipe 'sha256sum | cut -d" " -f1' ::: 1 2 3 \
		<"$BATS_TEST_TMPDIR/data"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n%s\n%s' "$want" "$want" "$want")" ]
}

@test "--tee with fewer job slots than arguments is an error" {
	# Not run against GNU parallel: it exits 255 too, but leaves a tee
	# process behind that waits for readers forever.
	run bash -c 'seq 6 | "$FANOUT" -j2 -k --tee --pipe "echo {}; wc -l" ::: A B C'
	[ "$status" -eq 255 ]
	[[ $output == *--tee* ]]
	[ "${#lines[@]}" -eq 1 ]
}

# --- --shard ---

@test "--shard sends every line to exactly one job" {
	run bash -c 'seq 1000 | "$FANOUT" --pipe --shard 1 -j3 cat | sort -n'
	[ "$status" -eq 0 ]
	[ "$output" = "$(seq 1000)" ]
}

@test "--shard starts -j jobs and puts equal values in the same job" {
	# Each job prints its distinct keys on one line; a key seen by two
	# jobs would show up twice.
	run bash -c 'for i in $(seq 300); do echo "k$((i % 17)),$i"; done |
		"$FANOUT" --pipe --shard 1 -j4 "cut -d, -f1 | sort -u | tr \"\\n\" \" \"; echo"'
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 4 ]
	[ "$(tr ' ' '\n' <<<"$output" | grep -c .)" -eq 17 ]
	[ "$(tr ' ' '\n' <<<"$output" | grep . | sort | uniq -d)" = "" ]
}

@test "--shard keeps the input order of the lines within each job" {
	run bash -c 'for i in $(seq 500); do echo "$((i % 5)),$i"; done |
		"$FANOUT" --pipe --shard 1 -j3 "cut -d, -f2 | sort -c -n && echo sorted"'
	[ "$status" -eq 0 ]
	[ "$(grep -c sorted <<<"$output")" -eq 3 ]
}

@test "--shard with --colsep and a column number" {
	gnu_same 'printf "a,1\nb,2\na,3\nc,4\nb,5\n" | parallel --pipe --shard 1 -C , -j2 "sort; echo --" | sort'
}

@test "--shard with a column name from the header line" {
	# The header line names the column and is not passed to the jobs.
	gnu_same 'printf "key,val\na,1\nb,2\na,3\n" | parallel --pipe --shard key -C , -j2 "cat | sort" | sort'
	[ "$output" = "$(printf 'a,1\na,3\nb,2')" ]
}

@test "--shard 0 is an error: columns count from 1" {
	fanout_only
	run bash -c 'seq 3 | "$FANOUT" --pipe --shard 0 cat'
	[ "$status" -eq 255 ]
	[[ $output == *--shard* ]]
}

# --- --bin ---

@test "--bin sends a line to the job its value names, modulo -j" {
	gnu_same 'printf "1\n2\n3\n4\n5\n6\n7\n" | parallel --pipe --bin 1 -j3 -k "echo job {#}; cat"'
}

@test "--bin takes a column name and a Perl expression" {
	gnu_same 'printf "10\n11\n12\n13\n" | parallel --pipe --bin "1 \$_%=2" -j2 -k "echo job; cat"'
	# By name, against GNU's output: GNU's own run of this one now and
	# then hangs on its internal named pipes when the machine is loaded.
	run bash -c 'printf "k,v\na,1\nb,2\na,3\n" | "$FANOUT" --pipe --bin k -j2 sort | sort'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'a,1\na,3\nb,2')" ]
}

# --- --group-by ---

@test "--group-by keeps lines with the same column value in one job" {
	gnu_same 'printf "x\t1\nx\t2\ny\t3\nx\t4\n" | parallel --pipe --group-by 1 --colsep "\t" -k "echo ==; cat"'
}

@test "--group-by cuts small blocks only where the value changes" {
	gnu_same 'printf "a 1\na 2\nb 3\nb 4\na 5\n" | parallel --pipe --group-by 1 -C " " -k --block 5 "echo ==; cat"'
}

@test "--group-by takes a Perl expression on the line" {
	gnu_same 'printf "a1\na2\nb3\nb4\n" | parallel --pipe --group-by "s/\\d//" -k "echo ==; cat"'
	gnu_same 'seq 20 | parallel --pipe --group-by "1 \$_=int(\$_/7)" -k "echo ==; cat"'
}

@test "--group-by takes a column name from the header" {
	gnu_same 'printf "k\tv\na\t1\na\t2\nb\t3\n" | parallel --pipe --group-by k -k "echo ==; cat"'
}

@test "--group-by with --pipepart cuts the file where the value changes" {
	gnu_same 'printf "a1\na2\nb3\nb4\nc5\n" > f; parallel --pipepart -a f --group-by 1 -C X -k "echo ==; cat"'
	gnu_same 'printf "A 1\nA 2\nB 3\nB 4\nC 5\n" > f; parallel --pipepart -a f --block 5 --group-by 1 -C " " -k "echo ==; cat"'
}

@test "--group-by loses no line of a large input" {
	run bash -c 'for i in $(seq 3000); do echo "$((i / 100)) $i"; done |
		"$FANOUT" --pipe --group-by 1 -C " " --block 2k -k cat | cut -d" " -f2'
	[ "$status" -eq 0 ]
	[ "$output" = "$(seq 3000)" ]
}

# --- --block-timeout ---

@test "--block-timeout passes on a partial block when the input stalls" {
	# The input stalls until the job has had the partial block before,
	# not for a time, so the blocks do not depend on the machine's load.
	# Were a partial block held until the input ended, the waits would
	# give up (after 20 s) and one job would get all three lines.
	gnu_same 'seen() {
			n=0
			until grep -qx "$2" "$1" 2>/dev/null || [ $n -ge 400 ]; do
				sleep 0.05
				n=$((n + 1))
			done
		}
		(echo a; seen part.1 a; echo b; seen part.2 b; echo c) |
			parallel --pipe --block-timeout 1 -k "cat >part.{#}; echo ==; cat part.{#}"'
	[ "$output" = "$(printf '==\na\n==\nb\n==\nc')" ]
}

@test "--block-timeout below one second is an error" {
	gnu_same 'seq 3 | parallel --pipe --block-timeout 0.5 -k cat; echo rc=$?'
	[ "$output" = "rc=255" ]
}

# --- the pipe options without --pipe ---

@test "--cat, --fifo and --group-by turn on --pipe by themselves" {
	gnu_same 'seq 3 | parallel --group-by 1 -k cat; echo rc=$?
		seq 3 | parallel --cat -k "cat {}"; echo rc=$?'
	[ "$output" = "$(printf '1\n2\n3\nrc=0\n1\n2\n3\nrc=0')" ]
}

@test "the other pipe options are ignored without --pipe, as GNU does" {
	for o in "--recend x" "--recstart x" --regexp --rrs --round-robin \
		"--shard 1" --tee "--bin 1" "--block-timeout 2"; do
		gnu_same "printf '1\n2\n' | parallel $o -k echo; echo rc=\$?"
		[ "$output" = "$(printf '1\n2\nrc=0')" ]
	done
}
