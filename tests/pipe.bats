#!/usr/bin/env bats
# The data plane: --pipe, --pipepart, --block, -N, -L, --recstart, --recend,
# --regexp, --rrs, --header, --round-robin, --cat, --fifo, -r.
#
# The differential tests only use jobs that read all of their input (GNU
# parallel's exit status is timing-dependent when a job exits early) and
# -k or sums so that the output is deterministic.

load helpers

# sha256 of stdin, the hash only.
sha() {
	sha256sum | cut -d' ' -f1
}

# --- --pipe: blocks ---

@test "--pipe gives each job a block of about 1M by default" {
	gnu_same 'seq 1000000 | parallel --pipe -k wc -c; seq 1000000 | parallel --pipe -k wc -l'
	[ "${#lines[@]}" -gt 10 ]
}

@test "--pipe cuts blocks at the last newline" {
	gnu_same 'seq 2000 | parallel --pipe --block 1000 -k "cat; echo ---"'
	# every chunk ends with a whole line
	[[ $output != *[0-9]---* ]]
	[[ $output == *$'\n'---* ]]
}

@test "--block takes the units k, K and M" {
	gnu_same 'seq 20000 > in
		for b in 10k 10K 1k 1K 0.05M 1M 1500; do
			echo "block $b"; parallel --pipe --block $b -k wc -c < in | uniq -c
		done
		seq 1000 | head -c 2048 > two
		for b in 1k 1K; do
			echo "block $b"; parallel --pipe --recend "" --block $b -k wc -c < two
		done'
	# k is 1000 and K is 1024
	[ "$(tail -n 7 <<<"$output")" = "$(printf 'block 1k\n1000\n1000\n48\nblock 1K\n1024\n1024')" ]
}

@test "--block takes GNU's larger units e, z, y, x and reads 1e as one exa" {
	gnu_same 'for b in 1e 1E 1z 1Zi 1y 1X 2Ei; do
			seq 2000 | parallel --pipe -k --block $b wc -l 2>/dev/null; echo "$b: rc=$?"
		done'
}

@test "--block 10k cuts each chunk at the last newline before 10000 bytes" {
	gnu_same 'seq 100000 | parallel --pipe --block 10k -k wc -c | sed -n 1,5p'
	[ "${lines[0]}" -le 10000 ]
	[ "${lines[0]}" -gt 9900 ]
}

@test "--block-size is the long form of --block" {
	gnu_same 'seq 50000 | parallel --pipe --block-size 20k -k md5sum'
}

@test "-k prints the output of the chunks in the input order" {
	gnu_same 'seq 200000 | parallel --pipe --block 50k -j4 -k "cat > /dev/null; sleep 0.0\$((RANDOM % 5)); echo {#}"
		seq 200000 | parallel --pipe --block 50k -j4 -k md5sum'
}

@test "without -k every chunk is still given to exactly one job" {
	gnu_same 'seq 200000 | parallel --pipe --block 30k -j4 "cat" | sort -n | md5sum
		seq 200000 | parallel --pipe --block 30k -j4 "wc -l" | awk "{s+=\$1} END {print s}"'
	[ "${lines[1]}" = 200000 ]
}

# --- -N, -L ---

@test "-N gives each job N records" {
	gnu_same 'seq 10 | parallel --pipe -N3 -k "cat; echo ---"
		seq 100000 | parallel --pipe -N 7000 -k wc -l
		seq 100 | parallel --pipe -N 1 -k wc -l | uniq -c'
	[ "${lines[0]}" = 1 ]
	[ "${lines[3]}" = --- ]
}

@test "-N with a small block still gives N records to each job" {
	gnu_same 'seq 100000 | parallel --pipe --block 1k -N 5000 -k wc -l'
}

@test "-L gives each job records of N lines" {
	gnu_same 'seq 20 | parallel --pipe -L 3 --block 20 -k "cat; echo ---"
		seq 100000 | parallel --pipe -L 7 --block 10k -k wc -l'
}

@test "-N with -L gives each job N records of L lines" {
	gnu_same 'seq 20 | parallel --pipe -N 2 -L 3 -k "cat; echo ---"
		seq 100000 | parallel --pipe -N 3 -L 1000 -k wc -l'
	[ "${lines[6]}" = --- ]
}

@test "--max-lines and --max-args are the long forms of -L and -N" {
	gnu_same 'seq 20 | parallel --pipe --max-lines 4 --block 30 -k wc -l
		seq 20 | parallel --pipe --max-args 6 -k wc -l'
}

@test "-N0 and -n0 with --pipe mean no record count: jobs get blocks" {
	gnu_same 'seq 7 | parallel --pipe -k -N0 --block 3 "echo start; cat"; echo rc=$?
		seq 7 | parallel --pipe -k -n0 "echo start; cat"; echo rc=$?'
}

# --- --recstart, --recend ---

@test "--recstart cuts before the start string" {
	gnu_same 'printf ">a\nAAA\n>b\nBB\n>c\nC\n" | parallel --pipe --recstart ">" -N1 -k "cat; echo ---"
		printf ">a\nAAA\n>b\nBB\n>c\nC\n" | parallel --pipe --recstart ">" -N2 -k "cat; echo ---"
		for i in $(seq 3000); do printf ">seq%d\nACGT%d\nTTTT\n" $i $i; done > fa
		parallel --pipe --recstart ">" --block 10k -k "awk \"NR == 1; END {print NR}\"" < fa'
	[ "${lines[0]}" = ">a" ]
	[ "${lines[2]}" = --- ]
}

@test "--recend cuts after the end string" {
	gnu_same 'printf "a;b;c;" | parallel --pipe --recend ";" -N1 -k "cat; echo"
		printf "a;b;c;d" | parallel --pipe --recend ";" -N2 -k "cat; echo"
		seq 5000 | tr "\n" ";" | parallel --pipe --recend ";" --block 1k -k "wc -c; tail -c 6; echo"'
	[ "${lines[0]}" = "a;" ]
}

@test "--recend and --recstart together must both match at the cut" {
	gnu_same 'printf "x\n>a\n>b\nx\n>c\n" | parallel --pipe --recend "x\n" --recstart ">" -N1 -k "cat; echo ---"
		for i in $(seq 2000); do printf "END\nSTART %d\nbody START END\n" $i; done |
			parallel --pipe --recend "END\n" --recstart "START" --block 5k -k "awk \"NR <= 1; END {print NR}\""'
}

@test "--recend understands the escapes \\n and \\0" {
	gnu_same 'printf "a\0b\0c\0" | parallel --pipe --recend "\0" -N1 -k "od -c"
		printf "a\nb\nc\n" | parallel --pipe --recend "\n" -N2 -k "cat; echo ---"
		printf "a\tb\tc\t" | parallel --pipe --recend "\t" -N1 -k "od -c"
		seq 3000 | tr "\n" "\0" | parallel --pipe --recend "\0" --block 1k -k "wc -c; tail -c 5 | od -c"'
	[[ $output == *'a  \0'* ]]
}

@test "--recend '' cuts anywhere, exactly at the block size" {
	gnu_same 'seq 10000 | parallel --pipe --recend "" --block 1000 -k wc -c | sort | uniq -c
		seq 10000 | parallel --pipe --recend "" --block 1000 -k cat | md5sum'
	[ "${lines[0]}" = "     48 1000" ]
}

@test "--regexp makes --recstart and --recend regular expressions" {
	gnu_same 'printf "r1\nx\nR2\ny\nr3\nz\n" | parallel --pipe --regexp --recstart "[rR][0-9]" -N1 -k "cat; echo ---"
		printf "a;b,c.d;" | parallel --pipe --regexp --recend "[;,.]" -N1 -k "cat; echo"
		printf "a1\nb22\nc333\n" | parallel --pipe --regexp --recend "[0-9]+\n" -N2 -k "cat; echo ---"'
	[ "${lines[0]}" = r1 ]
}

@test "--regexp without -N cuts at the last match in the block" {
	gnu_same 'for i in $(seq 5000); do printf "Record %d\nline\nline2\n" $i; done > in
		parallel --pipe --regexp --recstart "Rec[a-z]+ [0-9]+\n" --block 10k -k "awk \"NR <= 1; END {print NR}\"" < in
		parallel --pipe --regexp --recend "line2?\n" --recstart "Record" --block 7k -k md5sum < in'
}

@test "--rrs removes the record separators" {
	gnu_same 'printf "a;b;c;" | parallel --pipe --recend ";" --rrs -N1 -k "cat; echo"
		printf ">a\nAAA\n>b\nBB\n" | parallel --pipe --recstart ">" --rrs -N1 -k "cat; echo ---"
		printf "x\n>a\nx\n>b\nx\n" | parallel --pipe --recend "x\n" --recstart ">" --rrs -N1 -k "cat; echo ---"
		printf "a1b22c333" | parallel --pipe --regexp --recend "[0-9]+" --rrs -N1 -k "cat; echo"
		seq 100 | parallel --pipe --rrs -N10 -k "cat; echo"'
	[ "${lines[0]}" = a ]
}

@test "--regexp with --recstart keeps an empty --recend empty, as GNU does" {
	gnu_same 'printf "x1y1z" | parallel --pipe -k -N1 --regexp --recstart y --rrs "cat; echo"
		printf "x1y1z" | parallel --pipe -k -N1 --regexp --recstart y --recend "" --rrs "cat; echo"
		seq 30 | parallel --pipe -k --block 10 --regexp --recstart "[13]" --recend "" "cat; echo"'
}

@test "a block that --rrs leaves empty starts no job, as in GNU" {
	gnu_same 'printf "x1y1z" | parallel --pipe -k -N1 --regexp --recstart "[yz]" --recend "" --rrs "echo j{#}; cat; echo"; echo rc=$?
		printf "x1y1z" | parallel --pipe -k -N2 --regexp --recend "" --rrs "echo j{#}; cat; echo"; echo rc=$?'
}

@test "--remove-rec-sep is the long form of --rrs" {
	gnu_same 'printf "a;b;c;" | parallel --pipe --recend ";" --remove-rec-sep -N2 -k "cat; echo"'
}

# --- --header ---

@test "--header : prepends the first line to every chunk" {
	gnu_same '(echo "name value"; seq 10) | parallel --pipe --header : -N3 -k "cat; echo ---"
		(echo "name value"; seq 100000) | parallel --pipe --header : --block 50k -k "awk \"NR <= 2; END {print NR}\""'
	[ "${lines[0]}" = "name value" ]
	[ "${lines[1]}" = 1 ]
}

@test "--header N prepends the first N lines to every chunk" {
	gnu_same '(echo h1; echo h2; seq 10) | parallel --pipe --header 2 -N4 -k "cat; echo ---"
		(echo h1; echo h2; echo h3; seq 50000) | parallel --pipe --header 3 --block 30k -k "awk \"NR <= 4; END {print NR}\""'
	[ "${lines[0]}" = h1 ]
	[ "${lines[1]}" = h2 ]
	[ "${lines[2]}" = 1 ]
}

@test "--header takes a regexp and prepends what it matches" {
	gnu_same '(echo "#c1"; echo "#c2"; seq 10) | parallel --pipe --header "(#.*\n)*" -N4 -k "cat; echo ---"
		(echo "## x"; seq 10) | parallel --pipe --header "##.*?\n" -N5 -k "cat; echo ---"'
	[ "${lines[0]}" = "#c1" ]
	[ "${lines[1]}" = "#c2" ]
	[ "${lines[2]}" = 1 ]
}

@test "--header with --pipepart prepends the header to every part" {
	gnu_same '(echo "name value"; seq 10000) > f
		parallel --pipepart -a f --header : --block 10k -k "awk \"NR <= 2; END {print NR}\""
		(echo h1; echo h2; seq 10000) > g
		parallel --pipepart -a g --header 2 --block 5k -k "awk \"NR <= 3; END {print NR}\""
		(echo "#a"; echo "#b"; seq 10000) > h
		parallel --pipepart -a h --header "(#.*\n)*" --block 8k -k md5sum'
	[ "${lines[0]}" = "name value" ]
}

# --- --pipepart ---

@test "--pipepart with --block splits the file into parts of that size" {
	gnu_same 'seq 100000 > f
		parallel --pipepart -a f --block 100k -k wc -l
		parallel --pipepart -a f --block 10K -k md5sum
		parallel --pipepart -a f --block 1M -k "wc -c"'
}

@test "--pipepart with --block -1 gives one part per job slot" {
	gnu_same 'seq 100000 > f
		parallel --pipepart -a f --block -1 -j2 -k wc -l
		parallel --pipepart -a f --block -1 -j3 -k "wc -c"'
	[ "${#lines[@]}" = 5 ]
}

@test "--pipepart with --block -3 gives three parts per job slot" {
	gnu_same 'seq 100000 > f
		parallel --pipepart -a f --block -3 -j2 -k wc -l
		parallel --pipepart -a f --block -3 -j4 -k md5sum'
	[ "${#lines[@]}" = 18 ]
}

@test "--pipepart by default gives ten parts per job slot" {
	gnu_same 'seq 100000 > f
		parallel --pipepart -a f -j2 -k wc -l
		parallel --pipepart -a f -j3 -k wc -c'
	[ "${#lines[@]}" = 50 ]
}

@test "--pipepart reads the file given with ::::" {
	gnu_same 'seq 30000 > f; parallel --pipepart --block 20k -k wc -l :::: f'
}

@test "--pipepart with --round-robin gives one part per job slot" {
	gnu_same 'seq 100000 > f
		parallel --pipepart -a f --round-robin -j3 -k wc -l
		parallel --pipepart -a f --round-robin -j2 -k md5sum'
	[ "${#lines[@]}" = 5 ]
}

@test "--pipepart honours --recend and --recstart" {
	gnu_same 'for i in $(seq 3000); do printf ">s%d\nACGT\n" $i; done > fa
		parallel --pipepart -a fa --recstart ">" --block 5k -k "awk \"NR <= 1; END {print NR}\""
		seq 20000 | tr "\n" ";" > sc
		parallel --pipepart -a sc --recend ";" --block -2 -j2 -k "wc -c; tail -c 6; echo"'
}

# --- --cat, --fifo, {} ---

@test "--cat gives the chunk as a file named by {}" {
	gnu_same 'seq 100000 | parallel --pipe --block 100k --cat -k "wc -l < {}"
		seq 100000 > f; parallel --pipepart -a f --block 100k --cat -k "wc -l < {}"'
}

@test "--fifo gives the chunk as a named pipe named by {}" {
	gnu_same 'seq 100000 | parallel --pipe --block 100k --fifo -k "wc -l < {}"
		seq 100000 > f; parallel --pipepart -a f --block 100k --fifo -k "wc -l < {}"'
}

@test "--cat and --fifo show {} as \$PARALLEL_TMP in -v, --dry-run and the joblog, as GNU does" {
	gnu_same 'seq 3 | parallel -j1 --pipe -N1 --cat --joblog log -v "wc -l < {}"; echo rc=$?; cut -f9 log
		seq 3 | parallel -j1 --pipe -N1 --fifo --dry-run "cat {}; exit 3"
		seq 3 | parallel -j1 -k --pipe -N1 --fifo wc -l {} | cut -c1-7'
}

@test "--joblog Send counts the block given with --cat or --fifo" {
	gnu_same 'for o in --cat --fifo; do
			seq 3 | parallel -j1 --pipe -N1 $o --joblog log "cat {}; exit 3"; echo rc=$?; cut -f1,5,6,7 log
		done'
}

@test "the --cat file is removed after the job" {
	gnu_same 'seq 1000 | parallel --pipe -N 300 --cat -k "wc -l < {}; echo {} > name{#}"
		for f in name*; do [ -e "$(cat "$f")" ] && echo "left: $f"; done; echo done'
}

@test "{} expands to nothing with --pipe and no argument is appended" {
	gnu_same 'seq 10 | parallel --pipe -N4 -k "cat > /dev/null; echo x{}y"
		seq 10 | parallel --pipe -N4 -k "wc -l" 
		seq 10 | parallel --pipe -N4 -k cat'
	[ "${lines[0]}" = xy ]
	[ "${lines[3]}" = 4 ]
}

# --- edge cases ---

@test "empty input runs no job" {
	gnu_same 'parallel --pipe "echo ran; cat" < /dev/null; echo "status $?"
		printf "" | parallel --pipe -N1 "echo ran; cat"; echo "status $?"
		: > empty; parallel --pipepart -a empty "echo ran; cat"; echo "status $?"'
	[ "$output" = "$(printf 'status 0\nstatus 0\nstatus 0')" ]
}

@test "input without a final newline keeps its last partial line" {
	gnu_same 'printf "1\n2\n3" | parallel --pipe -N2 -k "cat; echo ---"
		printf "1\n2\n3" | parallel --pipe --block 3 -k "cat; echo ---"
		seq 10000 | head -c 20000 | parallel --pipe --block 3k -k md5sum
		seq 10000 | head -c 20000 > f; parallel --pipepart -a f --block 3k -k md5sum'
	[ "${lines[2]}" = --- ]
	[ "${lines[3]}" = 3--- ]
}

@test "-r drops blank lines from the chunks" {
	gnu_same 'printf "a\n\nb\n\n\nc\n" | parallel --pipe -r -k "cat; echo ---"
		printf "a\n\nb\n\n\nc\n" | parallel --pipe -r -N1 -k "cat; echo ---"'
}

@test "a record longer than the block is given whole to one job" {
	# GNU warns on stderr in its own words; compare stdout only.
	gnu_same '(seq 3; head -c 5000 /dev/zero | tr "\0" x; echo; seq 5) | parallel --pipe --block 1k -k wc -c
		(seq 3; head -c 50000 /dev/zero | tr "\0" y; echo; seq 1000) | parallel --pipe --block 1k -k "wc -c"
		(printf ">a\n"; head -c 30000 /dev/zero | tr "\0" z; printf "\n>b\nshort\n") | parallel --pipe --recstart ">" --block 2k -k "wc -c"
		(seq 3; head -c 5000 /dev/zero | tr "\0" x; echo; seq 500) > f; parallel --pipepart -a f --block 1k -k "wc -c"'
	[ "${lines[0]}" = 6 ]
	[ "${lines[1]}" -ge 5001 ]
}

@test "a record longer than the block warns on stderr" {
	run -0 --separate-stderr fanout --pipe --block 1k -k 'wc -c' < <(head -c 5000 /dev/zero | tr '\0' x; echo)
	[ "$output" = 5001 ]
	[ -n "$stderr" ]
}

# --- integrity: the chunks are the input, byte for byte ---

@test "with -k the output of cat jobs is the input for several block sizes" {
	seq 150000 > in
	want=$(sha <in)
	for b in 3k 10k 64k 1M 10M; do
		got=$(fanout --pipe --block "$b" -k cat <in 2>/dev/null | sha)
		[ "$got" = "$want" ] || { echo "--block $b differs"; false; }
	done
	for n in 1000 33333; do
		got=$(fanout --pipe -N "$n" -k cat <in | sha)
		[ "$got" = "$want" ] || { echo "-N $n differs"; false; }
	done
	# tiny blocks and single records on a smaller input
	seq 2000 > small
	want=$(sha <small)
	for b in 1 5 700; do
		got=$(fanout --pipe --block "$b" -k cat <small 2>/dev/null | sha)
		[ "$got" = "$want" ] || { echo "--block $b differs"; false; }
	done
	got=$(fanout --pipe -N 1 -k cat <small | sha)
	[ "$got" = "$want" ]
}

@test "with -k the output of cat jobs is the input for --pipepart" {
	seq 150000 > in
	want=$(sha <in)
	for b in 1k 10k 100k 1M -1 -3; do
		got=$(fanout --pipepart -a in --block "$b" -j3 -k cat | sha)
		[ "$got" = "$want" ] || { echo "--block $b differs"; false; }
	done
	got=$(fanout --pipepart -a in -k cat | sha)
	[ "$got" = "$want" ]
	got=$(fanout --pipepart -a in --round-robin -j3 -k cat | sha)
	[ "$got" = "$want" ]
}

@test "records spanning block borders come through whole" {
	# lines of 1 to 6000 bytes cross the 4k block borders, some are longer
	awk 'BEGIN { srand(7); for (i = 0; i < 800; i++) { n = int(rand() * 6000) + 1; s = sprintf("%" n "s", ""); gsub(/ /, "x", s); print i ":" s } }' > in
	want=$(sha <in)
	got=$(fanout --pipe --block 4k -k cat <in 2>/dev/null | sha)
	[ "$got" = "$want" ]
	got=$(fanout --pipepart -a in --block 4k -k cat 2>/dev/null | sha)
	[ "$got" = "$want" ]
	# and each job gets whole lines only
	fanout --pipe --block 4k -k 'cat; echo ---' <in 2>/dev/null > out
	run grep -c -v -E '^([0-9]+:x+|---)$' out
	[ "$output" = 0 ]
	[ "$(grep -c -x -- --- out)" -gt 100 ]
}

@test "input without a final newline comes through byte for byte" {
	seq 100000 | head -c 345678 > in
	want=$(sha <in)
	for b in 1k 10k 1M; do
		got=$(fanout --pipe --block "$b" -k cat <in | sha)
		[ "$got" = "$want" ]
		got=$(fanout --pipepart -a in --block "$b" -k cat | sha)
		[ "$got" = "$want" ]
	done
}

@test "empty input gives empty output" {
	run -0 fanout --pipe -k cat </dev/null
	[ -z "$output" ]
	: > empty
	run -0 fanout --pipepart -a empty -k cat
	[ -z "$output" ]
}

@test "binary data with NUL bytes comes through with --recend ''" {
	head -c 3000000 /dev/urandom > in
	want=$(sha <in)
	got=$(fanout --pipe --recend '' --block 100k -k cat <in | sha)
	[ "$got" = "$want" ]
	got=$(fanout --pipepart -a in --recend '' --block 100k -k cat | sha)
	[ "$got" = "$want" ]
}

@test "binary data with NUL bytes comes through with the default newline" {
	head -c 3000000 /dev/urandom > in
	want=$(sha <in)
	got=$(fanout --pipe --block 100k -k cat <in 2>/dev/null | sha)
	[ "$got" = "$want" ]
	got=$(fanout --pipepart -a in --block 100k -k cat 2>/dev/null | sha)
	[ "$got" = "$want" ]
	got=$(fanout --pipe --recend '\0' --block 100k -k cat <in 2>/dev/null | sha)
	[ "$got" = "$want" ]
}

@test "200 MB streamed through --pipe --block 1M -j4 -k cat come out unchanged" {
	want=$(seq 23000000 | sha)
	got=$(seq 23000000 | fanout --pipe --block 1M -j4 -k cat | sha)
	[ "$got" = "$want" ]
}

# --- --round-robin ---

@test "--round-robin gives every line to exactly one job" {
	seq 200000 > in
	run -0 bash -c '"$FANOUT" --pipe --round-robin -j3 --block 10k cat < in | sort -n | sha256sum'
	[ "$output" = "$(sort -n in | sha256sum)" ]
	run -0 bash -c '"$FANOUT" --pipe --round-robin -j3 --block 10k "wc -l" < in | awk "{s += \$1} END {print s}"'
	[ "$output" = 200000 ]
}

@test "--round-robin starts at most -j jobs" {
	seq 200000 > in
	run -0 bash -c '"$FANOUT" --pipe --round-robin -j3 --block 10k "echo START; cat" < in'
	n=$(grep -c '^START$' <<<"$output")
	[ "$n" -ge 1 ]
	[ "$n" -le 3 ]
	[ "$(grep -v '^START$' <<<"$output" | sort -n | sha256sum)" = "$(sha256sum <in)" ]
}

@test "--round-robin with --header gives the header once to each job" {
	(echo HEAD; seq 100000) > in
	run -0 bash -c '"$FANOUT" --pipe --round-robin -j2 --block 10k --header 1 "echo START; cat" < in'
	s=$(grep -c '^START$' <<<"$output")
	h=$(grep -c '^HEAD$' <<<"$output")
	[ "$s" -ge 1 ] && [ "$s" -le 2 ]
	[ "$h" = "$s" ]
	[ "$(grep -v -e '^START$' -e '^HEAD$' <<<"$output" | sort -n | sha256sum)" = "$(seq 100000 | sha256sum)" ]
}

@test "--round-robin matches GNU parallel in line count and content" {
	gnu_same 'seq 100000 | parallel --pipe --round-robin -j3 --block 10k "wc -l" | awk "{s+=\$1} END {print s}"
		seq 100000 | parallel --pipe --round-robin -j3 --block 10k cat | sort -n | md5sum'
	[ "${lines[0]}" = 100000 ]
}

# --- the seed pipeline: a file list copied by cpio in parallel ---

make_tree() {
	local d i j
	mkdir -p src
	for i in $(seq 1 8); do
		for j in $(seq 1 6); do
			d="src/dir $i/sub $j"
			mkdir -p "$d/deep er"
			for k in 1 2 3 4; do
				printf 'file %s %s %s\n' "$i" "$j" "$k" > "$d/f $k.txt"
			done
			seq "$((i * j * 100))" > "$d/deep er/numbers $i-$j"
			head -c $((i * 1000 + j)) /dev/urandom > "$d/deep er/bin$i$j"
		done
	done
}

@test "cpio copies a tree in parallel from a find list with --pipepart --round-robin" {
	need_cmd cpio
	make_tree
	[ "$(find src -type f | wc -l)" -ge 250 ]
	(cd src && find . -type f) > list
	mkdir -p dest
	(cd src && "$FANOUT" -j 4 --pipepart --round-robin --block 1M -a ../list "cpio -pdm $BATS_TEST_TMPDIR/work/dest 2>/dev/null")
	diff -r src dest
}

@test "cpio copies a tree in parallel from a NUL list made by fpart" {
	need_cmd cpio fpart
	make_tree
	(cd src && fpart -n 1 -0 -o ../list .) >/dev/null
	[ -s list.1 ]
	mkdir -p dest
	(cd src && "$FANOUT" -j 4 --pipepart --round-robin --recend '\0' --block 1M -a ../list.1 "cpio -0pdm $BATS_TEST_TMPDIR/work/dest 2>/dev/null")
	diff -r src dest
}

@test "cpio copies a tree in parallel from a list on stdin with --pipe" {
	need_cmd cpio
	make_tree
	mkdir -p dest
	(cd src && find . -type f -print0 | "$FANOUT" -j 4 --pipe --recend '\0' --block 2k "cpio -0pdm $BATS_TEST_TMPDIR/work/dest 2>/dev/null")
	diff -r src dest
}

# --- bad input ---

# bad_usage ARGS...: fanout exits 255 with one line on stderr and runs no
# job (the job would create the file "ran").
bad_usage() {
	run --separate-stderr timeout -k 2 20 "$FANOUT" "$@"
	[ "$status" = 255 ] || { echo "exit status $status, expected 255"; return 1; }
	[ -z "$output" ] || { echo "stdout: $output"; return 1; }
	[ "${#stderr_lines[@]}" = 1 ] || { echo "stderr: $stderr"; return 1; }
	[ ! -e ran ] || { echo "a job ran"; return 1; }
}

@test "--pipepart with stdin instead of a file is an error" {
	# GNU parallel silently runs no job and exits 0
	fanout_only
	seq 10 > in
	bad_usage --pipepart 'touch ran; cat' <in
}

@test "--pipepart with a pipe as the file is an error" {
	bad_usage --pipepart -a <(seq 10) 'touch ran; cat'
	mkfifo fifo
	# hold the fifo open read-write so that opening it never blocks
	exec 5<>fifo
	seq 10 >&5
	bad_usage --pipepart -a fifo 'touch ran; cat'
	exec 5>&-
}

@test "--pipepart with a missing file is an error" {
	bad_usage --pipepart -a no-such-file 'touch ran; cat'
}

@test "--retries with --pipe gives a failed job its block again" {
	gnu_same 'seq 3 | parallel -j1 -k --pipe -N1 --retries 3 --joblog log "echo x; cat; test -e f{#} || { touch f{#}; exit 1; }"; echo rc=$?
		cut -f1,5,7 log
		seq 100000 | parallel -j2 -k --pipe --block 100k --retries 2 "md5sum; test -e g{#} || { touch g{#}; exit 1; }"; echo rc=$?
		seq 3 | parallel -j1 -k --pipe -N1 --retries 2 "cat; exit 1"; echo rc=$?'
}

@test "--retries with --pipepart gives a failed job its part again" {
	# GNU parallel 20221122 gives the second try no input at all
	seq 6 >in
	run fanout -j2 -k --pipepart -a in --block 4 --retries 3 \
		'cat; n=$(cat c{#} 2>/dev/null || echo 0); echo $((n+1)) > c{#}; [ $n -ge {#} ]'
	[ "$status" -eq 0 ]
	[ "$output" = "$(seq 6)" ]
	[ "$(cat c1 c2)" = "$(printf '2\n3')" ]
}

@test "--resume with --pipe skips the blocks of the jobs already done" {
	gnu_same 'seq 3 | parallel -j1 --joblog log --pipe -N1 cat
		seq 5 | parallel -j1 -k --resume --joblog log --pipe -N1 "echo {#}; cat"; echo rc=$?; cut -f1,7,9 log
		seq 4 | parallel -j1 --joblog log2 --pipe -N1 "exit \$((\$(cat) % 2))"
		seq 6 | parallel -j1 -k --resume-failed --joblog log2 --pipe -N1 "echo {#}; cat"; echo rc=$?'
}

@test "--resume with --pipepart skips the parts of the jobs already done" {
	# GNU parallel 20221122 gives the later jobs the first parts again
	seq 3 >f
	fanout -j1 --joblog log --pipepart -a f --block 1 cat >/dev/null
	seq 5 >f
	run fanout -j1 -k --resume --joblog log --pipepart -a f --block 1 'echo {#}; cat'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '4\n4\n5\n5')" ]
}

@test "--pipepart with -N, -L or -l is an error, as in GNU" {
	gnu_same 'seq 10 > f
		for o in -N3 -N0 -L3 -L0 -l3 --max-lines=2; do
			parallel --pipepart -a f $o "touch ran; cat" 2>/dev/null
			echo "$o: rc=$? $(ls)"
		done'
}

@test "--pipe with --eta, --bar, --shuf or --halt N% is an error, as in GNU" {
	gnu_same 'for o in --eta --bar --shuf "--halt now,fail=50%" "--halt 10%" "--total-jobs 3 --eta"; do
			seq 10 | parallel --pipe $o "touch ran; cat" 2>/dev/null; echo "$o: rc=$? $(ls)"
		done
		seq 10 | parallel --pipe --tee --shuf "cat | wc -l" ::: 1; echo rc=$?
		seq 10 >f; parallel --pipepart -a f --shuf -k cat | wc -l; echo rc=$?'
}

@test "--retries with --round-robin is an error, as in GNU" {
	gnu_same 'seq 10 | parallel --pipe --round-robin --retries 2 "touch ran; cat"; echo "rc=$? $(ls)"
		parallel --round-robin --retries 1 "touch {}" ::: ran 2>/dev/null; echo "rc=$? $(ls)"'
}

@test "--block x is an error" {
	seq 10 > in
	bad_usage --pipe --block x 'touch ran; cat' <in
}

@test "--block 0 is an error" {
	# GNU parallel warns and grows the block
	fanout_only
	seq 10 > in
	bad_usage --pipe --block 0 'touch ran; cat' <in
}

@test "--cat with --fifo is an error" {
	seq 10 > in
	bad_usage --pipe --cat --fifo 'touch ran; cat {}' <in
}

# --- memory ---

@test "memory stays flat while 300 MB go through --pipe" {
	not_instrumented
	local kb
	if [[ -x /usr/bin/time ]] && /usr/bin/time -f %M true 2>/dev/null >/dev/null; then
		kb=$(head -c 300000000 /dev/zero | tr '\0' 'a' | fold -w 100 |
			/usr/bin/time -f %M -o rss "$FANOUT" --pipe --block 1M -j2 'wc -c' >/dev/null && tail -n 1 rss)
	else
		[[ -r /proc/self/status ]] || skip "neither /usr/bin/time nor /proc"
		kb=$(head -c 300000000 /dev/zero | tr '\0' 'a' | fold -w 100 |
			bash -c '"$FANOUT" --pipe --block 1M -j2 "wc -c" >/dev/null & p=$!; m=0
				while v=$(awk "/^VmHWM/ {print \$2}" /proc/$p/status 2>/dev/null) && [ -n "$v" ]; do m=$v; sleep 0.05; done
				wait $p && echo $m')
	fi
	[[ $kb =~ ^[0-9]+$ ]] || skip "could not measure the peak RSS"
	echo "peak RSS $kb KiB"
	[ "$kb" -lt 40960 ]
}
