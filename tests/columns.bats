#!/usr/bin/env bats
# Columns and headers: --colsep, --trim, --header, --csv.

# Snippets are single-quoted on purpose; run/gnu_same set $stderr & co.
# shellcheck disable=SC2016,SC2154
load helpers

@test "--colsep splits each line into {1} {2} ..." {
	gnu_same 'printf "a\tb\tc\nd\te\tf\n" | parallel -k --colsep "\t" echo {3} {1}'
	[ "${lines[0]}" = "c a" ]
}

@test "{} with --colsep is every column" {
	gnu_same 'printf "a b\t c\nd\te\tf\n" | parallel -k --colsep "\t" echo "[{1}]" "[{2}]" "[{3}]" "[{}]"'
}

@test "--colsep is a Perl regular expression" {
	gnu_same 'printf "a1b22c\n" | parallel --colsep "\d+" echo {3} {2} {1}'
	[ "$output" = "c b a" ]
	gnu_same 'printf "a, b ,c\n" | parallel --colsep "\s*,\s*" showargs {1} {2} {3}'
}

@test "--colsep keeps empty columns, also at the ends" {
	gnu_same 'printf "a,b,,\n" | parallel --colsep , --dry-run echo {}'
	gnu_same 'printf ",a,b\n" | parallel --colsep , --dry-run echo {1}={2}={3}'
}

@test "--colsep capture groups become columns too" {
	gnu_same 'printf "a1b22c\n" | parallel --colsep "(\d+)" echo {1} {2} {3} {4}'
}

@test "--colsep that matches nothing splits between characters" {
	gnu_same 'printf "abc\n" | parallel --colsep "" echo {1} {2} {3}'
}

@test "a missing column is empty" {
	gnu_same 'printf "a,b\nc\n" | parallel -k --colsep , showargs {2} {1}'
}

@test "--colsep splits every input source" {
	gnu_same 'parallel -k --colsep , echo {1}-{2}-{3} ::: a,b c ::: d,e'
	gnu_same 'printf "a,b\n" >f; parallel -k -a f --colsep , echo {2}{1}'
}

@test "--colsep values with metacharacters are quoted" {
	gnu_same 'printf "%s\n" "a b,\$x,\`id\`" "'"'"'q'"'"',*,;" | parallel -k --colsep , showargs {3} {2} {1}'
}

@test "--colsep with several lines per job" {
	gnu_same 'printf "a,b\nc,d\ne,f\n" | parallel -k -N2 --colsep , echo {1}{4}'
	gnu_same 'printf "a,b\nc,d\ne,f\n" | parallel -k -X -j1 --colsep , echo x{}y'
}

@test "--colsep trims white space around columns unless --trim says n" {
	gnu_same 'printf " a , b \n" | parallel --colsep , echo "[{1}]" "[{2}]"'
	[ "$output" = "[a] [b]" ]
	gnu_same 'printf " a , b \n" | parallel --colsep , --trim n echo "[{1}]" "[{2}]"'
	[ "$output" = "[ a ] [ b ]" ]
}

@test "--trim l, r, lr and rl" {
	gnu_same 'printf " a , b \n" | parallel --colsep , --trim l echo "[{1}]" "[{2}]"'
	gnu_same 'printf " a , b \n" | parallel --colsep , --trim r echo "[{1}]" "[{2}]"'
	gnu_same 'printf " a , b \n" | parallel --colsep , --trim lr echo "[{1}]" "[{2}]"'
	gnu_same 'printf " a , b \n" | parallel --colsep , --trim rl echo "[{1}]" "[{2}]"'
}

@test "--trim works without --colsep" {
	gnu_same 'printf " a \n\tb\t\n" | parallel -k --trim r showargs {}'
	gnu_same 'printf " a \n\tb\t\n" | parallel -k --trim lr showargs {}'
}

@test "--header : names the columns of --colsep input" {
	gnu_same 'printf "x,y\n1,2\n3,4\n" | parallel -k --header : --colsep , echo {y} {x} {1}'
	[ "${lines[0]}" = "2 1 1" ]
}

@test "--header splits at tabs when no --colsep is given" {
	gnu_same 'printf "x\ty\n1\t2\n3\t4\n" | parallel -k --header : echo {y} {x}'
}

@test "--header names work with the modifiers {name.} {name/} and friends" {
	gnu_same 'printf "x,y\na/b.c,d/e.f\n" | parallel -k --header : --colsep , echo {y.} {x/} {x//} {y/.}'
}

@test "--header takes a regexp, and still reads one line" {
	gnu_same 'printf "x,y\n1,2\n3,4\n" | parallel -k --header ".*\n" --colsep , echo {y}{x}'
}

@test "--header : names ::: sources by their first value" {
	gnu_same 'parallel -k --header : echo {a}-{b} ::: a 1 2 ::: b 3'
	[ "$output" = "$(printf '1-3\n2-3')" ]
	gnu_same 'parallel -k --header : echo {a}-{b}-{c} ::: a 1 2 ::: b 3 ::: c 5 6'
}

@test "--header names work in --tagstring" {
	gnu_same 'parallel -k --header : --tagstring {a} echo {b} ::: a 1 2 ::: b 3'
}

@test "--header 0 names the sources after their files" {
	gnu_same 'printf "1\n2\n" >f1; printf "3\n" >f2; parallel -k --header 0 echo {f2}{f1} :::: f1 f2'
}

@test "--csv parses quoted fields with commas, quotes and newlines" {
	gnu_same 'printf "a,\"b,c\",d\n\"x\"\"y\",\"multi\nline\",z\n" | parallel -k --csv showargs {1} {2} {3}'
	[ "${lines[0]}" = "3:[a][b,c][d]" ]
}

@test "--csv with empty fields and empty lines" {
	gnu_same 'printf ",\n\na,,b\n" | parallel -k --csv showargs {1} {2} {3}'
}

@test "--csv with --colsep uses another separator" {
	gnu_same 'printf "a;\"b;c\"\n" | parallel --csv --colsep ";" showargs {1} {2}'
}

@test "--csv keeps white space, as Text::CSV does" {
	gnu_same 'printf " a , b \n" | parallel --csv showargs {1} {2}'
}

@test "--csv with --header names the fields" {
	gnu_same 'printf "n,v\nx,\"1,2\"\n" | parallel --csv --header : showargs {v} {n}'
}

@test "a line that is not CSV stops fanout with status 255" {
	fanout_only
	# GNU dies through Perl, whose exit status varies with errno.
	for line in 'a,"b' 'a,b"c' 'a, "b"' '"a"b,c' 'a,b\r'; do
		run sh -c 'printf "%b\n" "$1" | "$FANOUT" --csv echo {1}' sh "$line"
		[ "$status" -eq 255 ]
		[[ $output == *"not CSV"* ]]
	done
}

@test "--csv uses the first character of --colsep as the separator" {
	gnu_same 'printf "a|b||c\n" | parallel --csv --colsep "||" showargs {1} {2} {3}'
}

@test "an invalid --colsep regexp stops fanout before any job" {
	fanout_only
	run fanout --colsep '(' touch ran ::: a
	[ "$status" -eq 255 ]
	[ "${#lines[@]}" -eq 1 ]
	[[ $output == *"--colsep"*"("* ]]
	[ ! -e ran ]
}

@test "a bad --trim value stops fanout before any job" {
	fanout_only
	run fanout --trim x touch ran ::: a
	[ "$status" -eq 255 ]
	[ "${#lines[@]}" -eq 1 ]
	[[ $output == *"--trim"* ]]
	[ ! -e ran ]
}

@test "--results names its directories after the --header columns" {
	gnu_same 'parallel --header : --results res echo {a} ::: b 1 2 ::: a 3 >/dev/null; find res -type f | sort'
	gnu_same 'printf "x,y\n1,2\n" | parallel --header : --colsep , --results res true; find res -type f | sort'
}

@test "--results tables name their value columns after the --header columns" {
	gnu_same 'parallel -k --header : --results -.csv echo ::: x 1 ::: y 2 | cut -d, -f9-'
	gnu_same 'parallel -k --header : --results -.tsv echo ::: x 1 ::: y 2 | cut -f9-'
}

@test "--csv with -0 ends a record at its first line end outside quotes, as GNU" {
	gnu_same 'printf "a,b\nc,d\0" | parallel --csv -0 -k echo {1}x{2}x{3}x{4}x
		printf "a,b\r\n\0\"a\nb\"\nc\0" | parallel --csv -0 -k echo {1}x{2}x{3}x
		printf "a,\n\0" | parallel --csv -0 -k echo {1}x{2}x{3}x
		printf "a;b\nc\0" | parallel --csv --colsep ";" -0 -k echo {1}x{2}x{3}x'
	[ "${lines[0]}" = axbxxx ]
}
