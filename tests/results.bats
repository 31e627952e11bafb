#!/usr/bin/env bats
# Output to files and decorated output: --results (directory tree, file
# name templates, CSV/TSV/JSON tables), --files, --compress and friends,
# --color, --ctag, --ctagstring, --color-failed, and -k with all of them.
#
# Tables are compared with GNU parallel's after their timing columns
# (Starttime, JobRuntime) are blanked; everything else is byte for byte.

# Snippets are single-quoted on purpose; gnu_same sets $output & co.
# shellcheck disable=SC2016,SC2154
load helpers

# A snippet that blanks the two timing columns of a CSV, TSV or JSON table.
NOTIME_CSV='sed -E "s/^([0-9]+,[^,]*,)[0-9.]+,[ 0-9.]+,/\1T,T,/"'
NOTIME_TSV='sed -E "s/^([0-9]+\t[^\t]*\t)[0-9.]+\t[ 0-9.]+\t/\1T\tT\t/"'
NOTIME_JSON='sed -E "s/\"Starttime\": [0-9.]+/\"Starttime\": T/; s/\"JobRuntime\": [0-9.]+/\"JobRuntime\": T/"'

# show_tree DIR: every path under DIR and every file's content.
SHOW_TREE='show_tree() { find "$1" | LC_ALL=C sort; find "$1" -type f | LC_ALL=C sort | while IFS= read -r f; do printf "== %s\n" "$f"; cat "$f"; echo; done; }'

# --- --results DIR ---

@test "--results DIR lays out seq, stdout and stderr per value as GNU does" {
	gnu_same "$SHOW_TREE"'
		parallel --results out -k "echo out {}; echo err {} >&2" ::: a b; echo rc=$?
		show_tree out'
	[[ $output == *"out/1/a/stdout"* ]]
}

@test "--results DIR with two sources nests one directory per source" {
	gnu_same "$SHOW_TREE"'
		parallel --results out -k echo {1}-{2} ::: a b ::: x "y z"; show_tree out'
}

@test "--results escapes /, \\ and TAB in values as GNU does" {
	gnu_same "$SHOW_TREE"'
		parallel --res out -k "echo {}" ::: "a/b" "c\\d" "$(printf "x\ty")" ""; show_tree out'
}

@test "--results prints nothing on stdout, with or without -k" {
	gnu_same 'parallel --results out -j3 "echo {}" ::: 1 2 3; echo rc=$?
		parallel --results out2 -k "echo {}; exit {}" ::: 0 1 2; echo rc=$?
		cat out2/1/*/stdout'
}

@test "--results with a name ending in / and replacement strings makes one directory per job" {
	gnu_same "$SHOW_TREE"'
		parallel --results out/{}/ -k "echo {}" ::: a b; show_tree out'
}

@test "--results with replacement strings and no / at the end names each job's stdout file" {
	gnu_same "$SHOW_TREE"'
		parallel --results out/{}.txt -k "echo {}; echo e >&2" ::: a b; show_tree out'
}

@test "--results DIR that cannot be made is an error before any job runs" {
	# GNU dies of a Perl error (status 2) at the first job.
	fanout_only
	local d
	for d in /proc/nonexistent/dir "$PWD/file/sub"; do
		: >file
		rm -f ran
		run --separate-stderr fanout --results "$d" 'touch ran' ::: 1 2
		echo "--results $d: status $status, stderr: $stderr"
		[ "$status" -eq 255 ]
		[ "${#stderr_lines[@]}" -eq 1 ]
		[[ $stderr == *"$d"* ]]
		[ ! -e ran ]
	done
}

@test "--results DIR with -u still writes the files and prints nothing, as GNU" {
	gnu_same "$SHOW_TREE"'
		parallel -u --results out -k "echo {}; echo e{} >&2" ::: a b; echo rc=$?; show_tree out'
}

@test "--results DIR with --files or --line-buffer prints each job's stdout file name, as GNU" {
	gnu_same "$SHOW_TREE"'
		parallel --files --results out -k echo ::: a b; show_tree out
		parallel --line-buffer --results out2 -k echo ::: c d; show_tree out2'
	[[ $output == "out/1/a/stdout"* ]]
}

@test "--results DIR files hold the output without --tag's tags, as GNU" {
	gnu_same 'parallel --tag --results out -k "echo {}" ::: a; cat out/1/a/stdout'
}

# --- --results tables ---

@test "--results FILE.csv writes GNU's CSV table, quoting as GNU does" {
	gnu_same 'parallel --results out.csv -k "echo {}; echo e{} >&2" ::: a "b c" "q\"x" "d,e"; echo rc=$?
		'"$NOTIME_CSV"' out.csv'
	[[ ${lines[1]} == Seq,Host,Starttime,JobRuntime,Send,Receive,Exitval,Signal,Command,V1,Stdout,Stderr ]]
}

@test "--results FILE.tsv writes GNU's TSV table" {
	gnu_same 'parallel --results out.tsv -k "echo {}; echo e >&2" ::: a "b c" "q\"x"; echo rc=$?
		'"$NOTIME_TSV"' out.tsv'
}

@test "--results FILE.json writes one JSON object per job as GNU does" {
	gnu_same 'parallel --results out.json -k "echo {}; echo e >&2" ::: a "b c" "q\"x" "$(printf "t\tu")"; echo rc=$?
		'"$NOTIME_JSON"' out.json'
}

@test "--results tables have one V column per input source" {
	gnu_same 'parallel --results out.csv -k echo ::: a b ::: c d; '"$NOTIME_CSV"' out.csv
		parallel --results out.json -k echo ::: a b ::: c d; '"$NOTIME_JSON"' out.json'
}

@test "--results -.csv writes the table to stdout" {
	gnu_same 'parallel --results -.csv -k "echo {}; exit {}" ::: 0 1 | '"$NOTIME_CSV"'; echo rc=${PIPESTATUS[0]}'
}

@test "--results FILE.csv logs failed jobs' exit values" {
	gnu_same 'parallel --results out.csv -k "echo {}; exit {}" ::: 0 3; echo rc=$?
		'"$NOTIME_CSV"' out.csv'
}

@test "--results tables hold the --tag and --ctag tags but no colour, as GNU" {
	gnu_same 'parallel --tag --results out.csv -k "echo {}; printf x; echo e >&2" ::: a "b c"
		'"$NOTIME_CSV"' out.csv | od -c
		parallel --ctag --results out.json -k "echo {}" ::: a; '"$NOTIME_JSON"' out.json | od -c'
}

@test "--results FILE.csv with --files prints the names and puts them in the table, as GNU" {
	gnu_same 'parallel --files --results out.csv -k echo ::: a b >names; xargs cat <names
		'"$NOTIME_CSV"' out.csv | sed "s|/tmp/par[^,]*\.par|NAME|"'
}

@test "--dry-run with a --results table puts the command lines in the table, as GNU" {
	gnu_same 'parallel --results out.csv --dry-run "echo {}; exit 1" ::: a "b c"; echo rc=$?
		'"$NOTIME_CSV"' out.csv
		parallel --results out.json --dry-run "echo {}" ::: a; '"$NOTIME_JSON"' out.json'
}

@test "--dry-run with --results DIR prints nothing and makes each job's seq and stderr, as GNU" {
	gnu_same 'parallel --results out --dry-run echo ::: a b; echo rc=$?
		cat out/1/a/seq out/1/b/seq; cat out/1/*/stderr | wc -c'
}

@test "--dry-run with --results DIR writes the command line to each job's stdout file" {
	# GNU makes no stdout file here, which looks like an oversight.
	fanout_only
	run fanout --results out --dry-run echo ::: a
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	[ "$(cat out/1/a/stdout)" = "echo a" ]
}

# --- --files ---

@test "--files with -k prints the names in input order and the files hold each job's output" {
	gnu_same 'parallel --files -k -j3 "sleep 0.\$((3-{})); echo {}" ::: 1 2 3 >names; echo rc=$?
		xargs cat <names; xargs rm <names'
	[ "$output" = "$(printf 'rc=0\n1\n2\n3')" ]
}

@test "--files puts the files in --tmpdir" {
	gnu_same 'mkdir td; parallel --files --tmpdir td echo ::: a b | sed "s|^td/par[^/]*\.par\$|in td|"'
	[ "$output" = "$(printf 'in td\nin td')" ]
}

# --- --compress ---

@test "--compress gives the same output as without it" {
	gnu_same 'parallel -k --compress "echo {}; echo e{} >&2; seq 1000 | head -c {}" ::: 10 100 5000 2>&1; echo rc=$?'
}

@test "--compress-program gzip and its -dc round trip the output" {
	need_cmd gzip
	gnu_same 'parallel -k --compress-program gzip "echo {}; seq 20000" ::: a b | md5sum; echo rc=$?'
}

@test "--decompress-program is what reads the compressed output back" {
	gnu_same 'parallel -k --compress-program cat --decompress-program "tr a-z A-Z" "echo {}" ::: abc def'
	[ "$output" = "$(printf 'ABC\nDEF')" ]
}

@test "--compress-program compresses the output and its -dc reads it back" {
	# GNU starts no compressor for a stream that stays empty; fanout
	# compresses both streams of every job, so only the output is compared.
	gnu_same 'printf "#!/bin/sh\necho \"x\$*\" >>\"\$HOME/used\"\nexec gzip \"\$@\"\n" >mycomp; chmod +x mycomp
		parallel -k --compress-program ./mycomp "echo {}; echo e{} >&2" ::: a b 2>&1; echo rc=$?
		grep -c "^x\$" ~/used | grep -qv "^0\$" && echo compressed
		grep -c "^x-dc\$" ~/used | grep -qv "^0\$" && echo decompressed'
	[[ $output == *compressed*decompressed* ]]
}

@test "--compress with --line-buffer prints the output plainly, as GNU" {
	gnu_same 'parallel --compress --line-buffer -k "echo {}" ::: a b 2>&1; echo rc=$?'
	[ "$output" = "$(printf 'a\nb\nrc=0')" ]
}

@test "--compress with --files or --results keeps the files compressed, as GNU" {
	gnu_same 'parallel --compress-program gzip --files -k "echo {}" ::: a b | xargs cat | gzip -dc
		parallel --compress-program gzip --results out -k "echo {}" ::: c; gzip -dc <out/1/c/stdout'
	[ "$output" = "$(printf 'a\nb\nc')" ]
}

# --- colours ---

@test "--color colours each job's lines as GNU does, byte for byte" {
	gnu_same 'parallel -k --color "echo {}; echo e{} >&2" ::: a b c d 2>&1 | od -c'
}

@test "--ctag colours the tag and the line as GNU does" {
	gnu_same 'parallel -k --ctag echo ::: a b c | od -c'
}

@test "--ctagstring takes replacement strings as --tagstring does" {
	gnu_same 'parallel -k --ctagstring "X{}-{#}" echo ::: a b | od -c'
}

@test "--color with many jobs cycles through GNU's colours" {
	gnu_same 'parallel -k --color echo ::: $(seq 300) | md5sum'
}

@test "--color-failed marks the failed jobs' output in red as GNU does" {
	gnu_same 'parallel -k --color-failed "echo {}; exit {}" ::: 0 1 2 0 | od -c; echo rc=${PIPESTATUS[0]}'
}

@test "--color with --tag and --color-failed together as GNU" {
	gnu_same 'parallel -k --color --tag --cf "echo {}; exit {}" ::: 0 1 | od -c'
}

# --- -k with the other output options ---

@test "-k orders --joblog lines, --tag output and --results files as the input" {
	gnu_same "$SHOW_TREE"'
		parallel -k -j3 --tag --joblog log --results out "sleep 0.\$((3-{})); echo {}" ::: 1 2 3; echo rc=$?
		cut -f1,2,5-9 log; show_tree out'
}

@test "-k orders the rows of a --results table as the input" {
	gnu_same 'parallel -k -j3 --results out.csv "sleep 0.\$((3-{})); echo {}" ::: 1 2 3
		'"$NOTIME_CSV"' out.csv'
}

@test "-k with --tag and --joblog - as GNU" {
	gnu_same 'parallel -k -j3 --tag --joblog - "sleep 0.\$((3-{})); echo {}" ::: 1 2 3 | cut -f1,2,5-9'
}

@test "--results DIR cuts a value too long for a directory name, as GNU" {
	gnu_same 'parallel -k --results r echo ::: "$(printf "x%.0s" $(seq 300))" a
		find r | sed "s/xxxxxxxxxx*/X/g" | sort; find r -name stdout | xargs cat | wc -c
		parallel -k --results q echo ::: "$(printf "/%.0s" $(seq 200))"
		find q -type d | awk "{print length(\$0)}"'
}

@test "-v with --files or --results writes the command line into the job's stdout file, as GNU" {
	gnu_same 'parallel -k -v --files echo ::: a b | xargs cat
		parallel -k -v --results r --files echo ::: a; cat r/1/a/stdout
		parallel -k -v --results t.csv echo ::: a; cut -d, -f7- t.csv
		parallel -k --retries 2 -v --results q "echo x; false" ::: a; cat q/1/a/stdout'
	[ "${lines[0]}" = "echo a" ]
}
