#!/usr/bin/env bats
# The wrapper scripts fanout-cp, fanout-cpio, fanout-rsync and fanout-dd:
# trees with odd names, empty directories and symbolic links copied whole
# with their modes and times, a file that cannot be read reported while
# the rest is copied, the options, and the one-line errors.

load helpers

setup() {
	fanout_setup
	W=$(dirname "$FANOUT")
	[[ -x $W/fanout-cp ]] || skip "the wrappers are not built beside $FANOUT"
	unset TMPDIR
}

# make_tree DIR: a tree with every kind of awkward name, empty
# directories, symbolic links, modes and old times, and enough files to
# keep several jobs busy.
make_tree() {
	local d=$1 i
	mkdir -p "$d/empty/deeper/deepest" "$d/-dash dir" "$d/sub/deep" "$d/many"
	printf 'spaces\n' >"$d/with  two spaces"
	printf 'quotes\n' >"$d/it's \"quoted\""
	printf 'newline\n' >"$d/new"$'\n'"line"
	printf 'trailing\n' >"$d/ends in newline"$'\n'
	printf 'latin1\n' >"$d/caf"$'\xe9'" latin1"
	printf 'dash\n' >"$d/-dash dir/-leading dash"
	printf 'glob\n' >"$d/star * and ? [x]"
	printf 'dollar\n' >"$d/\$HOME and \`date\` and \\back"
	head -c 300000 /dev/urandom >"$d/sub/deep/big"
	for i in $(seq 1 60); do
		printf 'file %d\n' "$i" >"$d/many/f$i"
	done
	ln -s "with  two spaces" "$d/link to file"
	ln -s ../sub "$d/many/link to dir"
	ln -s "nowhere at all" "$d/dangling link"
	chmod 600 "$d/many/f1"
	chmod 755 "$d/many/f2"
	chmod 750 "$d/sub"
	chmod 700 "$d/empty/deeper"
	touch -d '2001-02-03 04:05:06' "$d/many/f3" "$d/sub/deep/big" \
		"$d/new"$'\n'"line"
	touch -d '2002-03-04 05:06:07' "$d/empty/deeper/deepest" "$d/empty" "$d/sub/deep" "$d/sub"
}

# listing DIR: every entry of DIR as "mtime mode type name", the time in
# whole seconds (cpio keeps no more) and none for links, sorted, NUL-ended.
listing() {
	(cd -- "$1" && find . \( -type l -printf '0 %m %y %P -> %l\0' \) -o \
		-printf '%T@ %m %y %P\0') | sed -z 's/^\([0-9]*\)\.[0-9]*/\1/' | sort -z
}

# same_tree SRC DST [EXCLUDE]: the same contents, links, modes and times.
same_tree() {
	local x=()
	[[ -z ${3:-} ]] || x=(-x "$3")
	diff -r --no-dereference "${x[@]}" -- "$1" "$2"
	if [[ -n ${3:-} ]]; then
		listing "$1" | grep -zav -- "$3" | tr '\0\n' '\n|' >src.list
	else
		listing "$1" | tr '\0\n' '\n|' >src.list
	fi
	listing "$2" | tr '\0\n' '\n|' >dst.list
	diff src.list dst.list
}

# as_user CMD...: run CMD without root's power to read any file, so that a
# file of mode 000 cannot be read; false when that cannot be arranged.
as_user() {
	if [[ $(id -u) != 0 ]]; then
		"$@"
	else
		setpriv --bounding-set=-dac_override,-dac_read_search "$@"
	fi
}

need_unreadable() {
	if [[ $(id -u) == 0 ]]; then
		need_cmd setpriv
		setpriv --bounding-set=-dac_override,-dac_read_search true 2>/dev/null ||
			skip "running as root and setpriv cannot drop the capability to read any file"
	fi
}

# path_without CMD...: a directory to use as PATH that has every command
# of /usr/bin and /bin but CMD.
path_without() {
	local p=$BATS_TEST_TMPDIR/path-without f n
	mkdir -p "$p"
	for f in /usr/local/bin/* /usr/bin/* /bin/*; do
		n=${f##*/}
		[[ -e $p/$n || -L $p/$n ]] && continue
		ln -s "$f" "$p/$n"
	done
	for n in "$@"; do
		rm -f "$p/$n"
	done
	printf '%s\n' "$p"
}

# copy_test WRAPPER [OPTIONS...]: copy the odd tree and compare.
copy_test() {
	make_tree src
	run --separate-stderr "$W/$1" "${@:2}" src dst
	echo "$output"
	echo "$stderr"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[[ $output == "$1: 72 files, "*" bytes, "*" jobs, "*" s, "*" MB/s" ]]
	same_tree src dst
}

# unreadable_test WRAPPER: a file that cannot be read is reported by name,
# the exit status is 1, and everything else is copied.
unreadable_test() {
	need_unreadable
	make_tree src
	printf 'secret\n' >src/many/locked
	chmod 000 src/many/locked
	run --separate-stderr as_user "$W/$1" src dst
	echo "$output"
	echo "$stderr"
	[ "$status" -eq 1 ]
	[[ $stderr == *"Permission denied"* ]]
	[[ $stderr == *"$1: not copied: ./many/locked"* ]]
	[[ $stderr == *"$1: 1 of 73 files not copied"* ]]
	[[ $output == "$1: 73 files, "* ]]
	[ ! -e dst/many/locked ]
	same_tree src dst locked
}

# --- copies ---

@test "fanout-cp copies odd names, empty directories and links with their modes and times" {
	copy_test fanout-cp
}

@test "fanout-cp -X copies in batches with the same result" {
	copy_test fanout-cp -X
}

# cp_shim [REFUSE]: a cp first in PATH that logs how many names each run
# was given (the words after --) to cp.log, then copies all but the names
# that contain REFUSE and fails when it left one out.
cp_shim() {
	mkdir -p "$BATS_TEST_TMPDIR/shim"
	export CP_LOG=$PWD/cp.log CP_REFUSE=${1:-}
	cat >"$BATS_TEST_TMPDIR/shim/cp" <<'EOF'
#!/bin/bash
args=() names=() st=0 seen=0
for a; do
	if [[ $seen == 0 ]]; then
		args+=("$a")
		[[ $a == -- ]] && seen=1
	elif [[ -n $CP_REFUSE && $a == *"$CP_REFUSE"* ]]; then
		echo "cp: refusing $a" >&2
		st=1
	else
		names+=("$a")
	fi
done
echo "${#names[@]}" >>"$CP_LOG"
[[ ${#names[@]} == 0 ]] || /bin/cp "${args[@]}" "${names[@]}" || st=1
exit "$st"
EOF
	chmod +x "$BATS_TEST_TMPDIR/shim/cp"
	PATH=$BATS_TEST_TMPDIR/shim:$PATH
}

@test "fanout-cp -X gives each cp a batch of names, every file once" {
	make_tree src
	cp_shim
	run --separate-stderr "$W/fanout-cp" -X -j 4 src dst
	[ "$status" -eq 0 ]
	same_tree src dst
	cat cp.log
	# 72 names, well within one command line: spread over the 4 slots.
	[ "$(wc -l <cp.log)" -eq 4 ]
	[ "$(awk '{ n += $1 } END { print n }' cp.log)" -eq 72 ]
}

@test "fanout-cp -X fails when one cp of a batch fails, and names what it left out" {
	make_tree src
	cp_shim f17
	run --separate-stderr "$W/fanout-cp" -X -j 4 src dst
	echo "$stderr"
	[ "$status" -eq 1 ]
	[[ $stderr == *"cp: refusing ./many/f17"* ]]
	[[ $stderr == *"fanout-cp: not copied: ./many/f17"* ]]
	[[ $stderr == *"fanout-cp: 1 of 72 files not copied"* ]]
	same_tree src dst f17
}

@test "fanout-cpio copies odd names, empty directories and links with their modes and times" {
	need_cmd cpio
	copy_test fanout-cpio
}

@test "fanout-cpio copies the same without fpart, from find's list" {
	need_cmd cpio
	PATH=$(path_without fpart) copy_test fanout-cpio
}

@test "fanout-rsync copies odd names, empty directories and links with their modes and times" {
	need_cmd rsync fpart
	copy_test fanout-rsync
}

@test "fanout-cp copies into a destination whose name has spaces and a leading dash" {
	make_tree src
	mkdir -- "-my dest"
	run "$W/fanout-cp" -j 2 -- src "-my dest"
	[ "$status" -eq 0 ]
	same_tree src "-my dest"
}

@test "copying into a tree copied before brings it up to date" {
	need_cmd cpio rsync fpart
	make_tree src
	local w
	for w in fanout-cp fanout-cpio fanout-rsync; do
		rm -rf dst
		"$W/$w" src dst >/dev/null
		rm dst/many/f7 "dst/with  two spaces"
		printf 'changed\n' >src/many/f8
		touch -d '2003-01-01' src/many/f8
		run "$W/$w" src dst
		echo "$w: $output"
		[ "$status" -eq 0 ]
		same_tree src dst
	done
}

@test "fanout-rsync finishes a copy that was cut short" {
	need_cmd rsync fpart
	make_tree src
	"$W/fanout-rsync" src dst >/dev/null
	rm -rf dst/many dst/sub/deep/big
	run "$W/fanout-rsync" src dst
	[ "$status" -eq 0 ]
	same_tree src dst
}

# --- files that cannot be read ---

@test "fanout-cp reports a file it cannot read and copies the rest" {
	unreadable_test fanout-cp
}

@test "fanout-cp -X reports a file it cannot read and copies the rest" {
	need_unreadable
	make_tree src
	printf 'secret\n' >src/many/locked
	chmod 000 src/many/locked
	run --separate-stderr as_user "$W/fanout-cp" -X src dst
	[ "$status" -eq 1 ]
	[[ $stderr == *"fanout-cp: not copied: ./many/locked"* ]]
	same_tree src dst locked
}

@test "fanout-cpio reports a file it cannot read and copies the rest" {
	need_cmd cpio
	unreadable_test fanout-cpio
}

@test "fanout-rsync reports a file it cannot read and copies the rest" {
	need_cmd rsync fpart
	unreadable_test fanout-rsync
}

@test "a file name with a newline is listed escaped when it is not copied" {
	need_unreadable
	mkdir src
	printf 'x\n' >src/a
	printf 'x\n' >"src/two"$'\n'"lines"
	chmod 000 "src/two"$'\n'"lines"
	run --separate-stderr as_user "$W/fanout-cp" src dst
	[ "$status" -eq 1 ]
	[[ $stderr == *'fanout-cp: not copied: ./two\nlines'* ]]
	[ -f dst/a ]
}

@test "a directory that cannot be read is reported and the rest copied" {
	need_unreadable
	make_tree src
	mkdir src/closed
	printf 'x\n' >src/closed/inside
	chmod 000 src/closed
	run --separate-stderr as_user "$W/fanout-cp" src dst
	chmod 755 src/closed
	[ "$status" -eq 1 ]
	[[ $stderr == *"closed"*"Permission denied"* ]]
	[ -f dst/many/f60 ]
}

# --- options ---

@test "-n prints the commands and copies nothing" {
	need_cmd cpio rsync fpart
	make_tree src
	local w
	for w in fanout-cp fanout-cpio fanout-rsync; do
		run --separate-stderr "$W/$w" -n src dst
		[ "$status" -eq 0 ]
		[[ $output == *"$FANOUT"* ]]
		[[ ${lines[-1]} == "$w: would copy 72 files, "*" bytes with "*" jobs" ]]
		[ ! -e dst ]
		run "$W/$w" --dry-run src dst
		[ "$status" -eq 0 ]
		[ ! -e dst ]
	done
}

@test "-j and the JOBS operand set the number of jobs" {
	make_tree src
	run "$W/fanout-cp" -j 3 src dst
	[ "$status" -eq 0 ]
	[[ $output == *", 3 jobs, "* ]]
	run "$W/fanout-cp" --jobs=5 src dst2
	[[ $output == *", 5 jobs, "* ]]
	run "$W/fanout-cp" src dst3 7
	[[ $output == *", 7 jobs, "* ]]
	same_tree src dst3
}

@test "the default is 4 jobs per CPU thread" {
	mkdir src
	run "$W/fanout-cp" src dst
	[ "$status" -eq 0 ]
	[[ $output == *", $(($(nproc) * 4)) jobs, "* ]]
}

@test "-j with a bad number is one line and exit 2" {
	mkdir src
	run --separate-stderr "$W/fanout-cp" -j 0 src dst
	[ "$status" -eq 2 ]
	[ "$stderr" = "fanout-cp: the number of jobs must be a positive whole number, not '0'" ]
	run --separate-stderr "$W/fanout-cpio" src dst x
	[ "$status" -eq 2 ]
	[ "$stderr" = "fanout-cpio: JOBS must be a positive whole number, not 'x'" ]
	[ ! -e dst ]
}

@test "an unknown option is one line and exit 2" {
	run --separate-stderr "$W/fanout-rsync" --bogus src dst
	[ "$status" -eq 2 ]
	[ "$stderr" = "fanout-rsync: unknown option '--bogus' (try 'fanout-rsync --help')" ]
}

@test "-v prints each step on stderr and each file as it is copied" {
	make_tree src
	run --separate-stderr "$W/fanout-cp" -v -j 2 src dst
	[ "$status" -eq 0 ]
	[[ $stderr == *"cd "*"&& "*"fanout --plain -0 -j 2"* ]]
	[[ $output == *"many/f17"* ]]
	same_tree src dst
}

@test "--progress is silent when stderr is not a terminal" {
	make_tree src
	run --separate-stderr "$W/fanout-cp" --progress src dst
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
}

@test "--progress shows files/s and MB/s on a terminal" {
	need_cmd script
	mkdir -p src slowbin
	local i
	for i in 1 2 3 4 5 6; do printf '%d\n' "$i" >"src/f$i"; done
	# a cp that takes its time, so that the copy lasts a few seconds
	printf '#!/bin/sh\nsleep 0.6\nexec %s "$@"\n' "$(command -v cp)" >slowbin/cp
	chmod +x slowbin/cp
	PATH=$PWD/slowbin:$PATH script -qec "$W/fanout-cp --progress -j 1 src dst" /dev/null >out
	grep -q 'files/s, .* MB/s' out
	grep -q 'fanout-cp: 6 files, ' out
	[ -f dst/f6 ]
}

@test "--help names every option and the man page documents them" {
	need_cmd mandoc
	local w opt
	for w in fanout-cp fanout-cpio fanout-rsync fanout-dd; do
		run "$W/$w" --help
		[ "$status" -eq 0 ]
		[[ $output == "usage: $w "* ]]
		[ -f "$FANOUT_SRCDIR/doc/$w.1" ]
		mandoc -Tascii -O width=200 "$FANOUT_SRCDIR/doc/$w.1" | sed 's/.\x08//g' >man.txt
		for opt in $(grep -oE -- '(^|[ ,\[])--?[a-zA-Z][a-z-]*' <<<"$output" | tr -d ' ,[' | sort -u); do
			grep -qE -- "(^|[^a-z-])$opt([^a-z-]|\$)" man.txt || {
				echo "$w: $opt is not in doc/$w.1"
				return 1
			}
		done
	done
}

@test "the man pages pass mandoc -Tlint at warning level" {
	need_cmd mandoc
	local w
	for w in fanout-cp fanout-cpio fanout-rsync fanout-dd; do
		run mandoc -Tlint -Wwarning "$FANOUT_SRCDIR/doc/$w.1"
		echo "$output"
		[ "$status" -eq 0 ]
		[ -z "$output" ]
	done
}

@test "-V prints the version" {
	run "$W/fanout-cpio" -V
	[ "$status" -eq 0 ]
	[[ $output == "fanout-cpio (fanout) "[0-9]* ]]
}

@test "\$PARALLEL and ~/.parallel/config do not change the wrappers' fanout" {
	need_cmd cpio
	make_tree src
	printf -- '--dry-run\n' >"$HOME/.parallel/config"
	run env PARALLEL=--dry-run "$W/fanout-cpio" src dst
	[ "$status" -eq 0 ]
	same_tree src dst
}

# --- errors of use ---

@test "a missing SRC is one line and exit 2, and DST is not made" {
	run --separate-stderr "$W/fanout-cp" nosuch dst
	[ "$status" -eq 2 ]
	[ "$stderr" = "fanout-cp: nosuch: no such directory" ]
	[ ! -e dst ]
	: >afile
	run --separate-stderr "$W/fanout-cpio" afile dst
	[ "$status" -eq 2 ]
	[ "$stderr" = "fanout-cpio: afile: not a directory" ]
}

@test "an unwritable DST is one line and exit 2" {
	need_unreadable
	mkdir src ro
	printf 'x\n' >src/a
	chmod 555 ro
	run --separate-stderr as_user "$W/fanout-cp" src ro
	[ "$status" -eq 2 ]
	[ "$stderr" = "fanout-cp: ro: not writable (Permission denied)" ]
	run --separate-stderr as_user "$W/fanout-rsync" src ro/new
	[ "$status" -eq 2 ]
	[ "$stderr" = "fanout-rsync: ro/new: cannot create the directory (Permission denied)" ]
}

@test "a DST that is a file is one line and exit 2" {
	mkdir src
	: >dst
	run --separate-stderr "$W/fanout-cp" src dst
	[ "$status" -eq 2 ]
	[ "$stderr" = "fanout-cp: dst: not a directory" ]
}

@test "a missing cpio, rsync or fpart is one line and exit 2" {
	mkdir src
	run --separate-stderr env PATH="$(path_without cpio)" "$W/fanout-cpio" src dst
	[ "$status" -eq 2 ]
	[ "$stderr" = "fanout-cpio: cpio not found in PATH (it is in the Debian package cpio)" ]
	run --separate-stderr env PATH="$(path_without rsync)" "$W/fanout-rsync" src dst
	[ "$status" -eq 2 ]
	[ "$stderr" = "fanout-rsync: rsync not found in PATH (it is in the Debian package rsync)" ]
	run --separate-stderr env PATH="$(path_without fpart)" "$W/fanout-rsync" src dst
	[ "$status" -eq 2 ]
	[ "$stderr" = "fanout-rsync: fpart not found in PATH (it is in the Debian package fpart)" ]
	[ ! -e dst ]
}

@test "too few or too many operands print the usage and exit 2" {
	run --separate-stderr "$W/fanout-cp" onlyone
	[ "$status" -eq 2 ]
	[[ $stderr == "usage: fanout-cp "* ]]
	run --separate-stderr "$W/fanout-cp" a b 3 d
	[ "$status" -eq 2 ]
}

# --- finding fanout ---

@test "a wrapper runs the fanout beside it" {
	mkdir -p bin src
	cp "$W/fanout-cp" bin/
	printf '#!/bin/sh\necho beside >"%s/called"\nexit 0\n' "$PWD" >bin/fanout
	chmod +x bin/fanout
	printf 'x\n' >src/a
	run bin/fanout-cp src dst
	[ "$(cat called)" = beside ]
}

@test "a wrapper with no fanout beside it finds one in PATH" {
	mkdir -p bin other src
	cp "$W/fanout-cp" bin/
	ln -s "$FANOUT" other/fanout
	printf 'x\n' >src/a
	run env PATH="$PWD/other:$PATH" bin/fanout-cp src dst
	[ "$status" -eq 0 ]
	[ -f dst/a ]
}

# --- fanout-dd ---

@test "fanout-dd writes SIZE over JOBS writers, reports it and cleans up" {
	mkdir out
	run --separate-stderr "$W/fanout-dd" out 3M 3
	echo "$output $stderr"
	[ "$status" -eq 0 ]
	[[ $output == "fanout-dd: 3 files, 3145728 bytes, 3 jobs, "*" s, "*" MB/s" ]]
	[ -z "$(ls -A out)" ]
	run "$W/fanout-dd" --sync=each -j 2 out 1000001 2 4k
	[ "$status" -eq 0 ]
	[[ $output == "fanout-dd: 2 files, 1000001 bytes, 2 jobs, "* ]]
}

@test "fanout-dd -n prints the writers and writes nothing" {
	mkdir out
	run "$W/fanout-dd" -n out 1G 4 64k
	[ "$status" -eq 0 ]
	[[ $output == *"dd if=/dev/zero"*"bs=65536"*"::: 1 2 3 4 :::+ 268435456 268435456 268435456 268435456"* ]]
	[ -z "$(ls -A out)" ]
}

@test "fanout-dd rejects a bad SIZE, BLOCK or --sync in one line" {
	mkdir out
	run --separate-stderr "$W/fanout-dd" out 12X
	[ "$status" -eq 2 ]
	[ "$stderr" = "fanout-dd: SIZE must be a positive number of bytes (k, M, G, T), not '12X'" ]
	run --separate-stderr "$W/fanout-dd" --sync=never out 1M
	[ "$status" -eq 2 ]
	[ "$stderr" = "fanout-dd: --sync takes each or end, not 'never'" ]
	run --separate-stderr "$W/fanout-dd" nosuch 1M
	[ "$status" -eq 2 ]
	[ "$stderr" = "fanout-dd: nosuch: no such directory" ]
}

# --- the scripts themselves ---

@test "the wrappers pass shellcheck as POSIX sh" {
	need_cmd shellcheck
	shellcheck -s sh "$W/fanout-cp" "$W/fanout-cpio" "$W/fanout-rsync" "$W/fanout-dd"
}

@test "the transfer study script passes shellcheck" {
	need_cmd shellcheck
	shellcheck -s sh "$FANOUT_SRCDIR/tests/bench/transfer-study"
}

# --- the transfer study and slowfs ---

@test "the transfer study copies a small data set with every tool and checks each copy" {
	need_cmd cpio rsync fpart
	run env STUDY_FILES=30 STUDY_SIZE=4k STUDY_DELAY=0 STUDY_COLD=0 \
		STUDY_OUT="$PWD/out" "$FANOUT_SRCDIR/tests/bench/transfer-study" "$FANOUT"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ $output == *"transfer study: 30 files, "* ]]
	[ "$(grep -c ' identical$' out/table.txt)" -ge 5 ]
	! grep -q DIFFERS out/table.txt
	grep -q '^fanout-cpio  *30 ' out/table.txt
	if command -v gnuplot >/dev/null; then
		[ -s out/transfer-study.png ]
	fi
}

@test "slowfs passes files, links and modes through to the backing directory" {
	need_cmd pkg-config fusermount3
	pkg-config --exists fuse3 || skip "libfuse3 is not installed"
	[ -e /dev/fuse ] || skip "no /dev/fuse"
	${CC:-cc} -O2 -Wall -Wextra -Wno-unused-parameter -Werror -o slowfs \
		"$FANOUT_SRCDIR/tests/bench/slowfs.c" $(pkg-config --cflags --libs fuse3)
	mkdir back mnt
	./slowfs -o delay=1 back mnt 2>err || skip "FUSE cannot mount here: $(head -n 1 err)"
	printf 'hello\n' >mnt/a
	mkdir mnt/d
	ln -s a mnt/link
	chmod 640 mnt/a
	touch -d '2001-01-01 00:00:00' mnt/a
	mv mnt/a mnt/d/b
	local got
	got=$(cat back/d/b; readlink back/link; stat -c '%a %Y' back/d/b)
	fusermount3 -u mnt
	[ "$got" = "$(printf 'hello\na\n640 %s' "$(date -d '2001-01-01 00:00:00' +%s)")" ]
}
