#!/usr/bin/env bats
# Shell quoting of the values put into the command: whatever an argument
# holds, the job gets it as one literal argument, quoted exactly as GNU
# parallel quotes it (checked through --dry-run).
#
# `showargs' (from helpers.bash) prints its argument count and each
# argument in brackets: `showargs "a b" c' prints `2:[a b][c]'.

# Snippets are single-quoted on purpose; run/gnu_same set $stderr & co.
# shellcheck disable=SC2016,SC2154
load helpers

# same_args ARG...: with GNU and with fanout, each ARG reaches the job as
# one literal argument, given with ::: (as {}) and with -0 on stdin
# (appended); and --dry-run prints the same commands as GNU. The work
# directory holds files a, b and x.txt so that an unquoted glob would show.
same_args() {
	QARGS=$(printf '%q ' "$@")
	export QARGS
	gnu_same 'eval "set -- $QARGS"; touch a b x.txt
		parallel -k showargs {} ::: "$@"
		printf "%s\0" "$@" | parallel -0 -k showargs
		parallel -k --dry-run showargs ::: "$@"'
	local expected
	expected=$(printf '1:[%s]\n' "$@")
	[[ $output == "$expected"$'\n'"$expected"$'\n'* ]] || {
		echo "the jobs did not get their arguments literally; expected twice:" >&2
		printf '%s\n' "$expected" >&2
		return 1
	}
}

@test "arguments with spaces reach the job as one argument" {
	same_args "a b" "  lead" "trail  " "a  b   c"
}

@test "arguments with single quotes reach the job literally" {
	same_args "it's" "'" "''" "a'b'c" "'quoted'"
}

@test "arguments with double quotes reach the job literally" {
	same_args '"' 'say "hi"' '""' "\"it's\""
}

@test "dollar signs in arguments are not expanded" {
	same_args '$HOME' '$(echo hacked)' '${PATH}' '$1' '$' 'a$' '$((1+1))'
}

@test "glob characters in arguments are not expanded" {
	same_args '*' '?' '[ab]' '*.txt' 'x.*'
}

@test "shell operators in arguments are not interpreted" {
	same_args ';' '&' '&&' '|' '||' '<' '>' '>>' '(' ')' 'a;b' '2>&1' '<(x)' 'a|tee b'
}

@test "backticks in arguments are not run" {
	same_args '`echo hacked`' '`' 'a`b'
}

@test "backslashes in arguments are kept" {
	# shellcheck disable=SC1003
	same_args 'a\b' '\' '\\' 'a\nb' 'end\' '\"'
}

@test "tabs and other control characters in arguments are kept" {
	same_args $'a\tb' $'\t' $'\x01' $'\x7f' $'\r' $'\e[31mred'
}

@test "arguments with leading dashes are passed as they are" {
	same_args -n -e -- - --help -x
}

@test "an empty argument is passed as an empty argument" {
	same_args "" a ""
}

@test "invalid UTF-8 bytes in arguments pass through unchanged" {
	same_args $'\xff' $'a\x80b' $'\xc3' $'\xfe\xff'
}

@test "multibyte UTF-8 arguments pass through unchanged" {
	same_args 'é' '日本語' '€uro'
}

@test "tildes, hashes, bangs, braces and other punctuation are kept" {
	# shellcheck disable=SC2088
	same_args '~' '~/x' '#' 'a#b' '!' '!!' '{a,b}' '=' 'a=b' '%' '^' ':' ',' '@' '+' 'a:b@c'
}

@test "an argument that looks like a replacement string is not replaced" {
	same_args '{}' '{.}' '{#}' '{1}'
}

@test "an argument mixing every special character reaches the job intact" {
	same_args "a b'c\"d\$e*f;g\`h\\i	j~k#l!m{n}o(p)q<r>s|t&u"
}

@test "a newline inside an argument read with -0 is kept" {
	gnu_same 'printf "a\nb\0c\n\0\nd\0" | parallel -0 -k showargs; printf "x\ny\0" | parallel -0 --dry-run showargs {}'
	[ "${lines[0]}" = "1:[a" ]
	[ "${lines[1]}" = "b]" ]
}

@test "a long argument of 50000 characters passes through" {
	gnu_same 'a=$(head -c 50000 /dev/zero | tr "\0" x); parallel "printf %s {} | wc -c" ::: "$a"; echo "$a" | parallel "printf %s {} | md5sum"'
	[ "${lines[0]}" = 50000 ]
}

@test "arguments read from stdin are quoted like ::: arguments" {
	gnu_same 'printf "%s\n" "a b" "\$x" "it'\''s" "*" "" | parallel -k showargs; printf "%s\n" "a b" "\$x" | parallel -k --dry-run showargs'
	[ "${lines[0]}" = "1:[a b]" ]
	[ "${lines[1]}" = '1:[$x]' ]
	[ "${lines[2]}" = "1:[it's]" ]
}

@test "an argument equal to ::: read from stdin is just an argument" {
	gnu_same 'printf ":::\n::::\n" | parallel -k showargs'
	[ "$output" = "$(printf '1:[:::]\n1:[::::]')" ]
}

@test "{.} {/} {//} and {/.} values are quoted too" {
	gnu_same 'parallel -k showargs {.} {/} {//} {/.} ::: "my dir/it'\''s a file.tar.gz" "\$d/*.c"'
	[ "${lines[0]}" = "4:[my dir/it's a file.tar][it's a file.tar.gz][my dir][it's a file.tar]" ]
	gnu_same 'parallel -k --dry-run showargs {.} {/} {//} {/.} ::: "my dir/it'\''s a file.tar.gz" "\$d/*.c"'
}

@test "positional values are quoted too" {
	gnu_same 'parallel -k showargs {2} {1} {-1.} ::: "\$a b" ::: "*;c.d"; parallel --dry-run showargs {2} {1} ::: "\$a b" ::: "*;c"'
	[ "${lines[0]}" = '3:[*;c.d][$a b][*;c]' ]
}

@test "a replacement string next to text makes one argument" {
	gnu_same 'parallel -k showargs pre{}post x{}{}y ::: "a b" "c'\''d"'
	[ "${lines[0]}" = "2:[prea bpost][xa ba by]" ]
}

@test "{} inside double quotes in the command is quoted all the same" {
	gnu_same 'parallel -k "echo \"{}\"" ::: "a b" "it'\''s" x; parallel -k --dry-run "echo \"{}\"" ::: "a b"'
	[ "${lines[0]}" = "'a b'" ]
}

@test "{} inside single quotes in the command is quoted all the same" {
	gnu_same 'parallel -k "showargs '\''{}'\''" ::: "a b" x; parallel -k --dry-run "echo '\''{}'\''" ::: "a b"'
	[ "${lines[0]}" = "2:[a][b]" ]
}

@test "the command words are joined with spaces and not quoted" {
	gnu_same 'export V=val; parallel showargs "a b" "\$V" ::: c; parallel -k --dry-run showargs "a b" ::: c'
	[ "${lines[0]}" = "4:[a][b][val][c]" ]
}

@test "shell syntax in the command itself is interpreted" {
	gnu_same 'parallel -k "echo \$((1+{}))" ::: 2 3'
	[ "$output" = "$(printf '3\n4')" ]
}

@test "a glob in the command expands but the same glob as an argument does not" {
	gnu_same 'touch x1 x2; parallel -k echo x* {} ::: "x*"'
	[ "$output" = "x1 x2 x*" ]
}

@test "-q passes the command words literally" {
	gnu_same 'parallel -q -k showargs "a b" "\$HOME" "*" ";" {} ::: "c d"'
	[ "$output" = '5:[a b][$HOME][*][;][c d]' ]
}

@test "--quote is the long form of -q" {
	gnu_same 'parallel --quote -k printf "%s|\n" "a b" {} ::: c'
	[ "$output" = "$(printf 'a b|\nc|')" ]
}

@test "-q keeps replacement strings working inside quoted words" {
	gnu_same 'parallel -q -k showargs "{} and {.}" {1} ::: "a b.c" "it'\''s"'
	[ "${lines[0]}" = "2:[a b.c and a b][a b.c]" ]
}

@test "-q quotes the command in --dry-run output as GNU does" {
	gnu_same 'parallel -q -k --dry-run printf "%s\n" "it'\''s" "a|b" {} ::: "x y" z'
}

@test "-q with arguments appended quotes them once" {
	gnu_same 'parallel -q -k showargs "a b" ::: "c d" "\$e"'
	[ "$output" = "$(printf '2:[a b][c d]\n2:[a b][$e]')" ]
}

@test "-q without a command quotes each value as one word, as GNU does" {
	gnu_same 'parallel -k -q --dry-run ::: "echo a"
		parallel -k -q -j1 -X --dry-run ::: "echo a" "b c"
		parallel -k -q ::: "echo a"; echo rc=$?
		parallel -k -q -n2 ::: echo a'
	[ "${lines[0]}" = "'echo a'" ]
}
