#!/usr/bin/env bats
# Replacement strings: {} {.} {/} {//} {/.} {#} {%} and positional {n} {-n}.

# Snippets are single-quoted on purpose; run/gnu_same set $stderr & co.
# shellcheck disable=SC2016,SC2154
load helpers

@test "{} is the whole argument" {
	gnu_same 'parallel -k echo "={}=" ::: a b/c.d'
	[ "$output" = "$(printf '=a=\n=b/c.d=')" ]
}

@test "{.} strips only the last extension" {
	gnu_same 'parallel --dry-run echo {.} ::: a/b/c.tar.gz'
	[ "$output" = "echo a/b/c.tar" ]
}

@test "{.} leaves dots in directory names alone" {
	gnu_same 'parallel -k echo {.} ::: a.b/c dir.d/file.txt noext a.b. ./x ../y.z'
	[ "${lines[0]}" = a.b/c ]
	[ "${lines[1]}" = dir.d/file ]
}

@test "{.} of a dot file removes the whole name, as GNU does" {
	gnu_same 'parallel -k --dry-run echo {.} ::: .hidden a/.hidden .x.y'
}

@test "{/} is the basename" {
	gnu_same 'parallel -k echo {/} ::: /abs/path/file.c rel/file x ./y'
	[ "$output" = "$(printf 'file.c\nfile\nx\ny')" ]
}

@test "{/} of a path ending in a slash is empty, as GNU has it" {
	gnu_same 'parallel -k --dry-run echo {/} ::: a/ a/b/ / //'
}

@test "{//} is the dirname" {
	gnu_same 'parallel -k echo {//} ::: /abs/path/file.c rel/file x ./y a/b/c'
	[ "$output" = "$(printf '/abs/path\nrel\n.\n.\na/b')" ]
}

@test "{//} follows Perl's dirname for odd paths" {
	gnu_same 'parallel -k --dry-run echo {//} ::: /abs a/ a/b/ / // a//b'
}

@test "{/.} is the basename without its last extension" {
	gnu_same 'parallel -k echo {/.} ::: /a/b.c.d x.y/z e.f'
	[ "$output" = "$(printf 'b.c\nz\ne')" ]
}

@test "{/.} of a dot file is empty" {
	gnu_same 'parallel -k --dry-run echo {/.} ::: a/.x .y'
}

@test "replacement strings of an empty argument" {
	gnu_same 'parallel -k --dry-run echo {} {.} {/} {//} {/.} ::: ""'
}

@test "{#} is the job's sequence number from 1" {
	gnu_same 'parallel -k echo {#}:{} ::: a b c d'
	[ "$output" = "$(printf '1:a\n2:b\n3:c\n4:d')" ]
}

@test "{#} counts the combinations of several sources" {
	gnu_same 'parallel -k echo {#} ::: a b ::: 1 2 3'
	[ "$output" = "$(seq 6)" ]
}

@test "{#} follows the input order whatever the finishing order" {
	gnu_same 'parallel -k -j4 "sleep 0.0\$((9-{#})); echo {#} {}" ::: a b c d e f g h'
}

@test "{%} is 1 for every job with -j1" {
	gnu_same 'parallel -j1 -k echo {%} ::: a b c'
	[ "$output" = "$(printf '1\n1\n1')" ]
}

@test "{n} picks the nth input source" {
	gnu_same 'parallel -k echo {2}-{1} ::: a b ::: x y'
	[ "$output" = "$(printf 'x-a\ny-a\nx-b\ny-b')" ]
}

@test "{-n} counts the sources from the last" {
	gnu_same 'parallel echo {-1} {-2} {-3} ::: a ::: b ::: c'
	[ "$output" = "c b a" ]
}

@test "positional strings take the . / // and /. forms" {
	gnu_same 'parallel --dry-run echo {1} {2.} {-1/} {1//} {3/.} ::: a/b.c ::: d/e.f ::: g/h.i.j'
	[ "$output" = "echo a/b.c d/e h.i.j a h.i" ]
}

@test "every form of a positional string agrees with the plain form" {
	gnu_same 'parallel -k echo {1.} {1/} {1//} {1/.} {-1.} {-1/} {-1//} {-1/.} {2.} {2/} ::: d/x.y p/q.r ::: e/f/g.h.i'
}

@test "{1} with stdin is the line" {
	gnu_same 'printf "a b\nc.d\n" | parallel -k --dry-run echo {1} {1.}'
}

@test "positional strings pick from -a files and ::: alike" {
	gnu_same 'printf "f1\nf2\n" > f; parallel -k echo {2}/{1} -a f ::: x y'
}

@test "positional strings follow --link pairing" {
	gnu_same 'parallel -k --link echo {2}{1} ::: a b c ::: 1 2'
	[ "$output" = "$(printf '1a\n2b\n1c')" ]
}

@test "a positional beyond the number of sources is empty" {
	gnu_same 'parallel --dry-run echo [{4}] [{-5}] ::: a ::: b'
}

@test "without a replacement string the arguments are appended" {
	gnu_same 'parallel -k --dry-run echo x ::: "a b" c ::: d'
	[ "$output" = "$(printf "echo x 'a b' d\necho x c d")" ]
}

@test "with a replacement string nothing is appended" {
	gnu_same 'parallel -k echo {1} ::: a ::: b; parallel -k echo {#} ::: c; parallel -k echo {%} ::: d'
	[ "$output" = "$(printf 'a\n1\n1')" ]
}

@test "words like {foo} and { } are not replacement strings" {
	gnu_same 'parallel --dry-run echo {foo} { } {x} {1x} ::: a'
}

@test "a replacement string can sit next to text" {
	gnu_same 'parallel -k echo pre{}post x{.}y ::: a.b c'
	[ "$output" = "$(printf 'prea.bpost xay\nprecpost xcy')" ]
}

@test "several replacement strings can share one word" {
	gnu_same 'parallel -k echo {}{}-{.}.{/}/{#} ::: a/b.c d'
}

@test "a replacement string can be the command word" {
	gnu_same 'parallel -k {} hello ::: echo "printf %s-"; echo; parallel -k "{1} {2}" ::: echo ::: x y'
}

@test "a replacement string can be used several times" {
	gnu_same 'parallel -k "echo {} {} {}; echo {.}{.}" ::: a.b'
	[ "$output" = "$(printf 'a.b a.b a.b\naa')" ]
}

@test "a replacement string can name the output file of a redirection" {
	gnu_same 'parallel "echo {} > {.}.out" ::: x.in y.in; cat x.out y.out; ls'
}

@test "replacement strings work in a command given as one quoted word" {
	gnu_same 'parallel -k "echo {}; echo {.}" ::: f.c g.h'
}

@test "with no command, braces in the input lines are left alone" {
	gnu_same 'printf "echo {}\n" | parallel; parallel -k ::: "echo {#}" "echo {.}"'
	[ "$output" = "$(printf '{}\n{#}\n{.}')" ]
}

# --- --template ---

@test "--template fills a file per job, its name and text both replaced" {
	gnu_same 'printf "X: {1}\nY: {2}\nTen: {=1 \$_=\$_*10 =}\n" >my.tmpl; parallel --template my.tmpl=out.{#}.txt -k "cat out.{#}.txt" ::: 1 2 ::: a b; ls out.*'
	[[ ${lines[0]} == "X: 1" && ${lines[5]} == "Ten: 10" && ${lines[-1]} == out.4.txt ]]
}

@test "--template with --cleanup removes the files when the job ends" {
	gnu_same 'printf "v={}\n" >t; parallel --tmpl t=o.{}.txt --cleanup -k "cat o.{}.txt" ::: 5 6; ls | grep -c "^o\\." '
	[[ $output == "v=5
v=6
0" ]]
}

@test "--template with a missing file stops before any job with status 255" {
	gnu_same 'parallel --tmpl nofile=o.txt touch ran ::: 1; echo "rc=$?"; ls'
	[[ $output == rc=255 ]]
}
