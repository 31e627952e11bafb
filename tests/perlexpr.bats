#!/usr/bin/env bats
# {= perl expression =} and {=n expression =}: the native subset on PCRE2,
# the perl co-process for the rest, skip(), quoting and bad input.

# Snippets are single-quoted on purpose; gnu_same sets $output & co.
# shellcheck disable=SC2016,SC2154
load helpers

# Arguments with shell metacharacters, quotes, a newline, an empty one and
# invalid UTF-8, in the array A, for snippets that source "$ODD".
setup() {
	fanout_setup
	export ODD=$BATS_TEST_TMPDIR/odd.sh
	cat >"$ODD" <<'SH'
A=(a "b c" "it's" '$HOME' '*' "$(printf 'l1\nl2')" '' "$(printf '\377\376.x')"
   x/y.tar.gz 0 'a;b|c&d' "ABC def" "$(printf 'caf\303\251')")
SH
	mkdir -p "$BATS_TEST_TMPDIR/noperl"
}

@test "s/// replaces in each argument" {
	gnu_same '. "$ODD"; parallel -k echo "{= s/a/A/ =}" "{= s/[a-c]/_/g =}" ::: "${A[@]}"'
}

@test "s/// flags i, x, s and m" {
	gnu_same '. "$ODD"; parallel -k echo "{= s/B/x/gi =}" "{= s/ a  | c /Q/gx =}" "{= s/.l2/!/s =}" "{= s/^/>/mg =}" ::: "${A[@]}"'
}

@test "s/// with other delimiters" {
	gnu_same 'parallel -k echo "{= s:/:_:g =}" "{= s{y}{Y} =}" "{= s#\.#,#g =}" "{= s|t|T| =}" ::: x/y.tar.gz'
	[ "$output" = "x_y.tar.gz x/Y.tar.gz x/y,tar,gz x/y.Tar.gz" ]
}

@test "s/// groups with \$1 and \\1 and case escapes" {
	gnu_same 'parallel -k echo "{= s/(\w+) (\w+)/\U\$2\E-\u\$1/ =}" "{= s/(\w)/\\1\\1/g =}" "{= s/(.*)/\L\$1/ =}" "{= s/^(.)/\l\$1/ =}" ::: "ab CD" "Xy"'
}

@test "s/// replacement escapes \\n and \\t and \$&" {
	gnu_same 'parallel -k echo "{= s/b/\\n/ =}" "{= s/b/[\$&]/ =}" "{= s/c/\\t/ =}" ::: abc'
}

@test "s/// that matches empty strings, as Perl does" {
	gnu_same 'parallel -k echo "{= s/x*/-/g =}" "{= s/\b/|/g =}" ::: abc "d e"'
}

@test "tr/// and y/// with ranges and the d and s flags" {
	gnu_same '. "$ODD"; parallel -k echo "{= tr/a-z/A-Z/ =}" "{= y/./_/ =}" "{= tr/a-c//d =}" "{= tr/a-z//s =}" "{= tr/a-y/b-z/ =}" "{= y/abc/x/ =}" ::: "${A[@]}" aabbccdd'
}

@test "uc lc ucfirst lcfirst" {
	gnu_same '. "$ODD"; parallel -k echo "{= \$_ = uc(\$_) =}" "{= \$_=lc =}" "{= \$_ = ucfirst(\$_) =}" "{= \$_ = lcfirst =}" ::: "${A[@]}"'
}

@test "several statements separated by semicolons" {
	gnu_same 'parallel -k echo "{= s/a/b/; s/b/c/; \$_ = uc(\$_); =}" ::: aab'
	[ "$output" = "CAB" ]
}

@test "{=n expr =} works on argument n" {
	gnu_same 'parallel -k echo "{=2 s/c/C/ =}" "{=-1 s/d/D/ =}" "{=1 uc =}" ::: a b ::: c d'
}

@test "seq() slot() total_jobs() and \$job->seq()" {
	gnu_same 'parallel -j1 -k echo "{= \$_ = seq() =}" "{= \$_ = slot() =}" "{= \$_ = total_jobs() =}" "{= \$_ = \$job->seq() =}" ::: a b c'
	[ "${lines[2]}" = "3 1 3 3" ]
}

@test "\$arg[n] is the n-th argument of the job" {
	gnu_same 'parallel -k echo "{= \$_ = \$arg[2] =}" "{= \$_ = \$arg[1] =}" ::: a b ::: c d'
}

@test "Q() quotes the value and uq() leaves it unquoted" {
	gnu_same '. "$ODD"; parallel -k echo "{= \$_ = Q(\$_) =}" ::: "${A[@]}"'
	gnu_same 'parallel -k echo "{= uq() =}" ::: "a  b" "x*" "\$HOME" "1;echo hi"'
}

@test "values are shell-quoted as GNU quotes them" {
	gnu_same '. "$ODD"; parallel -k "printf \"[%s]\\n\"" "{= s/x/y/ =}" ::: "${A[@]}"'
}

@test "an expression in the command word is not quoted" {
	gnu_same 'parallel -k "{= s/^/echo / =}" ::: "a  b" x'
}

@test "an expression next to text and in quotes" {
	gnu_same 'parallel -k echo pre{= s/a/b/ =}post"{=s/b/c/=}" "x{= \$_ = uc =}y" ::: "ab c"'
}

@test "an expression that spans command words" {
	gnu_same 'parallel -k echo {= s/a/b/ =} ::: aaa'
	gnu_same 'parallel -k -q echo "{=" "s/a/ /" "=}" "{= s/a/c/ =}x" ::: aaa'
}

@test "-q with an expression" {
	gnu_same 'parallel -k -q printf "%s|\n" "{= s/ /_/ =}" ::: "a b" "it'\''s"'
}

@test "expressions beyond the subset go to perl" {
	gnu_same 'parallel -k echo "{= \$_ = join(\",\", reverse split //) =}" "{= \$_ = sprintf(\"%03d\", length) =}" "{= s/(.)/ord(\$1)/ge =}" ::: ab xyz'
}

@test "perl keeps its variables from job to job" {
	gnu_same 'parallel -j1 -k echo "{= \$_ = ++\$n =}" ::: a b c'
	[ "$output" = "$(printf '1\n2\n3')" ]
}

@test "perl sees the odd arguments byte for byte" {
	gnu_same '. "$ODD"; parallel -k echo "{= \$_ = length(\$_) . \":\" . \$_ =}" ::: "${A[@]}"'
}

@test "skip() leaves the job out and counts it as failed" {
	gnu_same 'parallel -k echo "{= \$_ > 2 and skip() =}" ::: 1 2 3 4 5'
	[ "$status" -eq 3 ]
	[ "$output" = "$(printf '1\n2')" ]
}

@test "skip() in perl code leaves the job out too" {
	gnu_same 'parallel -k echo "{= if (/b/) { skip() } =}" ::: a b c'
	[ "$status" -eq 1 ]
}

@test "a skipped job is still shown by --dry-run" {
	gnu_same 'parallel -k --dry-run echo "{= \$_ > 2 and skip() =}" ::: 1 2 3'
}

@test "a skipped job is in the joblog with exit value -2" {
	gnu_same 'parallel -j1 --joblog jl -k echo "{= \$_ eq 2 and skip() =}" ::: 1 2 3; cut -f 1,7,9 jl'
}

@test "the native subset needs no perl" {
	fanout_only
	PATH=$BATS_TEST_TMPDIR/noperl run "$FANOUT" -k --dry-run echo '{= s/a/b/g; tr/x/y/; $_ = uc($_) =}' ::: aax
	[ "$status" -eq 0 ]
	[ "$output" = "echo BBY" ]
}

@test "an expression beyond the subset without perl is a clear error" {
	fanout_only
	PATH=$BATS_TEST_TMPDIR/noperl run "$FANOUT" --dry-run echo '{= $_ = reverse($_) =}' ::: ab
	[ "$status" -eq 255 ]
	[[ $output == *perl* ]]
	[ "${#lines[@]}" -eq 1 ]
}

@test "an unbalanced {= is an error naming it" {
	fanout_only
	run fanout echo '{= s/a/b/' ::: a
	[ "$status" -eq 255 ]
	[[ $output == *"{= s/a/b/"* ]]
	[ "${#lines[@]}" -eq 1 ]
}

@test "an invalid regex is an error before any job" {
	gnu_same 'parallel "touch ran; echo {= s/(/x/ =}" ::: a; echo rc=$?; ls'
	[ "$output" = "rc=255" ]
}

@test "s{}{} and tr{}{} with the second part missing are errors before any job" {
	gnu_same 'parallel "touch ran; echo {= tr{a} =}" ::: a; echo rc=$?; ls
		parallel "touch ran; echo {= s{a}=}" ::: a; echo rc=$?; ls
		parallel -k echo "{= tr{a} {b} =}" "{= s{x} {y} =}" ::: ax'
}

@test "a perl syntax error is an error before any job" {
	gnu_same 'parallel "touch ran; echo {= \$_ = ( =}" ::: a; echo rc=$?; ls'
	[ "$output" = "rc=255" ]
}

@test "expressions in --tagstring" {
	gnu_same 'parallel -k --tagstring "{= s/a/T/ =}" echo {} ::: abc'
}

@test "an expression that empties the value gives an empty word" {
	gnu_same 'parallel -k showargs "{= \$_ = \"\" =}" x ::: a'
	[ "$output" = "2:[][x]" ]
}

@test "the same expression twice is evaluated once per argument" {
	gnu_same 'parallel -j1 -k echo "{= \$_ = ++\$i =}" "{= \$_ = ++\$i =}" ::: a b'
}

@test "a long argument goes through an expression whole" {
	gnu_same 'x=$(head -c 200000 /dev/zero | tr "\0" a); parallel -k "echo {= s/a/b/g =} | wc -c" ::: "$x"'
}

@test "with --pipe an expression works on one empty argument" {
	gnu_same 'seq 3 | parallel -k --pipe -N1 --dry-run echo "{= \$_ = \"x\" =}" {} {#}'
	[ "${lines[0]}" = "echo x '' 1" ]
}

@test "an escaped delimiter loses its backslash, as in Perl" {
	gnu_same 'parallel -k echo "{= s|a\|b|X| =}" "{= s.a\.b.Y. =}" "{= s/\//_/g =}" ::: "a|b a.b/c"'
}

@test "\\u\\L and \\L\\u both capitalise" {
	gnu_same 'parallel -k echo "{= s/(\w+)/\u\L\$1/ =}" "{= s/(\w+)/\L\u\$1/ =}" "{= s/(\w+) (\w+)/\U\$1\E \$2/ =}" ::: "aBC dEF"'
	[ "$output" = "Abc dEF Abc dEF ABC dEF" ]
}

@test "unset groups are empty in the replacement" {
	gnu_same 'parallel -k echo "{= s/(a)|b/[\$1]/g =}" "{= s/a/\$10/ =}" ::: abab'
	[ "$output" = "[a][][a][] bab" ]
}

@test "a tr/// list perl rejects is an error" {
	gnu_same 'parallel echo "{= tr/a-c-e/X/ =}" ::: a'
	[ "$status" -eq 255 ]
}

@test "the native subset and perl agree on the same expressions" {
	need_cmd perl
	. "$ODD"
	local e
	for e in 's/a/b/' 's/[a-c]+/<$&>/g' 's/(\w)(\w)/$2\u$1/g' 's/^/>/mg' \
	    's/x*/-/g' 's/\s+$//' 'tr/a-z/A-Z/' 'y/a-y/b-z/' 'tr/a-c//d' \
	    'tr/a-z//s' '$_ = uc($_)' '$_ = lcfirst' '$_ = Q($_)' \
	    's:.*/::; s:\.[^/.]*$::' 's/(.*)/\L\u$1/s' 's{e}{E}gi' \
	    '$_ = substr($_,1,2)' '$_ = seq()' '$_ = "x\$y"'; do
		native=$(fanout -k --dry-run echo "{= $e =}" ::: "${A[@]}")
		viaperl=$(fanout -k --dry-run echo "{= $e; 1 if 0 =}" ::: "${A[@]}")
		[ "$native" = "$viaperl" ] || {
			echo "differs: $e"
			diff <(echo "$native") <(echo "$viaperl")
			return 1
		}
	done
}

@test "--filter runs only the jobs whose Perl condition holds" {
	gnu_same 'parallel -k --filter "{1} < {2}+1" echo ::: 1 2 3 ::: 1 2 3; echo "rc=$?"'
	[[ ${lines[0]} == "1 1" && ${lines[-1]} == rc=3 ]]
}

@test "--filter given twice: both must hold; a filtered job counts as failed in the joblog" {
	gnu_same 'parallel -k --filter "{} > 1" --filter "{} < 4" --joblog log echo ::: 1 2 3 4; echo "rc=$?"; cut -f 1,7,9 log | sort -n'
	[[ ${lines[0]} == 2 && ${lines[2]} == rc=2 ]]
}

@test "--filter sees the values unquoted and may use regular expressions" {
	gnu_same 'parallel -k --filter "\"{}\" =~ /b/" echo ::: ab cd "b c"; echo "rc=$?"'
	[[ $output == "ab
b c
rc=1" ]]
}

@test "--filter with --dry-run still shows every job and counts the filtered ones" {
	gnu_same 'parallel --dry-run -k --filter "{} > 1" echo ::: 1 2 3; echo "rc=$?"'
	[[ ${lines[0]} == "echo 1" && ${lines[-1]} == rc=1 ]]
}

@test "a job skip() or --filter stops is still shown by -v and -t" {
	gnu_same 'parallel -v -k echo "{= \$_ > 1 or skip() =}" ::: 1 2 3; parallel -v -k --filter "{} > 1" echo ::: 1 2; parallel -t -k echo "{= \$_ > 1 or skip() =}" ::: 1 2 2>&1'
	[[ ${lines[0]} == "echo 1" && ${lines[1]} == "echo 2" ]]
}

@test "GNU's helper functions keep their prototypes: seq + 1, uq(\"x\")" {
	gnu_same 'parallel -k echo "{= \$_ = seq + 1 =}" ::: x y
		parallel -k echo "{= \$_ = total_jobs - seq =}" ::: x y
		parallel -k echo "{= \$_ = uq(\"a b\") =}" ::: x; echo rc=$?'
	[ "${lines[0]}" = 2 ]
}

@test "hash() gives Perl's hash of a string, as in GNU parallel" {
	run -0 "$FANOUT" -k echo '{= $_ = hash($_) =}' ::: a b
	[[ ${lines[0]} =~ ^0x[0-9a-f]{1,8}$ ]]
	[[ ${lines[1]} =~ ^0x[0-9a-f]{1,8}$ ]]
}
