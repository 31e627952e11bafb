#!/bin/sh
# valgrind.sh FANOUT REPORTDIR: run a representative subset of the suites
# with every fanout started under valgrind memcheck, printing their TAP.
# Each process that shows an invalid access, an uninitialised value or a
# leak leaves a file in REPORTDIR/reports; the caller fails on any.
# The subset covers the template and its quoting, grouped and kept
# output, exit statuses and the pipe modes with their threads.  Leaks
# "possibly lost" are not counted: they are the stacks of pipe threads
# still blocked in a read when fanout exits.
set -u
fanout=$1 dir=$2
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$dir"
mkdir -p "$dir/bin" "$dir/reports"

# The wrapper runs the real binary under valgrind, keeping the name it was
# called by: `sem' means --semaphore.
ln -s "$fanout" "$dir/bin/sem"
cat >"$dir/bin/fanout" <<WRAP
#!/bin/sh
case \${0##*/} in
sem) bin=$dir/bin/sem ;;
*) bin=$fanout ;;
esac
exec valgrind -q --error-exitcode=99 --leak-check=full \\
    --show-leak-kinds=definite,indirect \\
    --errors-for-leak-kinds=definite,indirect \\
    --log-file=$dir/reports/vg.%p "\$bin" "\$@"
WRAP
chmod +x "$dir/bin/fanout"

# A run with nothing to say leaves an empty log; only reports remain.
status=0
FANOUT=$dir/bin/fanout FANOUT_SRCDIR=$here/.. FANOUT_INSTRUMENTED=valgrind
export FANOUT FANOUT_SRCDIR FANOUT_INSTRUMENTED
bats --tap "$here/quoting.bats" "$here/output.bats" "$here/exit.bats" ||
	status=$?
bats --tap --filter 'pipepart|round-robin|-N|--tee|--header|empty' \
	"$here/pipe.bats" || status=$?
find "$dir/reports" -type f -empty -delete
exit "$status"
