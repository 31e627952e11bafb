#!/bin/sh
# run.sh BUILDDIR OUTDIR SECONDS: build the libFuzzer targets with clang
# (ASan and UBSan too) against BUILDDIR's config.h and compat library,
# then run each for SECONDS, starting from the committed seed corpus.
# Prints "fuzz: ok NAME" or "fuzz: FAIL NAME"; a failing input is kept as
# OUTDIR/crash-NAME-* (or leak-, timeout-, oom-), to be replayed with
# `OUTDIR/fuzz_NAME FILE'.  Exit status 1 if any target failed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=$(cd "$1" && pwd)
out=$2
secs=$3
mkdir -p "$out"
out=$(cd "$out" && pwd)

cc=${FUZZ_CC:-clang}
# shellcheck disable=SC2046 # pkg-config prints several words
set -- -g -O1 -std=gnu11 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all -Wall -Wextra -Wno-unused-parameter \
	-I"$build" -I"$top/src" -I"$top/compat" $(pkg-config --cflags libpcre2-8)
libs="$build/compat/libcompat.a $(pkg-config --libs libpcre2-8) -pthread -Wl,--wrap=exit"

status=0
for name in opts tmpl pipe columns; do
	case $name in
	opts) srcs="src/opts.c src/util.c src/sbuf.c" ;;
	tmpl) srcs="src/tmpl.c src/rpl.c src/expr.c src/perl.c src/util.c src/sbuf.c" ;;
	pipe) srcs="src/util.c src/sbuf.c src/fastpath.c" ;;
	columns) srcs="src/columns.c src/util.c src/sbuf.c" ;;
	esac
	# Every target leaves half-built state behind when an error exit is
	# caught (a bad regex in a replacement string ends the template's
	# compile half-way), so leaks are not checked here: the whole suite
	# runs under LeakSanitizer and valgrind instead.
	leaks=0
	files=""
	for s in $srcs; do files="$files $top/$s"; done
	# shellcheck disable=SC2086
	if ! "$cc" "$@" -o "$out/fuzz_$name" "$here/fuzz_$name.c" $files $libs \
	    >"$out/build-$name.log" 2>&1; then
		cat "$out/build-$name.log"
		echo "fuzz: FAIL $name (build)"
		status=1
		continue
	fi
	rm -rf "$out/corpus-$name"
	mkdir -p "$out/corpus-$name"
	cp "$here/corpus/$name"/* "$out/corpus-$name/"
	if ASAN_OPTIONS=detect_leaks=$leaks "$out/fuzz_$name" \
	    -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
	    -close_fd_mask=3 -detect_leaks=$leaks -print_final_stats=1 -seed=1 \
	    -artifact_prefix="$out/$name-" "$out/corpus-$name" \
	    >"$out/fuzz-$name.log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/fuzz-$name.log")
		echo "fuzz: ok $name ($runs runs in $secs s)"
	else
		grep -E -A30 'ERROR|runtime error|deadly signal|Test unit written' \
			"$out/fuzz-$name.log" | head -60
		echo "fuzz: FAIL $name (reproducer: $(find "$out" -name "$name-*" | tr "\n" " "))"
		status=1
	fi
done
exit "$status"
