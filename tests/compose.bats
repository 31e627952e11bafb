#!/usr/bin/env bats
# Quoting and composition: -q, --quote and --shell-quote with replacement
# strings inside quotes, next to text, several in a word, and in the
# command word itself.

# Snippets are single-quoted on purpose; run/gnu_same set $stderr & co.
# shellcheck disable=SC2016,SC2154
load helpers

@test "--shell-quote prints each value quoted for the shell" {
	gnu_same 'parallel -k --shell-quote ::: "a b" "c'"'"'d" "\$x" plain'
}

@test "--shell-quote prints the whole command line quoted" {
	gnu_same 'parallel -k --shell-quote echo {} ::: "a b" "*"'
}

@test "--shell-quote twice quotes twice" {
	gnu_same 'parallel --shell-quote --shell-quote echo {} ::: "a b"'
}

@test "--shell-quote output run through the shell gives back the line" {
	gnu_same 'parallel --shell-quote echo {} ::: "a  b" | xargs -I{} sh -c {}'
}

@test "--shell-quote with --dry-run and -v shows the line itself" {
	gnu_same 'parallel --dry-run --shell-quote echo {} ::: "a b"'
	gnu_same 'parallel -v --shell-quote echo {} ::: "a b"'
}

@test "--shell-quote with -X" {
	gnu_same 'parallel -j1 -X --shell-quote echo x{}y ::: "a b" c'
}

@test "--quote keeps replacement strings in quoted words" {
	gnu_same 'parallel -k --quote echo "{}" "x {} y" ::: "a b" "\$HOME"'
}

@test "-q with a replacement string as the command word" {
	gnu_same 'parallel -k -q {} ::: "echo a"'
	gnu_same 'parallel -k {} ::: "echo a b" "echo \"x  y\""'
}

@test "a replacement string next to text in the command word" {
	gnu_same 'parallel -k {}x ::: echo'
	gnu_same 'parallel -k my_{} ::: echo'
}

@test "-q keeps shell syntax in the words literal" {
	gnu_same 'parallel -k -q sh -c "echo \"\$1\"" sh {} ::: "a  b" "\$x"'
	gnu_same 'parallel -k -q showargs "a;b" "{}|{}" ::: "x y"'
}

@test "several replacement strings in one word" {
	gnu_same 'parallel -k showargs {1}{2} {2}-{1}-{#} ::: "a b" ::: "c d"'
	gnu_same 'parallel -k -q showargs {1}{2} ::: "a b" ::: "c d"'
	gnu_same 'parallel -k showargs pre{}post {}{} ::: "a b" "*"'
}

@test "a replacement string inside single quotes in the command" {
	gnu_same 'parallel -k echo "'"'"'{}'"'"'" ::: "a b" c'
	gnu_same 'parallel -k -n2 --dry-run echo "'"'"'{}'"'"'" ::: "a b" c d'
}

@test "a replacement string inside double quotes in the command" {
	gnu_same 'parallel -k echo "\"{}\"" ::: "a b" "c\$d"'
	gnu_same 'parallel -k -N2 --dry-run echo "\"x{}y\"" ::: "a b" c d'
}

@test "a replacement string in a shell pipeline" {
	gnu_same 'parallel -k "echo {}; echo {} | tr a-z A-Z" ::: "a;b"'
	gnu_same 'parallel -k -X -j1 "echo {} | wc -w" ::: a b c'
}

@test "-q with -n quotes each of several values" {
	gnu_same 'parallel -k -q -n2 showargs "x {} y" ::: a "b c" d'
}

@test "-q with --colsep values" {
	gnu_same 'printf "a b,c;d\n" | parallel -q --colsep , showargs "[{2}]" "{1} z"'
}
