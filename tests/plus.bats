#!/usr/bin/env bats
# Replacement strings beyond the defaults: -I, -i, --er, --bnr, --dnr,
# --bner, --seqreplace, --slotreplace, --parens, --plus and --rpl.

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
   x/y.tar.gz /a/b/ .z 0 'a;b|c&d' '~u/v.w.x.y' "$(printf 'caf\303\251.txt')")
SH
}

@test "-I names the argument's replacement string" {
	gnu_same 'parallel -k -I ,, echo ,, {} ::: a "b c"'
	[ "${lines[0]}" = "a {}" ]
}

@test "-i and --replace without a value keep {}" {
	gnu_same 'parallel -k -i echo {} ::: a; parallel -k --replace echo {} ::: b'
}

@test "--replace=STR and -iSTR rename {}" {
	gnu_same 'parallel -k --replace=XX echo XX {} ::: a; parallel -k -iYY echo YY ::: b'
	[ "${lines[0]}" = "a {}" ]
}

@test "--er --bnr --dnr --bner --seqreplace --slotreplace rename the others" {
	gnu_same 'parallel -k --er ,, --bnr ,b --dnr ,d --bner ,e --seqreplace ,s --slotreplace ,t echo ,, ,b ,d ,e ,s ,t {.} {/} {//} {/.} {#} {%} ::: x/y.z'
	[ "$output" = "x/y y.z x y 1 1 {.} {/} {//} {/.} {#} {%}" ]
}

@test "the long names --extensionreplace and friends work too" {
	gnu_same 'parallel -k --extensionreplace E --basenamereplace B --dirnamereplace D --basenameextensionreplace BE echo E B D BE ::: d/f.c'
}

@test "a renamed string keeps its positional form" {
	gnu_same 'parallel -k -I @@ echo {1@@} @@ ::: a ::: b'
}

@test "--parens changes the brackets of perl expressions" {
	gnu_same 'parallel -k --parens "[[]]" echo "[[ s/a/b/ ]]" "{= s/a/c/ =}" ::: aa'
	[ "$output" = "ba {= s/a/c/ =}" ]
}

@test "--parens with equal halves" {
	gnu_same 'parallel -k --parens ",,,," echo ",, s/a/b/ ,," ::: aa'
}

@test "--plus {+/} {+.} {+..} {+...} are the parts the others drop" {
	gnu_same '. "$ODD"; parallel -k --plus echo {+/} {+.} {+..} {+...} ::: "${A[@]}"'
}

@test "--plus {..} {...} {/..} {/...} strip two and three extensions" {
	gnu_same '. "$ODD"; parallel -k --plus echo {..} {...} {/..} {/...} ::: "${A[@]}"'
}

@test "--plus parts put back together give the argument" {
	gnu_same 'parallel -k --plus echo {+/}/{/} {.}.{+.} {..}.{+..} {+/}/{/...}.{+...} ::: dir/file.tar.gz.b'
	[ "$output" = "dir/file.tar.gz.b dir/file.tar.gz.b dir/file.tar.gz.b dir/file.tar.gz.b" ]
}

@test "--plus {:-str} is a default for an empty or 0 argument" {
	gnu_same '. "$ODD"; parallel -k --plus echo {:-def} ::: "${A[@]}"'
}

@test "--plus {:n} and {:n:m} take substrings" {
	gnu_same '. "$ODD"; parallel -k --plus echo {:2} {:1:3} {:10} {:10:2} {:0:1} ::: "${A[@]}"'
}

@test "--plus {#re} and {##re} remove a prefix, shortest and longest" {
	gnu_same '. "$ODD"; parallel -k --plus echo {#x} {##x} {#*.} {##*.} {#?} ::: "${A[@]}"'
}

@test "--plus {%re} and {%%re} remove a suffix, shortest and longest" {
	gnu_same '. "$ODD"; parallel -k --plus echo {%z} {%%z} {%.*} {%%.*} {%.x} ::: "${A[@]}"'
}

@test "--plus {/re/str} {//re/str} {/#re/str} {/%re/str} substitute" {
	gnu_same '. "$ODD"; parallel -k --plus echo {/a/X} {//[a-c]/Y} {/#x/Q} {/%z/E} {/\./} ::: "${A[@]}"'
}

@test "--plus {^str} {^^str} {,str} {,,str} change case" {
	gnu_same '. "$ODD"; parallel -k --plus echo {^b} {^^[a-z]} {,X} {,,[A-Z]} {^^a} ::: "${A[@]}" ABC'
}

@test "--plus dynamic strings take a position" {
	gnu_same 'parallel -k --plus echo {2/b/X} {1:1} {-1..} {2+.} {2%.*} {1#a} ::: a.b.c ::: b.c.d'
	[ "$output" = "X.c.d .b.c b d b.c.d .b.c" ]
}

@test "--plus replacement text is taken literally" {
	gnu_same 'parallel -k --plus echo "{/(.)/<\$1>}" "{/b/\$HOME}" "{/./*}" ::: a.b'
}

@test "--plus {##} {0#} count and pad the jobs" {
	gnu_same 'parallel -k --plus echo {##} {0#} {#} ::: $(seq 12)'
}

@test "--plus {0%} pads the slot to the width of -j" {
	gnu_same 'parallel -j1 -k --plus echo {0%} {%} ::: a b'
	gnu_same 'parallel -j 12 -k --plus echo {0%}x ::: a'
	[ "$output" = "01x" ]
}

@test "--plus {slot} is the job slot variable, left to the shell" {
	gnu_same 'parallel -j1 -k --plus echo {slot} ::: a b'
	gnu_same 'parallel -k --plus --dry-run echo {slot} ::: a'
	[ "$output" = 'echo ${PARALLEL_JOBSLOT}' ]
}

@test "--plus {uniq} and {choose_k} skip jobs" {
	gnu_same 'parallel -k --plus echo {uniq} ::: a b ::: a b'
	gnu_same 'parallel -k --plus echo {choose_k} ::: a b c ::: a b c'
}

@test "without --plus its strings are plain text" {
	gnu_same 'parallel -k echo {+/} {..} {:-x} {#a} ::: a/b.c'
}

@test "unknown strings in braces stay as they are" {
	gnu_same 'parallel -k --plus echo {foo} {} "{ }" ::: a'
	gnu_same 'parallel -k "awk '\''{print \$1}'\'' <<< {}" ::: "x y"'
}

@test "--rpl defines a new replacement string" {
	gnu_same 'parallel -k --rpl "{x} s/a/X/g" --rpl ".. s:\.[^.]+\$::" echo {x} .. ::: abca.b.c'
	[ "$output" = "XbcX.b.c abca.b" ]
}

@test "--rpl with a capture group, as GNU documents" {
	gnu_same 'parallel -k --rpl "{/(\.\S+)/(\.\S+)} s/\$\$1/\$\$2/g;" echo "{/.tar/.gz}" ::: UU.tar.gz'
	[ "$output" = "UU.gz.gz" ]
}

@test "--rpl with a group and a position" {
	gnu_same 'parallel -k --rpl "{y(\d+)} \$_ = substr(\$_, \$\$1)" echo {y1} {2y2} ::: abca ::: wxyz'
}

@test "--rpl redefines {}" {
	gnu_same 'parallel -k --rpl "{} s/a/Z/" echo {} ::: abc'
	[ "$output" = "Zbc" ]
}

@test "--rpl longer strings are replaced before shorter ones" {
	gnu_same 'parallel -k --rpl "% s/a/b/" --rpl "%% s/b/a/" echo % %% ::: ab'
}

@test "--rpl without an expression is the argument itself" {
	gnu_same 'parallel -k --rpl "{x}" echo {x} ::: "a b"'
}

@test "--rpl from the config file" {
	gnu_same 'echo "--rpl \"{u} \\\$_ = uc\"" > ~/.parallel/config; parallel -k echo {u} ::: abc'
	[ "$output" = "ABC" ]
}

@test "--rpl in a profile" {
	gnu_same 'echo "--rpl \"{u} tr/a-z/A-Z/\"" > ~/.parallel/up; parallel -J up -k echo {u} ::: abc'
}

@test "--rpl that does not parse is an error before any job" {
	gnu_same 'parallel --rpl "{x} s/(/" echo {x} ::: a'
	[ "$status" -eq 255 ]
	[ "${#stderr_lines[@]}" -eq 1 ]
}

@test "--rpl without a name is an error" {
	run fanout --rpl ' s/a/b/' echo ::: a
	[ "$status" -eq 255 ]
	[[ $output == *"--rpl"* ]]
}

@test "--plus string with an invalid regex is an error naming it" {
	fanout_only
	run fanout --plus echo '{/(/x}' ::: a
	[ "$status" -eq 255 ]
	[[ $output == *"{/(/x}"* ]]
	[ "${#lines[@]}" -eq 1 ]
}

@test "an unknown {+...} string with --plus is an error naming it" {
	fanout_only
	run fanout --plus echo '{+x}' ::: a
	[ "$status" -eq 255 ]
	[[ $output == *"{+x}"* ]]
}

@test "no job runs when a replacement string is bad" {
	fanout_only
	run fanout --plus 'touch ran; echo {/[/x}' ::: a
	[ "$status" -eq 255 ]
	[ ! -e ran ]
}

@test "values of --plus strings are quoted for the shell" {
	gnu_same '. "$ODD"; parallel -k --plus "printf \"[%s]\\n\"" {:1} {/x/\;} ::: "${A[@]}"'
}

@test "--plus strings with -q" {
	gnu_same 'parallel -k -q --plus printf "%s|%s\n" {..} "{/b/ }" ::: "a b.c.d"'
}

@test "--plus strings in --tagstring" {
	gnu_same 'parallel -k --plus --tagstring "{+.}:" echo {.} ::: a.b c.d'
}

@test "a --rpl with a group and side effects runs once per job" {
	gnu_same 'parallel -k -j1 --rpl "{c(\d)} \$c += \$\$1; \$_ = \$c" echo {c2} ::: a b'
	[ "$output" = "$(printf '2\n4')" ]
}

@test "{0} is every argument, {00} and {-0} none, as Perl reads them" {
	gnu_same 'parallel -k --dry-run echo {0} {00} {-0} {0.} x ::: a.b ::: c'
	[ "$output" = "echo a.b c   a c x" ]
}
