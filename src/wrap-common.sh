# The part every fanout-* wrapper shares, pasted in at build time from
# src/wrap-common.sh so that each installed script stands alone: finding
# the fanout it was installed with, the common options (-j, -n, -v,
# --progress), the scan of the source tree, the live progress line, the
# summary line and the list of what failed.  A wrapper sets prog and
# defines usage() before it uses any of this.

wrap_bindir='@bindir@'
wrap_version='@VERSION@'

# File names are bytes, not text: sed, awk, sort and the tools must not
# choke on names that are not valid in the user's locale.
LC_ALL=C
export LC_ALL
# cd must not wander along CDPATH.  The fanout runs take --plain, so that
# options from $PARALLEL or ~/.parallel/config cannot change them.
unset CDPATH

jobs='' dryrun=0 verbose=0 progress=0 tmp='' ticker='' failed=0
npos=0 p1='' p2='' p3='' p4='' endopts=0

# wrap_die MESSAGE: the one line for a usage or set-up error; exit 2.
wrap_die() {
	printf '%s: %s\n' "$prog" "$*" >&2
	exit 2
}

# wrap_warn MESSAGE: report and carry on.
wrap_warn() {
	printf '%s: %s\n' "$prog" "$*" >&2
}

# wrap_find_fanout: the fanout beside this script (the build tree, or the
# bin directory it was installed in), else the one configure installed,
# else the first in PATH.
wrap_find_fanout() {
	wrap_here=$(cd "$(dirname -- "$0")" && pwd -P) || wrap_here=.
	for fanout_bin in "$wrap_here/fanout" "$wrap_bindir/fanout"; do
		if [ -x "$fanout_bin" ] && [ ! -d "$fanout_bin" ]; then
			return 0
		fi
	done
	fanout_bin=$(command -v fanout) ||
		wrap_die "fanout not found beside $0, in $wrap_bindir or in PATH"
}

# wrap_need PROGRAM PACKAGE: a missing tool is one clear line.
wrap_need() {
	command -v "$1" >/dev/null 2>&1 ||
		wrap_die "$1 not found in PATH (it is in the Debian package $2)"
}

# wrap_cpus: the number of CPU threads online.
wrap_cpus() {
	nproc 2>/dev/null || getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1
}

# wrap_count WORD VALUE: VALUE must be a positive whole number.
wrap_count() {
	case $2 in
	'' | *[!0-9]* | 0 | 0*) wrap_die "$1 must be a positive whole number, not '$2'" ;;
	esac
}

# wrap_option ARGS...: take one common option off the front of ARGS and
# set wrap_used to the number of words it took; false when the first word
# is not a common option.
wrap_option() {
	wrap_used=1
	case $1 in
	-j | --jobs)
		[ $# -ge 2 ] || wrap_die "option $1 needs a number of jobs"
		jobs=$2 wrap_used=2 ;;
	-j?*) jobs=${1#-j} ;;
	--) endopts=1 ;;
	--jobs=*) jobs=${1#--jobs=} ;;
	-n | --dry-run) dryrun=1 ;;
	-v | --verbose) verbose=1 ;;
	--progress) progress=1 ;;
	-h | --help) usage; exit 0 ;;
	-V | --version) echo "$prog (fanout) $wrap_version"; exit 0 ;;
	*) return 1 ;;
	esac
	if [ -n "$jobs" ]; then
		wrap_count "the number of jobs" "$jobs"
	fi
	return 0
}

# wrap_pos WORD: the next operand.
# shellcheck disable=SC2034 # not every wrapper takes four operands
wrap_pos() {
	npos=$((npos + 1))
	case $npos in
	1) p1=$1 ;;
	2) p2=$1 ;;
	3) p3=$1 ;;
	4) p4=$1 ;;
	*) wrap_die "too many operands (try '$prog --help')" ;;
	esac
}

# wrap_bad_option WORD: an option nobody knows.
wrap_bad_option() {
	wrap_die "unknown option '$1' (try '$prog --help')"
}

# wrap_start: defaults and the scratch directory, removed on exit.
wrap_start() {
	wrap_find_fanout
	if [ -z "$jobs" ]; then
		jobs=$(($(wrap_cpus) * 4))
	fi
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/$prog.XXXXXX") ||
		wrap_die "cannot make a scratch directory in ${TMPDIR:-/tmp}"
	trap 'wrap_cleanup' EXIT
	trap 'exit 129' HUP
	trap 'exit 130' INT
	trap 'exit 143' TERM
}

# shellcheck disable=SC2317 # called by the EXIT trap
wrap_cleanup() {
	wrap_ticker_stop
	rm -rf "$tmp"
}

# wrap_now: seconds since the epoch, with fractions where date has them.
wrap_now() {
	date +%s.%N 2>/dev/null | sed 's/\.N*$//'
}

# wrap_quote WORD: WORD as the shell would need it typed.
wrap_quote() {
	case $1 in
	'' | *[!A-Za-z0-9_./=:,+@%^-]*)
		printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")" ;;
	*) printf '%s' "$1" ;;
	esac
}

# wrap_show DIR INPUT COMMAND...: print the command as a user would type
# it, run in DIR with standard input from INPUT (none when empty).
wrap_show() {
	wrap_line="cd $(wrap_quote "$1") &&" wrap_in=$2
	shift 2
	for wrap_word; do
		wrap_line="$wrap_line $(wrap_quote "$wrap_word")"
	done
	if [ -n "$wrap_in" ]; then
		wrap_line="$wrap_line < $(wrap_quote "$wrap_in")"
	fi
	printf '%s\n' "$wrap_line"
}

# wrap_run DIR INPUT COMMAND...: one step of the copy, run in DIR with
# standard input from INPUT (none when empty).  -n prints it instead, -v
# prints it to stderr first.
wrap_run() {
	if [ "$dryrun" = 1 ]; then
		wrap_show "$@"
		return 0
	fi
	if [ "$verbose" = 1 ]; then
		wrap_show "$@" >&2
	fi
	(
		cd "$1" || exit
		if [ -n "$2" ]; then
			exec <"$2"
		fi
		shift 2
		"$@"
	)
}

# wrap_src SRC: SRC must be a readable directory; sets src to its
# absolute name.
wrap_src() {
	[ -e "$1" ] || [ -L "$1" ] || wrap_die "$1: no such directory"
	[ -d "$1" ] || wrap_die "$1: not a directory"
	src=$(cd -- "$1" 2>/dev/null && pwd -P) ||
		wrap_die "$1: cannot enter the directory (permission denied)"
	[ -r "$src" ] || wrap_die "$1: cannot read the directory (permission denied)"
}

# wrap_dst DST: DST is created if missing and must take new files; sets
# dst to its absolute name.  With -n nothing is created.
wrap_dst() {
	if [ ! -e "$1" ] && [ ! -L "$1" ]; then
		if [ "$dryrun" = 1 ]; then
			wrap_dir=$(dirname -- "$1")
			while [ ! -e "$wrap_dir" ]; do
				wrap_dir=$(dirname -- "$wrap_dir")
			done
			[ -w "$wrap_dir" ] || wrap_die "$1: cannot create the directory (permission denied)"
			dst=$1
			case $dst in /*) ;; *) dst=$(pwd -P)/$dst ;; esac
			return 0
		fi
		wrap_err=$(mkdir -p -- "$1" 2>&1) ||
			wrap_die "$1: cannot create the directory (${wrap_err##*: })"
	fi
	[ -d "$1" ] || wrap_die "$1: not a directory"
	dst=$(cd -- "$1" 2>/dev/null && pwd -P) ||
		wrap_die "$1: cannot enter the directory (permission denied)"
	if [ "$dryrun" = 1 ]; then
		[ -w "$dst" ] || wrap_die "$1: not writable (permission denied)"
		return 0
	fi
	# Try it: -w says nothing of read-only mounts, ACLs or root squashing.
	wrap_probe=$(mktemp "$dst/.$prog.XXXXXX" 2>&1) ||
		wrap_die "$1: not writable (${wrap_probe##*: })"
	rm -f -- "$wrap_probe"
}

# wrap_scan: one walk of $src writes the NUL-separated lists, names
# relative ("./a/b"): $tmp/files (everything but directories), $tmp/dirs
# (the directories below the top) and, of those, $tmp/dirs.x (the ones
# whose owner may enter them) and $tmp/dirs.odd (the others).  Sets nfiles
# and nbytes.  A part of the tree that cannot be read is reported and
# counts as a failure.
wrap_scan() {
	wrap_stats=$(cd "$src" && find . -mindepth 1 \( -type d \
		\( \( -perm -u+x -fprint0 "$tmp/dirs.x" \) -o -fprint0 "$tmp/dirs.odd" \) \) -o \
		\( -fprint0 "$tmp/files" -printf '%s\n' \) 2>"$tmp/scan.err" |
		awk '{ n++; b += $1 } END { printf "%d %.0f\n", n, b }')
	nfiles=${wrap_stats% *} nbytes=${wrap_stats#* }
	cat "$tmp/dirs.x" "$tmp/dirs.odd" >"$tmp/dirs"
	if [ -s "$tmp/scan.err" ]; then
		cat "$tmp/scan.err" >&2
		wrap_warn "parts of $src could not be read; they are not copied"
		failed=1
	fi
}

# wrap_dirs_make: make every directory of the tree in $dst before the
# copies start, so that no copy waits for or races to make one; in
# parallel too, since each is a round trip on a network filesystem
# (mkdir -p takes a parent made meanwhile by another job in its stride).
wrap_dirs_make() {
	if [ -s "$tmp/dirs" ]; then
		wrap_run "$dst" "" "$fanout_bin" --plain -j "$jobs" --pipepart -a "$tmp/dirs" \
		    --recend '\0' --block -4 -q xargs -0 mkdir -p --
	fi
}

# wrap_dirs_finish COMMAND...: give every directory its mode and times
# (which copying files into it changed) with COMMAND, which reads a
# NUL-separated list of them on standard input, in $src.  A parent's times
# do not change when a child's attributes do, so the directories the
# owner may enter are done in parallel; the rare others last, one by one,
# children before parents, or a parent shut first would keep the copy out
# of its children.  The top, $dst itself, gets the mode and times of
# $src.
wrap_dirs_finish() {
	wrap_st=0
	if [ -s "$tmp/dirs.x" ]; then
		wrap_run "$src" "" "$fanout_bin" --plain -j "$jobs" --pipepart --round-robin \
		    -a "$tmp/dirs.x" --recend '\0' --block -4 -q "$@" || wrap_st=1
	fi
	if [ -s "$tmp/dirs.odd" ]; then
		sort -z -r "$tmp/dirs.odd" >"$tmp/dirs.odd.rev"
		wrap_run "$src" "$tmp/dirs.odd.rev" "$@" || wrap_st=1
	fi
	wrap_run "$src" "" touch -r . "$dst" || wrap_st=1
	wrap_run "$src" "" chmod --reference=. "$dst" || wrap_st=1
	if [ "$(id -u)" = 0 ]; then
		wrap_run "$src" "" chown --reference=. "$dst" || wrap_st=1
	fi
	return "$wrap_st"
}

# wrap_ticker_start DIR: with --progress on a terminal, a line on stderr,
# redrawn every second, of the files written into DIR since the start and
# the rate over the last second.  Written files are found by their change
# time, which a copy cannot preserve, so files already there do not count.
wrap_ticker_start() {
	if [ "$progress" != 1 ] || [ "$dryrun" = 1 ] || [ ! -t 2 ]; then
		return 0
	fi
	: >"$tmp/stamp"
	(
		trap 'exit 0' TERM
		dir=$1 pf=0 pb=0 pt=$(wrap_now)
		while sleep 1; do
			now=$(wrap_now)
			# shellcheck disable=SC2046 # two numbers, split on purpose
			set -- $(find "$dir" ! -type d -cnewer "$tmp/stamp" -printf '%s\n' 2>/dev/null |
				awk '{ n++; b += $1 } END { printf "%d %.0f\n", n, b }')
			awk -v p="$prog" -v f="$1" -v b="$2" -v pf="$pf" -v pb="$pb" \
			    -v t="$now" -v pt="$pt" -v nf="$nfiles" -v nb="$nbytes" 'BEGIN {
				dt = t - pt; if (dt <= 0) dt = 1
				printf "\r%s: %d/%d files, %.1f/%.1f MB, %.0f files/s, %.1f MB/s\033[K",
				    p, f, nf, b / 1e6, nb / 1e6, (f - pf) / dt, (b - pb) / 1e6 / dt
			}' >&2
			pf=$1 pb=$2 pt=$now
		done
	) &
	ticker=$!
}

wrap_ticker_stop() {
	if [ -n "$ticker" ]; then
		kill "$ticker" 2>/dev/null
		wait "$ticker" 2>/dev/null
		ticker=''
		printf '\r\033[K' >&2
	fi
}

# wrap_summary FILES BYTES T0 T1 [JOBS]: the closing line on stdout.
wrap_summary() {
	awk -v p="$prog" -v f="$1" -v b="$2" -v t0="$3" -v t1="$4" -v j="$jobs" 'BEGIN {
		s = t1 - t0; if (s < 0.001) s = 0.001
		printf "%s: %d files, %.0f bytes, %d jobs, %.2f s, %.2f MB/s\n",
		    p, f, b, j, s, b / 1e6 / s
	}'
}

# wrap_missing LIST: list the entries of the NUL-separated LIST that are
# not in $dst, one line each on stderr with newlines and backslashes
# escaped, and set nmissing.  Run only when something failed: it costs a
# lookup per file on the destination.
wrap_missing() {
	# shellcheck disable=SC2016 # the inner shell expands them
	(cd "$src" && xargs -0 sh -c '
		d=$1
		shift
		for f; do
			[ -e "$d/$f" ] || [ -L "$d/$f" ] || printf "%s\0" "$f"
		done' sh "$dst" <"$1") >"$tmp/missing"
	tr '\n\0' '\001\n' <"$tmp/missing" |
		sed -e 's/\\/\\\\/g' -e "s/$(printf '\001')/\\\\n/g" \
		    -e "s/^/$prog: not copied: /" >"$tmp/missing.txt"
	nmissing=$(wc -l <"$tmp/missing.txt" | tr -d ' ')
	cat "$tmp/missing.txt" >&2
}

# wrap_finish T0 TOOLSTATUS: the summary line, then what failed; exits.
wrap_finish() {
	wrap_ticker_stop
	wrap_t1=$(wrap_now)
	if [ "$dryrun" = 1 ]; then
		printf '%s: would copy %d files, %.0f bytes with %d jobs\n' \
		    "$prog" "$nfiles" "$nbytes" "$jobs"
		exit 0
	fi
	wrap_summary "$nfiles" "$nbytes" "$1" "$wrap_t1"
	if [ "$2" != 0 ]; then
		failed=1
		wrap_missing "$tmp/files"
		if [ "$nmissing" -gt 0 ]; then
			wrap_warn "$nmissing of $nfiles files not copied"
		else
			wrap_warn "the copy reported errors (see above)"
		fi
	fi
	[ "$failed" = 0 ] || exit 1
	exit 0
}
