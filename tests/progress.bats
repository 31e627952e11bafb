#!/usr/bin/env bats
# --progress, --eta and --bar: drawn on standard error only when it is a
# terminal, redrawn at most about ten times a second, with a final summary.
#
# The terminal is a pseudo-terminal made by script(1); the jobs' standard
# output goes to a file, so what script records is fanout's standard error
# as the terminal saw it.

# shellcheck disable=SC2016,SC2154
load helpers

setup() {
	fanout_setup
	need_cmd script
}

# on_tty 'FANOUT ARGS...': run fanout with stderr on a pseudo-terminal;
# the terminal's text goes to tty.out (carriage returns kept), the exit
# status to $status.
on_tty() {
	status=0
	script -qec "$FANOUT $1" /dev/null </dev/null >tty.out 2>&1 || status=$?
	# The terminal adds a carriage return before each newline.
	sed -i 's/\r$//' tty.out
}

# on_tty_stdin 'PRODUCER' 'FANOUT ARGS...': the same with fanout's input
# piped from PRODUCER.
on_tty_stdin() {
	status=0
	script -qec "$1 | $FANOUT $2" /dev/null </dev/null >tty.out 2>&1 || status=$?
	sed -i 's/\r$//' tty.out
}

# last_draw: the text after the last carriage return of tty.out.
last_draw() {
	tail -n 1 tty.out | awk -F'\r' '{ print $NF }'
}

@test "--progress draws the table head and a final summary on a terminal" {
	on_tty "--progress -k -j2 'sleep 0.3; echo {}' ::: 1 2 3 >out"
	[ "$status" -eq 0 ]
	grep -q '^Computers / CPU cores / Max jobs to run$' tty.out
	grep -q '^1:local / [0-9]* / 2$' tty.out
	grep -q '^Computer:jobs running/jobs completed/%of started jobs/Average seconds to complete$' tty.out
	[[ $(last_draw) =~ ^local:0/3/100%/[0-9.]+s\ $ ]]
	[ "$(cat out)" = "$(printf '1\n2\n3')" ]
}

@test "--eta shows the jobs left, down to none at the end" {
	on_tty "--eta -j1 'echo {}' ::: a b c >out"
	[ "$status" -eq 0 ]
	[[ $(last_draw) =~ ^ETA:\ 0s\ Left:\ 0\ AVG:\ [0-9.]+s\ \ local:0/3/100%/[0-9.]+s\ $ ]]
}

@test "--eta counts input read from stdin up front" {
	on_tty_stdin "seq 4" "--eta -j1 echo >out"
	[ "$status" -eq 0 ]
	grep -q 'Left: 4 ' tty.out || grep -q 'Left: 3 ' tty.out
	[[ $(last_draw) == *"Left: 0 "* ]]
}

@test "--bar ends at 100% with the last job's arguments, in GNU's layout" {
	on_tty "--bar -j1 'echo {}' ::: a b c >out"
	[ "$status" -eq 0 ]
	local last
	last=$(tail -n 1 tty.out)
	# The zenity lines, then the bar in reverse video.
	[[ $last == *$'\r#   0 sec c '*$'\r100\r\e[7m100% 3:0=0s c '*$'\e[0m\e[0m' ]]
	[ "$(cat out)" = "$(printf 'a\nb\nc')" ]
}

@test "--bar with --total-jobs shows the share of the total given" {
	on_tty_stdin "seq 2" "--bar --total-jobs 4 -j1 echo >out"
	[ "$status" -eq 0 ]
	[[ $(tail -n 1 tty.out) == *$'\r50\r\e[7m50% 2:2='* ]]
}

@test "--bar fills the terminal's width and reverses the done part" {
	on_tty "--bar -j1 echo ::: 1 2 >out"
	local last bar
	last=$(tail -n 1 tty.out)
	bar=${last##*$'\e[7m'}
	bar=${bar//$'\e[0m'/}
	# script's terminal is as wide as fanout sees it: 80 without a size.
	[ "${#bar}" -ge 20 ]
	[[ $bar == "100% 2:0=0s 2 "* ]]
}

@test "--progress, --eta and --bar draw nothing when stderr is not a terminal" {
	# GNU draws them into files and pipes too.
	fanout_only
	local o
	for o in --progress --eta --bar; do
		run --separate-stderr fanout -k "$o" echo ::: a b
		[ "$status" -eq 0 ]
		[ "$output" = "$(printf 'a\nb')" ]
		[ -z "$stderr" ]
	done
}

@test "--bar redraws at most about ten times a second" {
	# GNU redraws each time round its loop.
	fanout_only
	local t0 t1 draws
	t0=$(date +%s%N)
	on_tty "--bar -j1 'sleep 1.5' ::: 1 >out"
	t1=$(date +%s%N)
	draws=$(grep -o $'\e\\[7m' tty.out | wc -l)
	echo "draws: $draws in $(((t1 - t0) / 1000000)) ms"
	[ "$draws" -ge 2 ]
	# Ten a second, and the final one; the bound allows for the start.
	[ "$draws" -le $(((t1 - t0) / 100000000 + 3)) ]
}

@test "--progress leaves the jobs' output alone" {
	on_tty "--progress --bar -k 'printf \"%s\\n\" {}' ::: x y >out"
	[ "$(od -c out)" = "$(printf 'x\ny\n' | od -c)" ]
}
