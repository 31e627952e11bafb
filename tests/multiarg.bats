#!/usr/bin/env bats
# Several arguments per job: -n, -N, -X, -m, --xargs, -L, -l, -s,
# --show-limits, --max-line-length-allowed, -x; context replacement.

# Snippets are single-quoted on purpose; run/gnu_same set $stderr & co.
# shellcheck disable=SC2016,SC2154
load helpers

# A file of every shell metacharacter, one value a line.
meta_lines() {
	printf '%s\n' 'a b' '$HOME' '`id`' '"q"' "'s'" 'x;y' 'a|b' 'a&b' \
		'(p)' '{c}' '[g]' '*' '?' '~' '#h' '!' 'a\b' '<r>' 'tab	x' \
		'-n' '--' '{}' ':::' >meta
}

@test "-X puts as many arguments as fit in one job" {
	gnu_same 'seq 10 | parallel -j1 -X echo'
	[ "$output" = "1 2 3 4 5 6 7 8 9 10" ]
}

@test "-X spreads the last arguments evenly over the job slots" {
	gnu_same 'seq 10 | parallel -k -j2 -X echo'
	[ "${lines[0]}" = "1 2 3 4 5" ]
	[ "${lines[1]}" = "6 7 8 9 10" ]
	gnu_same 'seq 10 | parallel -k -j3 -X echo'
}

@test "-X repeats the word around {} for each argument" {
	gnu_same 'parallel -k -j1 -X echo x{}y ::: a b c'
	[ "$output" = "xay xby xcy" ]
}

@test "-m puts the arguments inside one word around {}" {
	gnu_same 'parallel -k -j1 -m echo x{}y ::: a b c'
	[ "$output" = "xa b cy" ]
	gnu_same 'seq 10 | parallel -j3 -k -m echo x{}y'
}

@test "-X inserts a positional replacement string once per job" {
	gnu_same 'parallel -k -j1 -X --dry-run echo x{}y {1}z {-1} ::: a b "c d"'
	gnu_same 'parallel -k -X --dry-run echo x{}y {1}z ::: a b "c d"'
}

@test "-X with several replacement strings in one word" {
	gnu_same 'parallel -k -j1 -X --dry-run echo {}x{} {.}/{/} ::: a.b/c.d e.f/g'
	gnu_same 'parallel -k -j1 -m --dry-run echo {}x{} {.}/{/} ::: a.b/c.d e.f/g'
}

@test "-X with {#} and {} in the same word" {
	gnu_same 'parallel -k -j2 -X echo {#}:{} ::: a b c d e'
}

@test "-X with a replacement string inside quotes in the command" {
	gnu_same 'parallel -k -j1 -X --dry-run echo "'"'"'x{}y'"'"'" ::: a "b c"'
	gnu_same 'parallel -k -j1 -X echo '"'"'"x{}y"'"'"' ::: a "b c"'
}

@test "-X with the replacement string as the command word" {
	gnu_same 'parallel -k -j1 -X --dry-run {} ::: echo a b'
	gnu_same 'parallel -k -j1 -X {} ::: echo a "b  c"'
}

@test "-X with -q quotes each repeated group" {
	gnu_same 'parallel -k -j1 -q -X --dry-run echo "p x{}y q" ::: a b'
	gnu_same 'parallel -k -j1 -q -X showargs "p x{}y q" ::: a b "c d"'
}

@test "-X with several input sources repeats each whole set" {
	gnu_same 'parallel -k -j1 -X echo {} ::: a b c ::: 1 2'
	gnu_same 'parallel -k -j1 -X echo x{2}{1}y ::: a b c ::: 1 2'
	gnu_same 'parallel -k -j1 -m echo x{2}{1}y ::: a b c ::: 1 2'
	gnu_same 'parallel -k -j1 -X --link echo {}-{2} ::: a b c ::: 1 2'
}

@test "-X passes every shell metacharacter through to the job" {
	meta_lines
	gnu_same 'parallel -k -j1 -X -a ../meta printf "[%s]\n"'
	gnu_same 'parallel -k -j1 -X -a ../meta printf "[%s]\n" x{}y'
	gnu_same 'parallel -k -j1 -m -a ../meta printf "[%s]\n" x{}y'
	gnu_same 'parallel -k -N3 -q -a ../meta printf "[%s]\n" x{}y'
}

@test "-X keeps empty arguments" {
	gnu_same 'printf "\n\na\n\n" | parallel -k -j1 -X printf "[%s]\n"'
	gnu_same 'parallel -k -j1 -X showargs x{}y ::: "" a ""'
	gnu_same 'parallel -k -j1 -m --dry-run echo {} ::: "" a ""'
}

@test "-X keeps newlines inside arguments read with -0" {
	gnu_same 'printf "a\nb\0c\0\nd\0" | parallel -0 -k -j1 -X printf "[%s]\n"'
	gnu_same 'printf "a\nb\0c\0\nd\0" | parallel -0 -k -j1 -X printf "[%s]\n" x{}y'
}

@test "-X passes invalid UTF-8 bytes unchanged" {
	gnu_same 'printf "\xff\xfe\n\xc3\x28\nok\n" | parallel -k -j1 -X printf "[%s]\n" | od -c'
}

@test "an argument of 1 MiB is too long for any command line" {
	gnu_same 'head -c 1048576 /dev/zero | tr "\0" a | parallel echo | wc -c'
	[ "$status" -eq 0 ]
	gnu_same 'head -c 1048576 /dev/zero | tr "\0" a | parallel -X echo'
	[ "$status" -eq 255 ]
	[[ $stderr == *"Command line too long"* ]]
}

@test "100000 arguments with -X make the same jobs as GNU parallel" {
	gnu_same 'seq 100000 | parallel -k -j2 -X echo | md5sum'
	gnu_same 'seq 100000 | parallel -k -j2 -X echo | wc -l'
	gnu_same 'seq 100000 | sed "s/\$/ x/" | parallel -k -j2 -X echo a{}b | md5sum'
}

@test "100000 arguments with -m and --xargs make the same jobs too" {
	gnu_same 'seq 100000 | parallel -k -j2 -m echo | md5sum'
	gnu_same 'seq 100000 | parallel -k -j3 --xargs echo {#} | md5sum'
}

@test "-X packs 200000 arguments into full command lines" {
	fanout_only
	# A packer quadratic in the arguments would hit the timeout here.
	run timeout 60 sh -c 'seq 200000 | "$FANOUT" -j2 -X echo | wc -lw'
	[ "$status" -eq 0 ]
	read -r nl nw <<<"$output"
	[ "$nw" -eq 200000 ]
	[ "$nl" -lt 50 ]
}

@test "-n puts N arguments in each job" {
	gnu_same 'parallel -k -n3 --dry-run echo ::: a b c d e f g'
	gnu_same 'parallel -k --max-args 2 echo {2} {1} ::: a b c d e'
	[ "${lines[0]}" = "b a" ]
}

@test "-n does not repeat the word around {}; -N does" {
	gnu_same 'seq 5 | parallel -k -n2 echo x{}y {1} {3} {-1}'
	[ "${lines[0]}" = "x1 2y 1 2" ]
	gnu_same 'seq 5 | parallel -k -N2 echo x{}y {1}'
	[ "${lines[0]}" = "x1y x2y 1" ]
}

@test "-N numbers positional strings across the sets of a job" {
	gnu_same 'parallel -k -N2 echo {1}-{2}-{3}-{4} ::: a b c ::: 1 2'
	[ "${lines[0]}" = "a-1-a-2" ]
}

@test "-N0 runs the command once per argument without it" {
	gnu_same 'parallel -k -N0 echo foo ::: 1 2 3'
	[ "$output" = "$(printf 'foo\nfoo\nfoo')" ]
	gnu_same 'parallel -N0 --dry-run echo foo {} ::: 1 2'
}

@test "-N with {#} and {%}" {
	gnu_same 'parallel -k -j1 -N3 --dry-run echo {} {#} {%} ::: a b c d e f g'
}

@test "-n with -X and -m limits the arguments per job" {
	gnu_same 'parallel -k -X -j4 -n2 --dry-run echo ::: 1 2 3 4 5 6 7 8 9'
	gnu_same 'parallel -k -m -j4 -n3 --dry-run echo ::: 1 2 3 4 5 6 7 8 9 10 11'
	gnu_same 'parallel -k -n 1k --dry-run echo ::: a b c'
}

@test "-L gives each job N lines, each line one argument" {
	gnu_same 'printf "a b\nc d\ne\nf\n" | parallel -k -L2 --dry-run echo'
	[ "${lines[0]}" = "echo 'a b' 'c d'" ]
	gnu_same 'printf "a b\nc d\ne\nf\n" | parallel -k --max-lines=3 --dry-run echo x{}y'
}

@test "-L joins a line that ends in white space with the next" {
	gnu_same 'printf "a b\nc d \ne\nf\n" | parallel -k -L2 echo'
	[ "${lines[0]}" = "a b c d e" ]
	gnu_same 'printf "a \nb \nc\n" | parallel -k -l --dry-run echo'
}

@test "-L repeats the word around {}, unless -m is given" {
	gnu_same 'printf "a\nb\nc\n" | parallel -k -L2 --dry-run echo x{}y'
	gnu_same 'printf "a\nb\nc\n" | parallel -k -L2 -m --dry-run echo x{}y'
}

@test "-N repeats the word around {} even with -m or --xargs" {
	gnu_same 'seq 5 | parallel -k -j1 -m -N2 echo a{}b {2}c'
	gnu_same 'seq 5 | parallel -k -j1 --xargs -N2 echo a{}b'
	gnu_same 'seq 5 | parallel -k -j1 -m -N2 -L1 echo a{}b'
}

@test "-s limits the length of each command line" {
	gnu_same 'seq 30 | parallel -k -s 20 -X echo'
	gnu_same 'parallel -k -X --dry-run -s 30 echo x{}y ::: aaaa bbbb cccc dddd eeee ffff gggg'
	gnu_same 'parallel -k -m --dry-run -s 30 echo x{}y ::: aaaa bbbb cccc dddd eeee ffff gggg'
	gnu_same 'parallel -k --xargs --dry-run --max-chars 30 echo ::: aaaa bbbb cccc dddd eeee'
}

@test "-s counts quoted values as GNU does" {
	gnu_same 'parallel -k -X -j3 --dry-run -s 25 echo {} ::: "a b" "c'"'"'d" "e\"f" g h i j k l'
	gnu_same 'parallel -k -X -j1 --dry-run -s 60 -q echo x{}y ::: aaaa bbbb cccc dddd eeee ffff gggg'
}

@test "a value longer than -s allows stops fanout with status 255" {
	gnu_same 'parallel -k --dry-run -s 10 echo ::: aaaaaaaaaaaaaa'
	[ "$status" -eq 255 ]
	[[ $stderr == *"Command line too long (19 >= 10)"* ]]
}

@test "-s above the system's limit warns and uses the limit" {
	gnu_same 'seq 3 | parallel -k -s 10000000 echo'
	[[ $stderr == *"Value for option -s should be < "* ]]
}

@test "--max-line-length-allowed prints the system's limit as GNU finds it" {
	gnu_same 'parallel --max-line-length-allowed'
	[ "$output" -gt 1000 ]
}

@test "--show-limits prints the limits and carries on" {
	gnu_same 'parallel --show-limits echo ::: a'
	[[ ${lines[0]} == "Maximal size of command: "* ]]
	[ "${lines[-1]}" = a ]
}

@test "-x is accepted; a value too long for a line always stops the run" {
	gnu_same 'parallel -k -x -n2 echo ::: a b c'
	gnu_same 'parallel -x -s 10 echo ::: aaaaaaaaaaaa'
}

@test "--tag with -X tags with all of the job's arguments" {
	gnu_same 'parallel -k --tag -X -j2 echo ::: a b c d'
	gnu_same 'parallel -k --tag -n2 echo ::: a b c d'
}

@test "-N and -L still count records with --pipe" {
	gnu_same 'seq 10 | parallel -k --pipe -N3 wc -l'
	gnu_same 'seq 10 | parallel -k --pipe -L4 wc -l'
}

@test "bad -n, -N, -L and -s values stop fanout before any job" {
	fanout_only
	for o in "-n x" "-N -1" "-L 1.5" "-s abc" "-s 0" "--max-replace-args=z"; do
		# shellcheck disable=SC2086 # the option and its value
		run fanout $o touch ran ::: a
		[ "$status" -eq 255 ]
		[ "${#lines[@]}" -eq 1 ]
		[[ $output == *"option"* ]]
		[ ! -e ran ]
	done
}

@test "--tagstring repeats its word around {} with -X too" {
	gnu_same 'parallel -k -X -j1 --tagstring "<{}>" echo ::: a b'
}

@test "--results numbers each set of arguments of a job from 1" {
	gnu_same 'parallel -k -n2 --results res echo ::: a b c d; find res -type f | sort'
	gnu_same 'parallel -k -N2 --results res echo ::: a b ::: 1; find res -type f | sort'
}

@test "-N0 with -X packs the arguments it does not insert" {
	gnu_same 'parallel -k -N0 -X echo x ::: a b c'
}

@test "-L 0 runs the command without its arguments, as GNU does" {
	gnu_same 'parallel -k -L 0 echo ::: a b'
	gnu_same 'parallel -k -l 0 echo ::: a b'
}

@test "-X with -E and -r" {
	gnu_same 'printf "a\nb\nSTOP\nc\n" | parallel -k -X -j1 -E STOP echo'
	gnu_same 'printf "a\n\nb\n \nc\n" | parallel -k -n2 -r echo'
}

@test "-X cuts the words around {} at spaces and tabs only, as GNU does" {
	gnu_same 'parallel -j1 -X --dry-run "echo \$(echo x{}y)" ::: a "b c"'
	gnu_same 'parallel -j1 -X "echo \$(echo x{}y)" ::: a "b c"'
	gnu_same 'parallel -j1 -X --dry-run "echo a
b{}c" ::: 1 2'
	gnu_same 'parallel -j1 -X --dry-run "echo	x{}	y" ::: a b'
	gnu_same 'parallel -j1 -q -X --dry-run echo "p	x{}	y" ::: a b'
}

@test "-X with an empty command word and a word holding spaces" {
	gnu_same 'parallel -j1 -X showargs "" {} ::: a b'
	gnu_same 'parallel -j1 -X showargs "a {} b" ::: 1 2'
	gnu_same 'parallel -j1 -q -m --dry-run echo "a {} b" ::: "x y" z'
}

@test "-X in shell code: assignments and functions" {
	gnu_same 'parallel -j1 -X "x={} && echo \$x" ::: a b'
	gnu_same 'parallel -j1 -X "f() { echo {}; }; f" ::: a b'
}

@test "negative positional strings count from the end of the job's arguments" {
	gnu_same 'parallel -j1 -N2 --dry-run echo {-1}{-2}{-3} ::: a b c'
	gnu_same 'parallel -j1 -n3 --dry-run echo {-4} ::: a b c'
}
