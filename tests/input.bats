#!/usr/bin/env bats
# Input sources: stdin, -a, :::, ::::, :::+, ::::+, --link, -0, -d, -E, -r.

# Snippets are single-quoted on purpose; run/gnu_same set $stderr & co.
# shellcheck disable=SC2016,SC2154
load helpers

# --- stdin ---

@test "each line of stdin is one argument" {
	gnu_same 'printf "a\nb c\nd\n" | parallel -k echo'
	[ "$output" = "$(printf 'a\nb c\nd')" ]
}

@test "the last line of stdin needs no newline" {
	gnu_same 'printf "a\nlast" | parallel -k --dry-run echo'
	[ "$output" = "$(printf 'echo a\necho last')" ]
}

@test "spaces at the ends of a line and a carriage return are kept" {
	gnu_same 'printf " a \nb\r\n\tc\n" | parallel -k --dry-run echo'
}

@test "an empty line is an empty argument" {
	gnu_same 'printf "a\n\nb\n" | parallel -k echo x{}y'
	[ "$output" = "$(printf 'xay\nxy\nxby')" ]
}

@test "empty stdin runs no job" {
	gnu_same 'parallel echo hello < /dev/null; echo "status $?"'
	[ "$output" = "status 0" ]
}

@test "a few hundred lines from stdin all run, in order with -k" {
	gnu_same 'seq 300 | parallel -k echo | md5sum; seq 300 | parallel echo | sort -n | md5sum'
	[ "${lines[0]}" = "$(seq 300 | md5sum)" ]
}

# --- -a / --arg-file ---

@test "-a FILE reads the arguments from the file" {
	gnu_same 'printf "1\n2\n3\n" > f; parallel -k -a f echo'
	[ "$output" = "$(printf '1\n2\n3')" ]
}

@test "--arg-file is the long form of -a" {
	gnu_same 'printf "1\n2\n" > f; parallel -k --arg-file f echo; parallel -k --arg-file=f echo'
}

@test "-a - reads the arguments from stdin" {
	gnu_same 'printf "s1\ns2\n" | parallel -k -a - echo'
}

@test "two -a files make every pair, the first file being the outer loop" {
	gnu_same 'printf "1\n2\n" > f1; printf "x\ny\nz\n" > f2; parallel -k -a f1 -a f2 echo'
	[ "$output" = "$(printf '1 x\n1 y\n1 z\n2 x\n2 y\n2 z')" ]
}

@test "-a - with another -a file takes stdin in its place" {
	gnu_same 'printf "1\n2\n" > f; printf "s1\ns2\n" | parallel -k -a - -a f echo; printf "s3\n" | parallel -k -a f -a - echo'
}

@test "stdin given as two sources is shared between them as GNU shares it" {
	gnu_same 'printf "a\nb\n" | parallel -k -a - -a - echo [{1}] [{2}]; printf "x\n" | parallel -k -a - echo :::: -'
}

@test "an empty -a file runs no job" {
	gnu_same ': > empty; parallel echo -a empty; parallel -a empty echo x; echo "status $?"'
}

# --- ::: and :::: ---

@test "::: gives the arguments on the command line" {
	gnu_same 'parallel -k echo ::: a b c'
	[ "$output" = "$(printf 'a\nb\nc')" ]
}

@test "several ::: sources combine with the first as the outer loop" {
	gnu_same 'parallel -k echo ::: a b ::: 1 2 3 ::: x y'
	[ "${#lines[@]}" -eq 12 ]
	[ "${lines[0]}" = "a 1 x" ]
	[ "${lines[1]}" = "a 1 y" ]
	[ "${lines[11]}" = "b 3 y" ]
}

@test ":::: reads argument files and several of them combine" {
	gnu_same 'printf "1\n2\n" > f1; printf "x\ny\n" > f2; parallel -k echo :::: f1 f2'
	[ "$output" = "$(printf '1 x\n1 y\n2 x\n2 y')" ]
}

@test ":::: - reads stdin as one of the files" {
	gnu_same 'printf "1\n2\n" > f; printf "s1\ns2\n" | parallel -k echo :::: - f; printf "s3\n" | parallel -k echo :::: f -'
}

@test "::: and :::: can follow each other in any order" {
	gnu_same 'printf "1\n2\n" > f; parallel -k echo ::: a b :::: f; parallel -k echo :::: f ::: a b ::: c'
}

@test ":::+ links to the previous source and drops the extra values" {
	gnu_same 'parallel -k echo ::: a b c :::+ 1 2; parallel -k echo ::: a b :::+ 1 2 3 ::: x y'
	[ "${lines[0]}" = "a 1" ]
	[ "${lines[1]}" = "b 2" ]
}

@test "::::+ links an argument file to the previous source" {
	gnu_same 'printf "1\n2\n3\n" > f1; printf "x\ny\n" > f2; parallel -k echo :::: f1 ::::+ f2; parallel -k echo ::: a b ::::+ f1'
}

@test ":::+ after -a files pairs with the source just before it (GNU differs)" {
	printf '1\n2\n' >"$BATS_TEST_TMPDIR/f"
	run -0 "$FANOUT" -k -a "$BATS_TEST_TMPDIR/f" echo :::+ a b
	[ "$output" = "$(printf '1 a\n2 b')" ]
}

@test "--link pairs the sources and the shorter ones wrap around" {
	gnu_same 'parallel -k --link echo ::: a b c d e ::: 1 2 ::: x y z'
	[ "$output" = "$(printf 'a 1 x\nb 2 y\nc 1 z\nd 2 x\ne 1 y')" ]
}

@test "--xapply is the same as --link" {
	gnu_same 'parallel -k --xapply echo ::: a b c ::: 1 2'
	[ "$output" = "$(printf 'a 1\nb 2\nc 1')" ]
}

@test "--link works with -a files and stdin" {
	gnu_same 'printf "1\n2\n3\n" > f; printf "x\ny\n" | parallel -k --link -a f -a - echo'
}

@test "-a and ::: mix, the -a file being the outer loop" {
	gnu_same 'printf "1\n2\n" > f; parallel -k -a f echo ::: q r'
	[ "$output" = "$(printf '1 q\n1 r\n2 q\n2 r')" ]
}

@test "with ::: given, stdin is not read for arguments" {
	gnu_same 'echo from-stdin | parallel -k echo ::: a b'
	[ "$output" = "$(printf 'a\nb')" ]
}

@test "an empty ::: runs no job" {
	gnu_same 'parallel echo :::; echo "status $?"; parallel echo ::: a ::: ; echo "status $?"'
}

@test "a newline inside a ::: value splits it into two arguments" {
	gnu_same 'parallel -k echo [{}] ::: "$(printf "new\nline")" z'
	[ "$output" = "$(printf '[new]\n[line]\n[z]')" ]
}

@test "--arg-sep replaces ::: and ::: becomes an ordinary word" {
	gnu_same 'parallel -k --arg-sep ,, echo ,, a b; parallel -k --arg-sep ,, echo ::: ,, c'
	[ "${lines[0]}" = a ]
}

@test "--arg-file-sep replaces ::::" {
	gnu_same 'printf "1\n2\n" > f; parallel -k --arg-file-sep // echo // f; parallel -k --arg-file-sep // echo :::: // f'
}

# --- -0 / --null ---

@test "-0 splits stdin on NUL and keeps newlines inside arguments" {
	gnu_same 'printf "a\nb\0c d\0" | parallel -k -0 --dry-run echo; printf "x\ny\0z\0" | parallel -k -0 echo {}. | od -c'
}

@test "--null is the long form of -0" {
	gnu_same 'printf "a b\0c\0" | parallel -k --null echo'
	[ "$output" = "$(printf 'a b\nc')" ]
}

@test "-0 keeps a newline inside a ::: value and reads -a files on NUL" {
	gnu_same 'parallel -k -0 --dry-run echo ::: "$(printf "x\ny")" z; printf "1\n2\0003\0" > f; parallel -k -0 -a f --dry-run echo'
}

@test "-0 with no trailing NUL still reads the last argument" {
	gnu_same 'printf "a\0b" | parallel -k -0 echo'
	[ "$output" = "$(printf 'a\nb')" ]
}

# --- -d / --delimiter ---

@test "-d , splits on commas and the final newline stays in the last argument" {
	gnu_same 'printf "a,b,c\n" | parallel -k -d , --dry-run echo'
}

@test "-d understands the escapes \\n, \\t and \\0" {
	gnu_same 'printf "a\tb\tc" | parallel -k -d "\t" echo
	printf "d\0e\0" | parallel -k -d "\0" echo
	printf "f\ng\n" | parallel -k -d "\n" echo'
	[ "$output" = "$(printf 'a\nb\nc\nd\ne\nf\ng')" ]
}

@test "-d takes a delimiter of several characters" {
	gnu_same 'printf "aXYbXcXYd" | parallel -k -d XY --dry-run echo'
	[ "$output" = "$(printf 'echo a\necho bXc\necho d')" ]
}

@test "--delimiter is the long form of -d" {
	gnu_same 'printf "a:b" | parallel -k --delimiter : echo; printf "c:d" | parallel -k --delimiter=: echo'
}

@test "-d also splits -a files" {
	gnu_same 'printf "1;2;3" > f; parallel -k -d ";" -a f echo'
}

# --- -E, -r ---

@test "-E stops reading at the end-of-file string" {
	gnu_same 'printf "a\nb\nSTOP\nc\n" | parallel -k -E STOP echo'
	[ "$output" = "$(printf 'a\nb')" ]
}

@test "-E also ends a ::: source" {
	gnu_same 'parallel -k -E STOP echo ::: a STOP b'
	[ "$output" = a ]
}

@test "-E only matches a whole line" {
	gnu_same 'printf "a\nSTOPx\nxSTOP\nb\n" | parallel -k -E STOP echo'
	[ "${#lines[@]}" -eq 4 ]
}

@test "-r skips empty lines" {
	gnu_same 'printf "a\n\nb\n\n" | parallel -k -r echo x{}'
	[ "$output" = "$(printf 'xa\nxb')" ]
}

@test "--no-run-if-empty runs nothing for input of only empty lines" {
	gnu_same 'printf "\n\n" | parallel --no-run-if-empty echo hello; echo "status $?"'
	[ "$output" = "status 0" ]
}

@test "without -r an empty line still runs a job" {
	gnu_same 'printf "\n\n" | parallel echo hello'
	[ "${#lines[@]}" -eq 2 ]
}

# --- no command ---

@test "with no command each line of stdin is run as a command" {
	gnu_same 'printf "echo a\necho \"b  c\"\nprintf %%s- x y\n" | parallel -k'
	[ "$output" = "$(printf 'a\nb  c\nx-y-')" ]
}

@test "with no command the ::: values are commands" {
	gnu_same 'parallel -k ::: "echo a" "echo b | tr b B"'
	[ "$output" = "$(printf 'a\nB')" ]
}

@test "with no command several sources are joined into one command line" {
	gnu_same 'parallel -k ::: echo printf ::: x; echo; printf "echo 1\n" > f; parallel -k -a f ::: a b'
}

# --- #! scripts: --shebang, --shebang-wrap, --skip-first-line ---

@test "a script with '#!parallel --shebang OPTIONS COMMAND' runs the command on its lines" {
	gnu_same 'p=$(command -v parallel); printf "#!%s --shebang -r -k echo\na\nb c\n\n\$HOME q\n" "$p" >s; chmod +x s; ./s; echo "rc=$?"'
	[[ $output == "a
b c
\$HOME q
rc=0" ]]
}

@test "--shebang scripts take options such as --colsep" {
	gnu_same 'p=$(command -v parallel); printf "#!%s --shebang -k --colsep , echo {2}-{1}\n1,2\n3,4\n" "$p" >s; chmod +x s; ./s'
	[[ $output == "2-1
4-3" ]]
}

@test "a script with '#!parallel --shebang-wrap PROGRAM' runs PROGRAM on it once per argument" {
	need_cmd perl
	gnu_same 'p=$(command -v parallel); printf "#!%s --shebang-wrap -k /usr/bin/perl\nprint \"arg:@ARGV\\\\n\";\n" "$p" >s; chmod +x s; ./s x y z; echo "rc=$?"'
	[[ $output == "arg:x
arg:y
arg:z
rc=0" ]]
}

@test "--shebang-wrap passes an argument with a space as one argument" {
	# GNU parallel 20221122 splits it in two at the space.
	fanout_only
	printf '#!%s --shebang-wrap -k /bin/sh\necho "[$1]"\n' "$FANOUT" >"$BATS_TEST_TMPDIR/s"
	chmod +x "$BATS_TEST_TMPDIR/s"
	run "$BATS_TEST_TMPDIR/s" "a b" c
	[[ $status == 0 && $output == "[a b]
[c]" ]]
}

@test "--skip-first-line drops the first value of the first source" {
	gnu_same 'printf "first\nh1\na\n" >f; parallel --skip-first-line -k echo ::: a b c; parallel --skip-first-line -k echo :::: f ::: x; parallel --skip-first-line -k echo <f'
	[[ ${lines[0]} == b && ${lines[2]} == "h1 x" ]]
}

@test "--skip-first-line with --pipe and --pipepart, before the --header" {
	gnu_same 'printf "first\nh1\na\nb\nc\n" >f; parallel --skip-first-line --pipe -k -N2 "echo ==; cat" <f; parallel --skip-first-line --header : --pipe -k -N1 "echo ==; cat" <f; parallel --skip-first-line --header : --pipepart -a f -k --block 3 "echo ==; cat"'
	[[ $output != *first* ]]
}
