/*
 * opts.c: the command line.  Options follow GNU parallel's Getopt::Long
 * rules: single-letter options bundle (-kj4), long options take --name=value
 * or --name value and may be abbreviated to any unique prefix, and option
 * parsing stops at the first word that is not an option (the command).  The
 * command runs up to the first ::: or :::: separator; the separators then
 * introduce the input sources.  Everything is validated here, before any job
 * starts: bad input prints one line naming the problem and exits 255.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "opts.h"
#include "sbuf.h"
#include "util.h"

extern char **environ;

/* ARG_OPTNUM: an optional number, taken from the next word only when it
 * is one (Getopt::Long's :f). */
enum argtype { ARG_NONE, ARG_REQ, ARG_OPT, ARG_OPTNUM };

enum optid {
	O_UNSUPPORTED,	/* a GNU parallel option fanout does not have yet */
	O_ARG_FILE, O_ARG_SEP, O_ARG_FILE_SEP, O_NULL, O_DELIM, O_EOF_E,
	O_EOF_OPT, O_NO_RUN_IF_EMPTY, O_LINK, O_JOBS, O_UNGROUP, O_GROUP,
	O_KEEP_ORDER, O_NO_KEEP_ORDER, O_DRY_RUN, O_V, O_VERBOSE, O_VERSION,
	O_HELP, O_WILL_CITE, O_CITATION, O_QUOTE, O_TMPDIR, O_PIPE, O_PIPEPART,
	O_BLOCK, O_ROUND_ROBIN, O_RECSTART, O_RECEND, O_REGEXP, O_RRS, O_HEADER,
	O_MAX_ARGS, O_MAX_LINES, O_CAT, O_FIFO, O_COLSEP, O_BLOCK_TIMEOUT, O_TEE,
	O_SHARD, O_BIN, O_GROUP_BY, O_JOBLOG, O_RESUME, O_RESUME_FAILED,
	O_RETRY_FAILED, O_SILENT, O_LINE_BUFFER, O_TAG, O_TAGSTRING, O_DELAY,
	O_HALT, O_RETRIES, O_TIMEOUT, O_TERM_SEQ, O_PLAIN, O_PROFILE, O_SEMAPHORE,
	O_SEM_TIMEOUT, O_SEM_NAME, O_FG, O_BG, O_WAIT, O_SHUF, O_ENV, O_RECORD_ENV,
	O_SLOTVAR,
	O_FILES, O_NICE, O_RESULTS, O_CTAG, O_CTAGSTRING, O_COLOR, O_COLOR_FAILED,
	O_TOTAL_JOBS, O_PROGRESS, O_ETA, O_BAR, O_LOAD, O_NOSWAP, O_LIMIT, O_MEMFREE,
	O_MEMSUSPEND, O_COMPRESS, O_COMPRESS_PROGRAM, O_DECOMPRESS_PROGRAM,
	O_X, O_M, O_XARGS, O_MAX_REPLACE_ARGS, O_L, O_MAX_CHARS, O_SHOW_LIMITS,
	O_EXIT, O_MAX_LINE_LENGTH, O_CSV, O_TRIM, O_SHELL_QUOTE,
	O_RPL, O_PARENS, O_PLUS, O_ER, O_BNR, O_DNR, O_BNER, O_SEQREPLACE,
	O_SLOTREPLACE, O_REPLACE_I, O_REPLACE_I_UPPER,
	O_SSHLOGIN, O_SLF, O_SSH, O_SSH_DELAY, O_CONTROLMASTER, O_TF, O_RETURN,
	O_TRC, O_TRANSFER, O_CLEANUP, O_BASEFILE, O_WORKDIR, O_ONALL, O_NONALL,
	O_FILTER_HOSTS, O_RSYNC_OPTS, O_HOSTGROUPS, O_NUM_SOCKETS, O_NUM_CORES,
	O_NUM_THREADS, O_USE_CORES, O_USE_SOCKETS, O_USE_CPUS, O_MINVERSION,
	O_OPEN_TTY, O_TTY, O_INTERACTIVE, O_FILTER, O_TEMPLATE, O_SHEBANG, O_PIPE_ARGFILES, O_SKIP_FIRST_LINE
};

struct option_def {
	const char	*names;	/* '|'-separated; one letter means -x */
	enum argtype	 arg;
	enum optid	 id;
};

/*
 * Every option GNU parallel 20221122 knows, so that abbreviations resolve
 * exactly as they do there and an option fanout lacks gets a clear error
 * instead of being taken for the command.
 */
static const struct option_def options[] = {
	{ "arg-file|argfile|a", ARG_REQ, O_ARG_FILE },
	{ "arg-sep|argsep", ARG_REQ, O_ARG_SEP },
	{ "arg-file-sep|argfilesep", ARG_REQ, O_ARG_FILE_SEP },
	{ "null|0", ARG_NONE, O_NULL },
	{ "delimiter|d", ARG_REQ, O_DELIM },
	{ "E", ARG_REQ, O_EOF_E },
	{ "eof|e", ARG_OPT, O_EOF_OPT },
	{ "no-run-if-empty|norunifempty|r", ARG_NONE, O_NO_RUN_IF_EMPTY },
	{ "link|xapply", ARG_NONE, O_LINK },
	{ "jobs|j", ARG_REQ, O_JOBS },
	{ "max-procs|maxprocs|P", ARG_REQ, O_JOBS },
	{ "ungroup|u", ARG_NONE, O_UNGROUP },
	{ "group", ARG_NONE, O_GROUP },
	{ "keep-order|keeporder|k", ARG_NONE, O_KEEP_ORDER },
	{ "no-keep-order|nokeeporder|nok|no-k", ARG_NONE, O_NO_KEEP_ORDER },
	{ "dry-run|dryrun|dr", ARG_NONE, O_DRY_RUN },
	{ "v", ARG_NONE, O_V },
	{ "verbose|t", ARG_NONE, O_VERBOSE },
	{ "version|V", ARG_NONE, O_VERSION },
	{ "help|h", ARG_NONE, O_HELP },
	{ "will-cite|willcite|nn|nonotice|no-notice", ARG_NONE, O_WILL_CITE },
	{ "bibtex|citation", ARG_NONE, O_CITATION },
	{ "quote|q", ARG_NONE, O_QUOTE },
	{ "tmpdir|tempdir", ARG_REQ, O_TMPDIR },

	/* Known to GNU parallel, not (yet) to fanout. */
	{ "debug|D", ARG_REQ, O_UNSUPPORTED },
	{ "xargs", ARG_NONE, O_XARGS },
	{ "m", ARG_NONE, O_M },
	{ "X", ARG_NONE, O_X },
	{ "sql", ARG_REQ, O_UNSUPPORTED },
	{ "sql-master|sqlmaster", ARG_REQ, O_UNSUPPORTED },
	{ "sql-worker|sqlworker", ARG_REQ, O_UNSUPPORTED },
	{ "sql-and-worker|sqlandworker", ARG_REQ, O_UNSUPPORTED },
	{ "joblog|jl", ARG_REQ, O_JOBLOG },
	{ "results|result|res", ARG_REQ, O_RESULTS },
	{ "resume", ARG_NONE, O_RESUME },
	{ "resume-failed|resumefailed", ARG_NONE, O_RESUME_FAILED },
	{ "retry-failed|retryfailed", ARG_NONE, O_RETRY_FAILED },
	{ "silent", ARG_NONE, O_SILENT },
	{ "g", ARG_NONE, O_UNSUPPORTED },
	{ "latest-line|latestline|ll", ARG_NONE, O_UNSUPPORTED },
	{ "line-buffer|line-buffered|linebuffer|linebuffered|lb", ARG_NONE, O_LINE_BUFFER },
	{ "tmux", ARG_NONE, O_UNSUPPORTED },
	{ "tmux-pane|tmuxpane", ARG_NONE, O_UNSUPPORTED },
	{ "rpl", ARG_REQ, O_RPL },
	{ "parens", ARG_REQ, O_PARENS },
	{ "tag", ARG_NONE, O_TAG },
	{ "plus", ARG_NONE, O_PLUS },
	{ "extensionreplace|er", ARG_REQ, O_ER },
	{ "U", ARG_REQ, O_UNSUPPORTED },
	{ "basenamereplace|bnr", ARG_REQ, O_BNR },
	{ "dirnamereplace|dnr", ARG_REQ, O_DNR },
	{ "basenameextensionreplace|bner", ARG_REQ, O_BNER },
	{ "seqreplace", ARG_REQ, O_SEQREPLACE },
	{ "slotreplace", ARG_REQ, O_SLOTREPLACE },
	{ "delay", ARG_REQ, O_DELAY },
	{ "ssh-delay|sshdelay", ARG_REQ, O_SSH_DELAY },
	{ "load", ARG_REQ, O_LOAD },
	{ "noswap", ARG_NONE, O_NOSWAP },
	{ "max-line-length-allowed|maxlinelengthallowed", ARG_NONE, O_MAX_LINE_LENGTH },
	{ "number-of-cpus|numberofcpus", ARG_NONE, O_NUM_CORES },
	{ "number-of-sockets|numberofsockets", ARG_NONE, O_NUM_SOCKETS },
	{ "number-of-cores|numberofcores", ARG_NONE, O_NUM_CORES },
	{ "number-of-threads|numberofthreads", ARG_NONE, O_NUM_THREADS },
	{ "use-sockets-instead-of-threads|usesocketsinsteadofthreads", ARG_NONE, O_USE_SOCKETS },
	{ "use-cores-instead-of-threads|usecoresinsteadofthreads", ARG_NONE, O_USE_CORES },
	{ "use-cpus-instead-of-cores|usecpusinsteadofcores", ARG_NONE, O_USE_CPUS },
	{ "shell-quote|shellquote|shell_quote", ARG_NONE, O_SHELL_QUOTE },
	{ "tag-string|tagstring", ARG_REQ, O_TAGSTRING },
	{ "ctag", ARG_NONE, O_CTAG },
	{ "ctag-string|ctagstring", ARG_REQ, O_CTAGSTRING },
	{ "color|colour", ARG_NONE, O_COLOR },
	{ "color-failed|colour-failed|colorfailed|colourfailed|color-fail|colour-fail|colorfail|colourfail|cf", ARG_NONE, O_COLOR_FAILED },
	{ "onall", ARG_NONE, O_ONALL },
	{ "nonall", ARG_NONE, O_NONALL },
	{ "filter-hosts|filterhosts|filter-host", ARG_NONE, O_FILTER_HOSTS },
	{ "sshlogin|S", ARG_REQ, O_SSHLOGIN },
	{ "sshloginfile|slf", ARG_REQ, O_SLF },
	{ "controlmaster|M", ARG_NONE, O_CONTROLMASTER },
	{ "ssh", ARG_REQ, O_SSH },
	{ "transfer-file|transferfile|transfer-files|transferfiles|tf", ARG_REQ, O_TF },
	{ "return", ARG_REQ, O_RETURN },
	{ "trc", ARG_REQ, O_TRC },
	{ "transfer", ARG_NONE, O_TRANSFER },
	{ "cleanup", ARG_NONE, O_CLEANUP },
	{ "basefile|bf", ARG_REQ, O_BASEFILE },
	{ "template|tmpl", ARG_REQ, O_TEMPLATE },
	{ "B", ARG_REQ, O_UNSUPPORTED },
	{ "ctrl-c|ctrlc", ARG_NONE, O_UNSUPPORTED },
	{ "no-ctrl-c|no-ctrlc|noctrlc", ARG_NONE, O_UNSUPPORTED },
	{ "work-dir|workdir|wd", ARG_REQ, O_WORKDIR },
	{ "W", ARG_REQ, O_UNSUPPORTED },
	{ "rsync-opts|rsyncopts", ARG_REQ, O_RSYNC_OPTS },
	{ "use-compress-program|compress-program|usecompressprogram|compressprogram", ARG_REQ, O_COMPRESS_PROGRAM },
	{ "use-decompress-program|decompress-program|usedecompressprogram|decompressprogram", ARG_REQ, O_DECOMPRESS_PROGRAM },
	{ "compress", ARG_NONE, O_COMPRESS },
	{ "open-tty|o", ARG_NONE, O_OPEN_TTY },
	{ "tty", ARG_NONE, O_TTY },
	{ "T", ARG_NONE, O_UNSUPPORTED },
	{ "H", ARG_REQ, O_UNSUPPORTED },
	{ "progress", ARG_NONE, O_PROGRESS },
	{ "eta", ARG_NONE, O_ETA },
	{ "bar", ARG_NONE, O_BAR },
	{ "total-jobs|totaljobs|total", ARG_REQ, O_TOTAL_JOBS },
	{ "shuf", ARG_NONE, O_SHUF },
	{ "env", ARG_REQ, O_ENV },
	{ "recordenv|record-env", ARG_NONE, O_RECORD_ENV },
	{ "plain", ARG_NONE, O_PLAIN },
	{ "profile|J", ARG_REQ, O_PROFILE },
	{ "tollef", ARG_NONE, O_UNSUPPORTED },
	{ "gnu", ARG_NONE, O_UNSUPPORTED },
	{ "linkinputsource|xapplyinputsource", ARG_REQ, O_UNSUPPORTED },
	{ "Y", ARG_NONE, O_UNSUPPORTED },
	{ "kill", ARG_NONE, O_UNSUPPORTED },
	{ "halt-on-error|haltonerror|halt", ARG_REQ, O_HALT },
	{ "limit", ARG_REQ, O_LIMIT },
	{ "memfree", ARG_REQ, O_MEMFREE },
	{ "memsuspend", ARG_REQ, O_MEMSUSPEND },
	{ "retries", ARG_REQ, O_RETRIES },
	{ "timeout", ARG_REQ, O_TIMEOUT },
	{ "term-seq|termseq", ARG_REQ, O_TERM_SEQ },
	{ "max-chars|maxchars|s", ARG_REQ, O_MAX_CHARS },
	{ "replace|i", ARG_OPT, O_REPLACE_I },
	{ "I", ARG_REQ, O_REPLACE_I_UPPER },
	{ "process-slot-var|processslotvar", ARG_REQ, O_SLOTVAR },
	{ "max-args|maxargs|n", ARG_REQ, O_MAX_ARGS },
	{ "max-replace-args|maxreplaceargs|N", ARG_REQ, O_MAX_REPLACE_ARGS },
	{ "col-sep|colsep|C", ARG_REQ, O_COLSEP },
	{ "csv", ARG_NONE, O_CSV },
	{ "trim", ARG_REQ, O_TRIM },
	{ "L", ARG_REQ, O_L },
	{ "max-lines|maxlines|l", ARG_OPTNUM, O_MAX_LINES },
	{ "interactive|p", ARG_NONE, O_INTERACTIVE },
	{ "min-version|minversion", ARG_REQ, O_MINVERSION },
	{ "show-limits|showlimits", ARG_NONE, O_SHOW_LIMITS },
	{ "exit|x", ARG_NONE, O_EXIT },
	{ "semaphore", ARG_NONE, O_SEMAPHORE },
	{ "semaphore-timeout|semaphoretimeout|st", ARG_REQ, O_SEM_TIMEOUT },
	{ "semaphore-name|semaphorename|id", ARG_REQ, O_SEM_NAME },
	{ "fg", ARG_NONE, O_FG },
	{ "bg", ARG_NONE, O_BG },
	{ "wait", ARG_NONE, O_WAIT },
	{ "shebang|hashbang", ARG_NONE, O_SHEBANG },
	{ "_pipe-means-argfiles", ARG_NONE, O_PIPE_ARGFILES },
	{ "skip-first-line|skipfirstline", ARG_NONE, O_SKIP_FIRST_LINE },
	{ "bug", ARG_NONE, O_UNSUPPORTED },
	{ "pipe|spreadstdin", ARG_NONE, O_PIPE },
	{ "round-robin|roundrobin|round", ARG_NONE, O_ROUND_ROBIN },
	{ "recstart", ARG_REQ, O_RECSTART },
	{ "recend", ARG_REQ, O_RECEND },
	{ "regexp|regex", ARG_NONE, O_REGEXP },
	{ "remove-rec-sep|removerecsep|rrs", ARG_NONE, O_RRS },
	{ "output-as-files|outputasfiles|files", ARG_NONE, O_FILES },
	{ "block-size|blocksize|block", ARG_REQ, O_BLOCK },
	{ "block-timeout|blocktimeout|bt", ARG_REQ, O_BLOCK_TIMEOUT },
	{ "header", ARG_REQ, O_HEADER },
	{ "cat", ARG_NONE, O_CAT },
	{ "fifo", ARG_NONE, O_FIFO },
	{ "pipe-part|pipepart", ARG_NONE, O_PIPEPART },
	{ "tee", ARG_NONE, O_TEE },
	{ "shard", ARG_REQ, O_SHARD },
	{ "bin", ARG_REQ, O_BIN },
	{ "group-by|groupby", ARG_REQ, O_GROUP_BY },
	{ "hgrp|hostgrp|hostgroup|hostgroups", ARG_NONE, O_HOSTGROUPS },
	{ "embed", ARG_NONE, O_UNSUPPORTED },
	{ "filter", ARG_REQ, O_FILTER },
	{ "nice", ARG_REQ, O_NICE },
	{ "shell-completion|shellcompletion", ARG_REQ, O_UNSUPPORTED },
	{ NULL, ARG_NONE, O_UNSUPPORTED }
};

static const char usage_text[] =
"usage: fanout [options] [command [arguments]] [::: values | :::: files ...]\n"
"       fanout [options] [command [arguments]] < list\n"
"\n"
"Runs the command once per input value, several at a time, as GNU parallel does.\n"
"\n"
"Input:\n"
"  -a, --arg-file FILE      read values from FILE (- for stdin); repeatable\n"
"  ::: VALUES               values given on the command line\n"
"  :::: FILES               values read from files, one source per file\n"
"  :::+ / ::::+             link the source to the one before it\n"
"      --link, --xapply     link all sources (shorter ones wrap around)\n"
"  -0, --null               values end with a NUL byte\n"
"  -d, --delimiter DELIM    values end with DELIM (\\n, \\t, \\0 escapes)\n"
"  -E EOFSTR                stop reading a source at a value equal to EOFSTR\n"
"  -r, --no-run-if-empty    skip values that are empty or only white space\n"
"      --arg-sep SEP        use SEP instead of :::\n"
"      --arg-file-sep SEP   use SEP instead of ::::\n"
"      --skip-first-line    drop the first value of the first source\n"
"      --shebang, --shebang-wrap\n"
"                           as the first option on a #! line: run the\n"
"                           script's lines, or wrap its interpreter\n"
"\n"
"Command:\n"
"  {} {.} {/} {//} {/.}     the value; without extension; basename; dirname;\n"
"                           basename without extension\n"
"  {N} {-N} {N.} {N/} ...   the same for the Nth source (from the end: -N)\n"
"  {#} {%}                  job sequence number; job slot number\n"
"  -q, --quote              quote the command words too\n"
"      --shell-quote        print each command line quoted instead of running it\n"
"\n"
"Several arguments per job:\n"
"  -n, --max-args N         up to N arguments per job, at {} (0: none at all)\n"
"  -N, --max-replace-args N as -n, repeating the word around {} per argument\n"
"  -X                       as many as fit, repeating the word around {}\n"
"  -m                       as many as fit, at {} with spaces between them\n"
"      --xargs              as many as fit, not spread over the job slots\n"
"  -L N, -l[N], --max-lines N\n"
"                           N lines per job (-l: 1); a line that ends in a\n"
"                           blank goes on in the next\n"
"  -s, --max-chars N        command lines of at most N characters\n"
"  -x, --exit               accepted: a value too long always stops the run\n"
"      --show-limits        print the command-line limits, then run\n"
"      --max-line-length-allowed\n"
"                           print the longest command line and exit\n"
"\n"
"Columns:\n"
"  -C, --colsep REGEXP      split each line into columns {1} {2} ... at REGEXP\n"
"      --csv                split each line as CSV (fields in double quotes)\n"
"      --trim n|l|r|lr|rl   strip white space from the ends of the values\n"
"      --header :|REGEXP|0  the first line of each source names the columns,\n"
"                           {name} is the column so named\n"
"\n"
"Replacement strings:\n"
"  {= EXPR =} {=N EXPR =}   the value changed by a Perl expression (s///, tr///,\n"
"                           uc, lc, Q, uq, skip, seq, slot, $arg[N], ...)\n"
"  -I STR                   use STR instead of {}\n"
"  -i, --replace[=STR]      the same; without STR, {} stays\n"
"      --er STR             use STR instead of {.} (--extensionreplace)\n"
"      --bnr STR            use STR instead of {/} (--basenamereplace)\n"
"      --dnr STR            use STR instead of {//} (--dirnamereplace)\n"
"      --bner STR           use STR instead of {/.}\n"
"                           (--basenameextensionreplace)\n"
"      --seqreplace STR     use STR instead of {#}\n"
"      --slotreplace STR    use STR instead of {%}\n"
"      --parens LR          use L and R (halves) instead of {= and =}\n"
"      --rpl 'TAG EXPR'     define TAG as a Perl expression; TAG may capture\n"
"                           parts of itself with (regex), used as $$1, $$2\n"
"      --plus               add {+/} {+.} {..} {...} {##} {0#} {0%} {slot},\n"
"                           {:-s} {:n} {:n:m} {#re} {##re} {%re} {%%re}\n"
"                           {/re/s} {//re/s} {^s} {^^s} {,s} {,,s} and more\n"
"\n"
"Running:\n"
"  -j, --jobs, -P, --max-procs N\n"
"                           job slots: N, +N, -N, N% of CPU threads, 0 = as\n"
"                           many as possible, or a file holding the number\n"
"      --use-cores-instead-of-threads, --use-sockets-instead-of-threads\n"
"                           -j counts physical cores or sockets instead\n"
"      --use-cpus-instead-of-cores\n"
"                           accepted; changes nothing on this machine\n"
"      --dry-run            print each command instead of running it\n"
"  -v                       print each command on stdout before its output\n"
"  -t, --verbose            print each command on stderr as it starts\n"
"      --silent             cancel -v\n"
"  -J, --profile NAME       read options from ~/.parallel/NAME instead of config\n"
"      --plain              ignore config files, profiles and $PARALLEL\n"
"\n"
"Job control:\n"
"      --joblog FILE        log each finished job (+FILE appends, - stdout)\n"
"      --resume             skip the jobs already in the --joblog\n"
"      --resume-failed      skip the jobs that succeeded in the --joblog\n"
"      --retry-failed       run only the failed commands of the --joblog\n"
"      --halt WHEN,WHY=N    stop early: WHEN never|soon|now, WHY\n"
"                           fail|success|done, N a count or N%; also 0 1 2\n"
"      --timeout DUR        kill jobs running longer (seconds, 1m, or N% of\n"
"                           the median run time)\n"
"      --term-seq SEQ       how to kill: SIG,MS,... (TERM,200,TERM,100,TERM,50,\n"
"                           KILL,25)\n"
"      --retries N          run a failed job up to N times\n"
"      --delay DUR[auto]    wait DUR between job starts (auto: adapt it)\n"
"      --shuf               run the jobs in random order\n"
"      --load N[%]          start jobs only while fewer than N processes run\n"
"      --memfree SIZE       start jobs only with SIZE memory available; kill\n"
"                           and requeue the youngest below half of it\n"
"      --memsuspend SIZE    suspend jobs while less than 2 x SIZE is free\n"
"      --noswap             start no job while the system swaps\n"
"      --limit CMD          start a job only when CMD exits 0 (1: wait,\n"
"                           2: kill the youngest); also mem SIZE, load N,\n"
"                           io PCT\n"
"      --progress, --eta, --bar\n"
"                           show progress on stderr (when it is a terminal)\n"
"      --total-jobs N       the number of jobs, for --eta and --bar\n"
"      --nice N             run the jobs at niceness N\n"
"      --process-slot-var NAME\n"
"                           set NAME to the job slot counted from 0\n"
"      --env NAME           send variable or exported function NAME to\n"
"                           remote jobs (local jobs get the whole environment)\n"
"      --record-env         list the variables set now, for --env _\n"
"\n"
"Remote jobs (over ssh):\n"
"  -S, --sshlogin [N/][user@]host[:port]\n"
"                           run jobs there (: is this machine); comma list,\n"
"                           repeatable; N job slots, else -j of its CPUs\n"
"      --slf, --sshloginfile FILE\n"
"                           sshlogins from FILE, re-read when it changes\n"
"                           (.. is ~/.parallel/sshloginfile)\n"
"      --ssh CMD            ssh command to use (default $PARALLEL_SSH or ssh)\n"
"      --ssh-delay DUR      wait DUR between ssh starts\n"
"  -M, --controlmaster      share one ssh connection per host\n"
"      --filter-hosts       drop the hosts that cannot be logged in to\n"
"      --hostgroups, --hgrp run a value@grp1+grp2 only on hosts put in those\n"
"                           groups by -S @grp1/host; -S @grp: only them\n"
"      --onall              run every job on every host\n"
"      --nonall             run the command, without arguments, on every host\n"
"      --wd, --workdir DIR  run jobs in DIR there (... a temporary dir,\n"
"                           . the same dir relative to $HOME)\n"
"      --tf, --transferfile FILE\n"
"                           rsync FILE to the host before the job\n"
"      --transfer           same as --tf {}\n"
"      --return FILE        rsync FILE back after the job\n"
"      --cleanup            remove the transferred and returned files there\n"
"      --trc FILE           --transfer --return FILE --cleanup\n"
"      --bf, --basefile FILE\n"
"                           rsync FILE to every host before the first job\n"
"      --rsync-opts OPTS    options of that rsync (default $PARALLEL_RSYNC_OPTS\n"
"                           or -rlDzR)\n"
"\n"
"Semaphore (also when called as sem):\n"
"      --semaphore          run the command once, holding one of -j places\n"
"                           (default 1) of a semaphore shared by processes\n"
"      --id NAME, --semaphore-name NAME\n"
"                           the semaphore's name (default: the terminal)\n"
"      --st DUR, --semaphore-timeout DUR\n"
"                           give up waiting after DUR: take the place anyway,\n"
"                           or with -DUR exit 1\n"
"      --fg                 wait for the command and exit with its status\n"
"      --bg                 run the command in the background (the default)\n"
"      --wait               wait until every place of the semaphore is free\n"
"\n"
"Pipe modes:\n"
"      --pipe, --spreadstdin\n"
"                           cut stdin into blocks of records, one per job\n"
"      --pipepart           the same for the -a file, read in place\n"
"      --block SIZE         block size (1M; k, K, M, G, T units; negative with\n"
"                           --pipepart: blocks per job slot)\n"
"      --round-robin        one job per slot, each takes blocks as it is ready\n"
"      --recstart STR       records start with STR\n"
"      --recend STR         records end with STR (default \\n)\n"
"      --regexp             --recstart and --recend are regular expressions\n"
"      --rrs, --remove-rec-sep\n"
"                           remove the record separators from each block\n"
"      --header REGEXP|N    repeat the header (N lines, : for one) in each block\n"
"  -N, -n, --max-args N     N records per job with --pipe\n"
"  -L N, -l[N], --max-lines N\n"
"                           records of N lines with --pipe\n"
"      --cat                pass each block as a file named by {}\n"
"      --fifo               pass each block through a FIFO named by {}\n"
"      --tee                give all of the input to every job (one per value)\n"
"      --shard COL [EXPR]   send each line to the job its column value hashes to\n"
"      --bin COL [EXPR]     send each line to job number value modulo -j\n"
"      --group-by COL [EXPR]\n"
"                           never split lines with the same value between jobs\n"
"      --colsep REGEXP      the column separator for the three above\n"
"      --block-timeout DUR, --bt DUR\n"
"                           pass on a partial block when input pauses DUR\n"
"\n"
"Output:\n"
"      --group              print each job's output whole when it ends (default)\n"
"  -u, --ungroup            let jobs write straight to fanout's output\n"
"  -o, --open-tty           jobs read the terminal instead of /dev/null\n"
"  -p, --interactive        ask on the terminal before each job (y to run)\n"
"      --filter PERL        run a job only if PERL (with {} etc.) is true\n"
"      --template, --tmpl FILE=NAME\n"
"                           write FILE, {} etc. filled in, to NAME for each\n"
"                           job (removed after it with --cleanup)\n"
"      --tty                -o, one job at a time (-j1), ungrouped (-u)\n"
"  -k, --keep-order         print output in input order\n"
"      --no-keep-order      cancel -k\n"
"      --tag                prefix each output line with the arguments\n"
"      --ctag, --ctagstring STR\n"
"                           --tag and --tagstring, in a colour per job\n"
"      --color              colour each job's output lines, a colour per job\n"
"      --color-failed, --cf colour the output of failed jobs red\n"
"      --files              keep each job's stdout in a file; print its name\n"
"      --compress           compress the output kept while jobs run\n"
"      --compress-program PRG, --decompress-program PRG\n"
"                           the programs for --compress\n"
"      --results DIR|F.csv  save each job's output under DIR (or in a .csv,\n"
"                           .tsv or .json table) instead of printing it\n"
"      --tagstring STR      prefix each output line with STR ({} etc. work)\n"
"      --line-buffer, --lb  print whole lines of running jobs as they come\n"
"      --tmpdir DIR         keep grouped output under DIR (default $TMPDIR)\n"
"\n"
"Other:\n"
"  -h, --help               print this help and exit\n"
"  -V, --version            print the version and exit\n"
"      --minversion V       print 20221122, the GNU parallel version followed;\n"
"                           exit 255 if that is older than V\n"
"      --number-of-threads, --number-of-cores, --number-of-sockets,\n"
"      --number-of-cpus     print that count for this machine and exit\n"
"      --will-cite, --no-notice\n"
"                           accepted for compatibility; fanout prints no notice\n"
"      --citation, --bibtex print how to cite fanout and exit\n"
"\n"
"Exit status: 0 all jobs succeeded, 1-100 the number of failed jobs, 101 more\n"
"than 100 failed, 255 other errors.  See fanout(1).\n";

static void
print_version(void)
{
	printf("fanout %s\n"
	    "A job runner compatible with GNU parallel 20221122.\n"
	    "Copyright (c) the fanout developers. ISC license.\n",
	    PACKAGE_VERSION);
}

static void
print_citation(void)
{
	printf("fanout is free software under the ISC license.  No citation is\n"
	    "asked for and no notice is ever printed.  If fanout helped your\n"
	    "work, cite GNU parallel, whose behaviour it follows:\n"
	    "  O. Tange, GNU Parallel 20221122, doi:10.5281/zenodo.7347980\n");
}

/* Does the long option NAME (len n) equal or abbreviate one of def's names? */
static int
name_match(const struct option_def *def, const char *name, size_t n,
    int *exact)
{
	const char *p = def->names, *bar;
	size_t len;
	int found = 0;

	for (;;) {
		bar = strchr(p, '|');
		len = bar != NULL ? (size_t)(bar - p) : strlen(p);
		if (len >= n && strncmp(p, name, n) == 0) {
			if (len == n)
				*exact = 1;
			found = 1;
		}
		if (bar == NULL)
			break;
		p = bar + 1;
	}
	return found;
}

/* The first name of an option, for messages. */
static void
first_name(const struct option_def *def, char *buf, size_t size)
{
	size_t len = strcspn(def->names, "|");

	if (len >= size)
		len = size - 1;
	memcpy(buf, def->names, len);
	buf[len] = '\0';
}

static const struct option_def *
find_long(const char *name, size_t n)
{
	const struct option_def *def, *found = NULL;
	int exact, ambiguous = 0;

	for (def = options; def->names != NULL; def++) {
		exact = 0;
		if (!name_match(def, name, n, &exact))
			continue;
		if (exact)
			return def;
		if (found != NULL && found != def)
			ambiguous = 1;
		found = def;
	}
	if (ambiguous)
		fatal("option --%.*s is ambiguous", (int)n, name);
	if (found == NULL)
		fatal("unknown option: --%.*s", (int)n, name);
	return found;
}

/* The option with the one-letter name c, or NULL. */
static const struct option_def *
short_def(char c)
{
	const struct option_def *def;
	const char *p;

	for (def = options; def->names != NULL; def++)
		for (p = def->names; *p != '\0'; ) {
			if (p[0] == c && (p[1] == '|' || p[1] == '\0') &&
			    (p == def->names || p[-1] == '|'))
				return def;
			p += strcspn(p, "|");
			if (*p == '|')
				p++;
		}
	return NULL;
}

static const struct option_def *
find_short(char c)
{
	const struct option_def *def;

	if ((def = short_def(c)) == NULL)
		fatal("unknown option: -%c", c);
	return def;
}

/* Replace every occurrence of the two-byte escape esc with c. */
static void
unescape_one(char *s, size_t *len, char esc, char c)
{
	size_t i, o;

	for (i = o = 0; i < *len; i++) {
		if (s[i] == '\\' && i + 1 < *len && s[i + 1] == esc) {
			s[o++] = c;
			i++;
		} else
			s[o++] = s[i];
	}
	*len = o;
}

/*
 * Decode the escapes of -d and --tagstring as GNU parallel does, pass by pass: \t, \n, \r, then
 * \NNN and \N as octal character codes.
 */
char *
opts_unescape(const char *in, size_t *lenp)
{
	size_t len = strlen(in), i, o;
	char *s = xmemdup(in, len + 1);
	int v, k;

	unescape_one(s, &len, 't', '\t');
	unescape_one(s, &len, 'n', '\n');
	unescape_one(s, &len, 'r', '\r');
	for (i = o = 0; i < len; i++) {
		if (s[i] != '\\' || i + 1 >= len ||
		    !isdigit((unsigned char)s[i + 1])) {
			s[o++] = s[i];
			continue;
		}
		/* Three digits form one code, else one digit does. */
		k = i + 3 < len && isdigit((unsigned char)s[i + 2]) &&
		    isdigit((unsigned char)s[i + 3]) ? 3 : 1;
		for (v = 0; k > 0 && s[i + 1] >= '0' && s[i + 1] <= '7'; k--) {
			v = v * 8 + (s[i + 1] - '0');
			i++;
		}
		s[o++] = (char)v;
		/* Digits 8 and 9 are not octal: they stay as text. */
		for (; k > 0; k--)
			s[o++] = s[++i];
	}
	*lenp = o;
	s[o] = '\0';
	return s;
}

/*
 * --delay DUR, where DUR may end in "auto" (or be just that): the delay
 * then grows by 30% after a failed job and shrinks by 10% after a good one.
 */
static void
parse_delay(struct opts *o, const char *shown, const char *val)
{
	size_t n = strlen(val);
	char *copy;
	int rc = 0;

	if (n >= 4 && strcmp(val + n - 4, "auto") == 0) {
		o->delay_auto = 1;
		n -= 4;
	}
	copy = xmemdup(val, n + 1);
	copy[n] = '\0';
	o->delay = 0;
	if (n > 0 || !o->delay_auto)
		rc = parse_duration(copy, &o->delay);
	free(copy);
	if (rc == -1)
		fatal("option %s: '%s' is not a duration (e.g. 0.5, 2s, 1m, "
		    "1sauto)", shown, val);
	/* GNU parallel takes a negative delay as none. */
	if (o->delay < 0)
		o->delay = 0;
}

/*
 * --halt: never, soon or now, then fail, success or done, then a count or
 * a percentage; the old numbers 0, 1, 2, -1, -2 and a bare N% too.  As in
 * GNU parallel the three parts may be joined by ',' or '=' alike, anything
 * after the third is ignored, and never ignores all that follows it.
 */
static void
parse_halt(struct opts *o, const char *val)
{
	static const struct { const char *old, *new; } old[] = {
		{ "0", "never" }, { "1", "soon,fail=1" }, { "2", "now,fail=1" },
		{ "-1", "soon,success=1" }, { "-2", "now,success=1" },
		{ NULL, NULL }
	};
	char buf[256], *part[3], *p, *end;
	const char *v = val;
	int i, n;

	for (i = 0; old[i].old != NULL; i++)
		if (strcmp(val, old[i].old) == 0)
			v = old[i].new;
	n = (int)strlen(v);
	if (n > 0 && v[n - 1] == '%' && strspn(v, "0123456789") ==
	    (size_t)n - 1)
		snprintf(buf, sizeof buf, "soon,fail=%s", v);
	else
		snprintf(buf, sizeof buf, "%s", v);
	p = buf;
	for (i = 0; i < 3; i++)
		part[i] = p != NULL ? strsep(&p, ",=") : (char *)"";
	memset(&o->halt, 0, sizeof o->halt);
	if (strcmp(part[0], "never") == 0)
		return;
	if (strcmp(part[0], "soon") == 0)
		o->halt.when = HALT_SOON;
	else if (strcmp(part[0], "now") == 0)
		o->halt.when = HALT_NOW;
	else
		fatal("--halt %s: it must start with never, soon or now", val);
	if (strcmp(part[1], "fail") == 0)
		o->halt.kind = HALT_FAIL;
	else if (strcmp(part[1], "success") == 0)
		o->halt.kind = HALT_SUCCESS;
	else if (strcmp(part[1], "done") == 0)
		o->halt.kind = HALT_DONE;
	else
		fatal("--halt %s: %s must be followed by ,fail=, ,success= or "
		    ",done=", val, part[0]);
	o->halt.count = strtod(part[2], &end);
	if (end == part[2] || strspn(part[2], "0123456789") !=
	    (size_t)(end - part[2]) || (*end != '\0' && strcmp(end, "%") != 0))
		fatal("--halt %s: %s,%s must be followed by =number or "
		    "=percent%%", val, part[0], part[1]);
	if (*end == '%') {
		o->halt.pct = o->halt.count / 100;
		o->halt.count = 0;
	}
}

/* --retries: runs at most; 0 means without end, as GNU's man page says. */
static void
parse_retries(struct opts *o, const char *shown, const char *val)
{
	char *end;
	long v;

	v = strtol(val, &end, 10);
	if (end == val || *end != '\0' || v < 0)
		fatal("option %s: '%s' is not a whole number (0 or more)",
		    shown, val);
	o->retries = v == 0 || v > INT_MAX ? INT_MAX : (int)v;
}

/* GNU's --timeout forms: 1.5, or numbers each with a unit (1h2.5m). */
static int
timeout_form(const char *s)
{
	size_t d;
	int units = 0;

	do {
		if ((d = strspn(s, "0123456789")) == 0)
			return 0;
		s += d;
		if (*s == '.') {
			if ((d = strspn(s + 1, "0123456789")) == 0)
				return 0;
			s += d + 1;
		}
		if (*s == '\0' || strchr("dhmsDHMS", *s) == NULL)
			return *s == '\0' && units == 0;
		units++;
	} while (*++s != '\0');
	return 1;
}

/* --timeout: a duration, or N% of the median run time. */
static void
parse_timeout(struct opts *o, const char *shown, const char *val)
{
	size_t n = strlen(val), d, f;
	char *end;

	if (n > 1 && val[n - 1] == '%') {
		/* Digits, maybe a fraction: 1.5%; 0% means no timeout. */
		d = strspn(val, "0123456789");
		if (d > 0 && val[d] == '.')
			d += (f = strspn(val + d + 1, "0123456789")) > 0 ?
			    f + 1 : 0;
		o->timeout_pct = strtod(val, &end) / 100;
		if (d == 0 || d != n - 1 || end != val + n - 1)
			fatal("option %s: '%s' is not a percentage", shown, val);
		return;
	}
	/* 0 means no timeout, as in GNU parallel. */
	if (!timeout_form(val) || parse_duration(val, &o->timeout) == -1)
		fatal("option %s: '%s' is not a duration (e.g. 10, 1.5m, "
		    "200%%)", shown, val);
}

/* --term-seq: SIGNAL,MS,SIGNAL,MS,... */
static void
parse_term_seq(struct opts *o, const char *val)
{
	char *copy = xstrdup(val), *tok, *save = NULL, *end;
	int k = 0, sig;

	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save), k++) {
		if (k / 2 >= TERMSEQ_MAX)
			fatal("--term-seq %s: too long", val);
		if (k % 2 == 0) {
			if ((sig = signal_number(tok)) <= 0)
				fatal("--term-seq %s: '%s' is not a signal",
				    val, tok);
			o->termseq[k / 2].sig = sig;
		} else {
			o->termseq[k / 2].ms = (int)strtol(tok, &end, 10);
			if (end == tok || *end != '\0' ||
			    o->termseq[k / 2].ms < 0)
				fatal("--term-seq %s: '%s' is not a number of "
				    "milliseconds", val, tok);
		}
	}
	free(copy);
	if (k == 0 || k % 2 != 0)
		fatal("--term-seq %s: give pairs of signal and milliseconds",
		    val);
	o->ntermseq = k / 2;
}

/* A positive count for -N, -L and the like. */
static long
count_value(const char *shown, const char *val)
{
	char *end;
	long v;

	v = strtol(val, &end, 10);
	if (end == val || *end != '\0' || v < 1)
		fatal("option %s: '%s' is not a positive whole number", shown,
		    val);
	return v;
}

/* -I, --er and the other renames: an empty name would match everywhere. */
static void
no_empty_rpl(const char *shown, const char *val)
{
	if (*val == '\0')
		fatal("option %s: the replacement string is empty", shown);
}

/* A count for -n, -N, -L, -s: a whole number, 0 or more, with GNU's
 * units (1k, 2K). */
static long long
number_value(const char *shown, const char *val)
{
	long long v;

	if (!isdigit((unsigned char)val[0]) || strchr(val, '.') != NULL ||
	    parse_size(val, &v) == -1 || v < 0 || v > LONG_MAX)
		fatal("option %s: '%s' is not a whole number (0 or more)",
		    shown, val);
	return v;
}

static void
add_source(struct opts *o, enum srckind kind, const char *path, int linked)
{
	struct srcspec *s;

	o->srcs = xreallocarray(o->srcs, (size_t)o->nsrcs + 1, sizeof *o->srcs);
	s = &o->srcs[o->nsrcs++];
	memset(s, 0, sizeof *s);
	s->kind = kind;
	s->path = path;
	s->linked = linked;
}

static void
strlist_add(struct strlist *l, const char *v)
{
	l->v = xreallocarray(l->v, (size_t)l->n + 1, sizeof *l->v);
	l->v[l->n++] = v;
}

static void
apply(struct opts *o, const struct option_def *def, const char *shown,
    const char *val)
{
	char name[64], *end;
	const char *p;

	switch (def->id) {
	case O_UNSUPPORTED:
		first_name(def, name, sizeof name);
		fatal("option %s is not implemented in fanout yet "
		    "(see doc/compatibility.md)", shown);
	case O_ARG_FILE:
		add_source(o, SRC_FILE, val, 0);
		break;
	case O_ARG_SEP:
		o->arg_sep = val;
		break;
	case O_ARG_FILE_SEP:
		o->arg_file_sep = val;
		break;
	case O_NULL:
		o->null = 1;
		break;
	case O_DELIM:
		free(o->delim);
		o->delim = opts_unescape(val, &o->delimlen);
		if (o->delimlen == 0)
			fatal("option %s: the delimiter is empty", shown);
		break;
	case O_EOF_E:
	case O_EOF_OPT:
		o->eof_str = val != NULL && *val != '\0' ? val : NULL;
		break;
	case O_NO_RUN_IF_EMPTY:
		o->no_run_if_empty = 1;
		break;
	case O_LINK:
		o->link = 1;
		break;
	case O_JOBS:
		o->jobs = val;
		break;
	case O_UNGROUP:
		o->ungroup = 1;
		break;
	case O_GROUP:
		o->ungroup = 0;
		o->group_given = 1;
		break;
	case O_KEEP_ORDER:
		o->keep_order = 1;
		break;
	case O_NO_KEEP_ORDER:
		o->keep_order = 0;
		break;
	case O_DRY_RUN:
		o->dry_run = 1;
		break;
	case O_V:
		o->verbose = 1;
		break;
	case O_VERBOSE:
		o->trace = 1;
		break;
	case O_VERSION:
		print_version();
		exit(0);
	case O_HELP:
		fputs(usage_text, stdout);
		exit(0);
	case O_WILL_CITE:
		break;
	case O_CITATION:
		print_citation();
		exit(0);
	case O_QUOTE:
		o->quote = 1;
		break;
	case O_RPL:
		o->rpls = xreallocarray(o->rpls, (size_t)o->nrpls + 1,
		    sizeof *o->rpls);
		o->rpls[o->nrpls++] = val;
		break;
	case O_PARENS:
		o->parens = val;
		break;
	case O_PLUS:
		o->plus = 1;
		break;
	case O_ER:
		no_empty_rpl(shown, val);
		o->rpl_er = val;
		break;
	case O_BNR:
		no_empty_rpl(shown, val);
		o->rpl_bnr = val;
		break;
	case O_DNR:
		no_empty_rpl(shown, val);
		o->rpl_dnr = val;
		break;
	case O_BNER:
		no_empty_rpl(shown, val);
		o->rpl_bner = val;
		break;
	case O_SEQREPLACE:
		no_empty_rpl(shown, val);
		o->rpl_seq = val;
		break;
	case O_SLOTREPLACE:
		no_empty_rpl(shown, val);
		o->rpl_slot = val;
		break;
	case O_REPLACE_I:
		o->rpl_i = val != NULL ? val : "";
		break;
	case O_REPLACE_I_UPPER:
		no_empty_rpl(shown, val);
		o->rpl_I = val;
		break;
	case O_TMPDIR:
		o->tmpdir = val;
		break;
	case O_PIPE:
		o->pipe = 1;
		break;
	case O_PIPEPART:
		o->pipepart = 1;
		break;
	case O_BLOCK:
		if (parse_size(val, &o->block) == -1)
			fatal("option %s: '%s' is not a size (e.g. 1M, 10k, "
			    "-1)", shown, val);
		if (o->block == 0)
			fatal("option %s: the block size must not be 0", shown);
		break;
	case O_ROUND_ROBIN:
		o->round_robin = 1;
		break;
	case O_RECSTART:
		o->recstart = val;
		break;
	case O_RECEND:
		o->recend = val;
		break;
	case O_REGEXP:
		o->regexp = 1;
		break;
	case O_RRS:
		o->rrs = 1;
		break;
	case O_HEADER:
		o->header = val;
		break;
	case O_MAX_ARGS:
	case O_MAX_REPLACE_ARGS:
		o->max_args = (long)number_value(shown, val);
		o->max_args_set = 1;
		if (def->id == O_MAX_REPLACE_ARGS)
			o->context_n = o->context_nmax = 1;
		break;
	case O_MAX_LINES:
	case O_L:
		if (def->id == O_MAX_LINES && val != NULL &&
		    strcmp(val, "-0") == 0) {
			/* -l -0: the -0 is taken for -l's value; GNU reads
			 * it as one line per job, NUL-separated. */
			o->null = 1;
			val = NULL;
		}
		o->max_lines = val == NULL ? 1 : (long)number_value(shown, val);
		o->max_lines_zero = o->max_lines == 0 && def->id == O_L;
		if (o->max_lines == 0)
			o->max_lines = 1;
		if (def->id == O_L)
			o->context_n = 1;
		break;
	case O_X:
	case O_M:
	case O_XARGS:
		o->multi = def->id == O_X ? 'X' : def->id == O_M ? 'm' : 'x';
		break;
	case O_MAX_CHARS:
		o->max_chars = (long)number_value(shown, val);
		if (o->max_chars == 0)
			fatal("option %s: the command line length must be more "
			    "than 0", shown);
		break;
	case O_SHOW_LIMITS:
		o->show_limits = 1;
		break;
	case O_EXIT:
		/* GNU parallel always stops at a value too long for any
		 * command line, -x or not. */
		break;
	case O_MAX_LINE_LENGTH:
		o->max_line_length_allowed = 1;
		break;
	case O_CSV:
		o->csv = 1;
		break;
	case O_TRIM:
		if (strcmp(val, "n") == 0)
			o->trim = TRIM_N;
		else if (strcmp(val, "l") == 0)
			o->trim = TRIM_L;
		else if (strcmp(val, "r") == 0)
			o->trim = TRIM_R;
		else if (strcmp(val, "lr") == 0 || strcmp(val, "rl") == 0)
			o->trim = TRIM_LR;
		else
			fatal("option %s: '%s' is not one of n, l, r, lr, rl",
			    shown, val);
		o->trim_set = 1;
		break;
	case O_SHELL_QUOTE:
		o->shellquote++;
		break;
	case O_CAT:
		o->cat = 1;
		break;
	case O_FIFO:
		o->fifo = 1;
		break;
	case O_COLSEP:
		o->colsep = val;
		break;
	case O_BLOCK_TIMEOUT:
		if (parse_duration(val, &o->block_timeout) == -1)
			fatal("option %s: '%s' is not a duration (e.g. 2, 1.5s, "
			    "3m)", shown, val);
		if (o->block_timeout < 1)
			fatal("option %s must be at least 1 second", shown);
		break;
	case O_TEE:
		o->tee = 1;
		break;
	case O_SHARD:
		o->shard = val;
		break;
	case O_BIN:
		o->bin = val;
		break;
	case O_GROUP_BY:
		o->group_by = val;
		break;
	case O_JOBLOG:
		o->joblog = val;
		break;
	case O_RESUME:
		o->resume = 1;
		break;
	case O_RESUME_FAILED:
		o->resume_failed = 1;
		break;
	case O_RETRY_FAILED:
		o->retry_failed = 1;
		break;
	case O_SILENT:
		o->silent = 1;
		break;
	case O_LINE_BUFFER:
		o->line_buffer = 1;
		break;
	case O_TAG:
		o->tag = 1;
		break;
	case O_TAGSTRING:
		o->tagstring = val;
		break;
	case O_DELAY:
		parse_delay(o, shown, val);
		break;
	case O_HALT:
		parse_halt(o, val);
		break;
	case O_RETRIES:
		parse_retries(o, shown, val);
		break;
	case O_TIMEOUT:
		parse_timeout(o, shown, val);
		break;
	case O_TERM_SEQ:
		parse_term_seq(o, val);
		break;
	case O_SEMAPHORE:
	case O_BG:
		o->semaphore = 1;
		break;
	case O_SEM_TIMEOUT:
		o->semaphore = 1;
		if (parse_duration(val[0] == '-' ? val + 1 : val,
		    &o->sem_timeout) == -1)
			fatal("option %s: '%s' is not a duration", shown, val);
		if (val[0] == '-')
			o->sem_timeout = -o->sem_timeout;
		break;
	case O_SEM_NAME:
		o->semaphore = 1;
		o->sem_name = val;
		break;
	case O_FG:
		o->semaphore = 1;
		o->fg = 1;
		break;
	case O_WAIT:
		o->semaphore = 1;
		o->sem_wait = 1;
		break;
	case O_SHUF:
		o->shuf = 1;
		break;
	case O_RESULTS:
		o->results = val;
		break;
	case O_CTAG:
		o->tag = o->color = 1;
		break;
	case O_CTAGSTRING:
		o->ctagstring = val;
		o->color = 1;
		break;
	case O_COLOR:
		o->color = 1;
		break;
	case O_COLOR_FAILED:
		o->color_failed = 1;
		break;
	case O_LOAD:
		{
			size_t n = strlen(val);
			char *e2;

			o->load = strtod(val, &e2);
			if (e2 == val || (*e2 != '\0' && strcmp(e2, "%") != 0) ||
			    o->load <= 0 || n == 0)
				fatal("option %s: '%s' is not a load (N or N%%)",
				    shown, val);
			if (*e2 == '%')
				o->load = o->load * cpu_threads() / 100;
		}
		break;
	case O_NOSWAP:
		o->noswap = 1;
		break;
	case O_LIMIT:
		o->limit = val;
		break;
	case O_MEMFREE:
	case O_MEMSUSPEND:
		{
			long long v;

			if (parse_size(val, &v) == -1 || v <= 0)
				fatal("option %s: '%s' is not a size (e.g. 1G)",
				    shown, val);
			if (def->id == O_MEMFREE)
				o->memfree = v;
			else
				o->memsuspend = v;
		}
		break;
	case O_COMPRESS:
		o->compress = 1;
		break;
	case O_COMPRESS_PROGRAM:
		o->compress = 1;
		o->compress_program = val;
		break;
	case O_DECOMPRESS_PROGRAM:
		o->decompress_program = val;
		break;
	case O_PROGRESS:
		o->progress = 1;
		break;
	case O_ETA:
		o->eta = 1;
		break;
	case O_BAR:
		o->bar = 1;
		break;
	case O_TOTAL_JOBS:
		o->total_jobs = count_value(shown, val);
		break;
	case O_ENV:
		/* Every variable reaches local jobs anyway; --env matters
		 * for remote ones.  _ (alone or in a comma list) means the
		 * variables not named in ignored_vars. */
		for (p = val; *p != '\0'; p += strcspn(p, ","),
		    p += *p == ',')
			if (p[0] == '_' && (p[1] == ',' || p[1] == '\0'))
				o->env_all = 1;
		strlist_add(&o->envs, val);
		break;
	case O_RECORD_ENV:
		o->record_env = 1;
		break;
	case O_SSHLOGIN:
		strlist_add(&o->sshlogins, val);
		break;
	case O_SLF:
		strlist_add(&o->slfs, val);
		break;
	case O_SSH:
		o->ssh = val;
		break;
	case O_SSH_DELAY:
		if (parse_duration(val, &o->ssh_delay) == -1)
			fatal("option %s: '%s' is not a duration", shown, val);
		break;
	case O_CONTROLMASTER:
		o->controlmaster = 1;
		break;
	case O_TF:
		strlist_add(&o->transfer_files, val);
		break;
	case O_RETURN:
		strlist_add(&o->returns, val);
		break;
	case O_TRC:
		strlist_add(&o->returns, val);
		strlist_add(&o->transfer_files, "{}");
		o->cleanup = 1;
		break;
	case O_TRANSFER:
		strlist_add(&o->transfer_files, "{}");
		break;
	case O_CLEANUP:
		o->cleanup = 1;
		break;
	case O_BASEFILE:
		strlist_add(&o->basefiles, val);
		break;
	case O_WORKDIR:
		o->workdir = val;
		break;
	case O_ONALL:
		o->onall = 1;
		break;
	case O_NONALL:
		o->nonall = 1;
		break;
	case O_HOSTGROUPS:
		o->hostgroups = 1;
		break;
	case O_OPEN_TTY:
		o->open_tty = 1;
		break;
	case O_TEMPLATE:
		if (strchr(val, '=') == NULL)
			fatal("option %s: '%s' is not FILE=NAME", shown, val);
		strlist_add(&o->templates, val);
		break;
	case O_FILTER:
		strlist_add(&o->filters, val);
		break;
	case O_INTERACTIVE:
		o->interactive = 1;
		break;
	case O_SHEBANG:
		/* Only means something as the first word; see opts_shebang. */
		break;
	case O_PIPE_ARGFILES:
		o->pipe_argfiles = 1;
		break;
	case O_SKIP_FIRST_LINE:
		o->skip_first_line = 1;
		break;
	case O_TTY:
		o->open_tty = o->tty = 1;
		break;
	case O_NUM_SOCKETS:
		o->print_cpus |= 1 << CPU_SOCKETS;
		break;
	case O_NUM_CORES:
		o->print_cpus |= 1 << CPU_CORES;
		break;
	case O_NUM_THREADS:
		o->print_cpus |= 1 << CPU_THREADS;
		break;
	case O_USE_CORES:
		o->use_cores = 1;
		break;
	case O_USE_SOCKETS:
		o->use_sockets = 1;
		break;
	case O_USE_CPUS:
		/* Counts sockets on remote hosts only: CPU threads here. */
		break;
	case O_MINVERSION: {
		char *e;

		errno = 0;
		o->minversion = strtod(val, &e);
		if (errno != 0 || e == val || *e != '\0')
			fatal("option %s: '%s' is not a version (a number such "
			    "as 20221122)", shown, val);
		o->has_minversion = 1;
		break;
	}
	case O_FILTER_HOSTS:
		o->filter_hosts = 1;
		break;
	case O_RSYNC_OPTS:
		o->rsync_opts = val;
		break;
	case O_SLOTVAR:
		o->slotvar = val;
		break;
	case O_FILES:
		o->files = 1;
		break;
	case O_NICE:
		o->nice = (int)strtol(val, &end, 10);
		if (end == val || *end != '\0')
			fatal("option %s: '%s' is not a number", shown, val);
		break;
	case O_PLAIN:
	case O_PROFILE:
		/* Read before everything else: see read_profiles(). */
		break;
	}
}

/* May the next word be the value of an option whose value is optional? */
static int
optional_value(const struct option_def *def, const char *next)
{
	char *end;

	if (def->arg == ARG_OPTNUM) {
		(void)strtod(next, &end);
		return end != next && *end == '\0';
	}
	return next[0] != '-';
}

/* Parse one argv word that starts with '-'; returns the words consumed. */
static int
parse_option(struct opts *o, int argc, char **argv, int i)
{
	const struct option_def *def;
	const char *arg = argv[i], *eq;
	char shown[128];
	size_t n;

	if (arg[1] == '-') {
		eq = strchr(arg + 2, '=');
		n = eq != NULL ? (size_t)(eq - arg - 2) : strlen(arg + 2);
		def = find_long(arg + 2, n);
		snprintf(shown, sizeof shown, "--%.*s", (int)n, arg + 2);
		if (def->arg == ARG_NONE) {
			if (eq != NULL)
				fatal("option %s does not take a value", shown);
			apply(o, def, shown, NULL);
			return 1;
		}
		if (eq != NULL) {
			apply(o, def, shown, eq + 1);
			return 1;
		}
		if (def->arg == ARG_OPT || def->arg == ARG_OPTNUM) {
			if (i + 1 < argc && optional_value(def, argv[i + 1])) {
				apply(o, def, shown, argv[i + 1]);
				return 2;
			}
			apply(o, def, shown, NULL);
			return 1;
		}
		if (i + 1 >= argc)
			fatal("option %s needs a value", shown);
		apply(o, def, shown, argv[i + 1]);
		return 2;
	}

	/* A bundle of single-letter options: -kj4, -0, -j 4. */
	for (arg++; *arg != '\0'; arg++) {
		def = find_short(*arg);
		snprintf(shown, sizeof shown, "-%c", *arg);
		if (def->arg == ARG_NONE) {
			apply(o, def, shown, NULL);
			continue;
		}
		if (arg[1] != '\0') {
			apply(o, def, shown, arg + 1);
			return 1;
		}
		if (def->arg == ARG_OPT || def->arg == ARG_OPTNUM) {
			if (i + 1 < argc && optional_value(def, argv[i + 1])) {
				apply(o, def, shown, argv[i + 1]);
				return 2;
			}
			apply(o, def, shown, NULL);
			return 1;
		}
		if (i + 1 >= argc)
			fatal("option %s needs a value", shown);
		apply(o, def, shown, argv[i + 1]);
		return 2;
	}
	return 1;
}

/* Which separator, if any, is word w?  Sets *linked for the + forms. */
static int
separator(const struct opts *o, const char *w, int *linked)
{
	size_t as = strlen(o->arg_sep), afs = strlen(o->arg_file_sep);

	*linked = 0;
	if (strcmp(w, o->arg_sep) == 0)
		return SRC_ARGS + 1;
	if (strcmp(w, o->arg_file_sep) == 0)
		return SRC_FILE + 1;
	if (strncmp(w, o->arg_sep, as) == 0 && strcmp(w + as, "+") == 0) {
		*linked = 1;
		return SRC_ARGS + 1;
	}
	if (strncmp(w, o->arg_file_sep, afs) == 0 &&
	    strcmp(w + afs, "+") == 0) {
		*linked = 1;
		return SRC_FILE + 1;
	}
	return 0;
}

/* A growable list of words. */
struct words {
	char	**w;
	int	  n;
};

static void
words_add(struct words *ws, char *w)
{
	ws->w = xreallocarray(ws->w, (size_t)ws->n + 2, sizeof *ws->w);
	ws->w[ws->n++] = w;
	ws->w[ws->n] = NULL;
}

/* Split a line into words as a shell would (Perl's shellwords()). */
static void
shell_words(const char *p, struct words *ws)
{
	struct sbuf w = SBUF_INIT;
	int inword = 0;
	char q;

	for (;;) {
		if (*p == '\0' || *p == ' ' || *p == '\t' || *p == '\n') {
			if (inword)
				words_add(ws, sbuf_take(&w));
			inword = 0;
			if (*p++ == '\0')
				break;
			continue;
		}
		inword = 1;
		if (*p == '\\' && p[1] != '\0') {
			sbuf_addc(&w, p[1]);
			p += 2;
		} else if (*p == '\'' || *p == '"') {
			q = *p++;
			while (*p != '\0' && *p != q) {
				if (q == '"' && *p == '\\' && p[1] != '\0')
					p++;
				sbuf_addc(&w, *p++);
			}
			if (*p == q)
				p++;
			sbuf_grow(&w, 0);
		} else
			sbuf_addc(&w, *p++);
	}
	sbuf_free(&w);
}

/* Add the words of a profile file, skipping comment lines. */
static int
read_profile(const char *path, struct words *ws)
{
	char line[65536];
	size_t n;
	FILE *f;

	if ((f = fopen(path, "r")) == NULL)
		return 0;
	while (fgets(line, sizeof line, f) != NULL) {
		n = strspn(line, " \t");
		if (line[n] == '#')
			continue;
		shell_words(line, ws);
	}
	fclose(f);
	return 1;
}

/* The directories GNU parallel looks for config and profiles in. */
static int
config_dirs(char dirs[][4096], int max)
{
	const char *home = getenv("HOME"), *ph = getenv("PARALLEL_HOME");
	const char *xdg = getenv("XDG_CONFIG_HOME");
	struct stat st;
	char cand[3][4096];
	int i, n = 0;

	snprintf(cand[0], sizeof cand[0], "%s", ph != NULL ? ph : "");
	snprintf(cand[1], sizeof cand[1], "%s/parallel", xdg != NULL ? xdg :
	    "");
	snprintf(cand[2], sizeof cand[2], "%s/.parallel",
	    home != NULL ? home : "");
	for (i = 0; i < 3 && n < max; i++) {
		if (i == 1 && (xdg == NULL || *xdg == '\0'))
			continue;
		if (i == 0 && (ph == NULL || *ph == '\0'))
			continue;
		if (stat(cand[i], &st) == 0 && S_ISDIR(st.st_mode))
			memcpy(dirs[n++], cand[i], sizeof cand[i]);
	}
	return n;
}

/* The directory GNU parallel writes its own files in: the first config
 * directory that exists, else ~/.parallel. */
static void
config_dir(char *buf, size_t size)
{
	char dirs[3][4096];
	const char *home = getenv("HOME");

	if (config_dirs(dirs, 3) > 0)
		snprintf(buf, size, "%s", dirs[0]);
	else
		snprintf(buf, size, "%s/.parallel", home != NULL ? home : "");
}

/* --record-env: name every variable set now in ignored_vars, so that a
 * later --env _ passes on only the ones set since. */
static void
record_env(void)
{
	char dir[4096], path[4200];
	char **e;
	FILE *f;

	config_dir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/ignored_vars", dir);
	if ((f = fopen(path, "we")) == NULL)
		fatal("--record-env: cannot write '%s': %s", path,
		    strerror(errno));
	for (e = environ; *e != NULL; e++)
		fprintf(f, "%.*s\n", (int)strcspn(*e, "="), *e);
	if (fclose(f) == EOF)
		fatal("--record-env: cannot write '%s': %s", path,
		    strerror(errno));
	exit(0);
}

/* --env _ needs the list that --record-env makes. */
static void
check_ignored_vars(void)
{
	char dir[4096], path[4200];

	config_dir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/ignored_vars", dir);
	if (access(path, R_OK) == -1)
		fatal("--env _: no list of variables to ignore in '%s'; run "
		    "'%s --record-env' in a clean environment first", path,
		    progname);
}

/* Does this option word take the next word as its value?  (Unknown
 * options are left for the real parse to report.) */
static int
value_follows(const char *w)
{
	const struct option_def *def, *found = NULL;
	const char *p;
	size_t n;
	int exact;

	if (w[1] == '-') {
		if (strchr(w, '=') != NULL)
			return 0;
		n = strlen(w + 2);
		for (def = options; def->names != NULL; def++) {
			exact = 0;
			if (name_match(def, w + 2, n, &exact)) {
				if (exact)
					return def->arg == ARG_REQ;
				found = found == NULL ? def : found;
			}
		}
		return found != NULL && found->arg == ARG_REQ;
	}
	for (p = w + 1; *p != '\0'; p++) {
		if ((def = short_def(*p)) == NULL)
			return 0;
		if (def->arg != ARG_NONE)
			return def->arg == ARG_REQ && p[1] == '\0';
	}
	return 0;
}

/*
 * Options that come before the command line's: the config files (or the
 * --profile files instead), then $PARALLEL.  --plain skips them all.
 */
static void
read_profiles(int argc, char **argv, struct words *pro, struct words *env)
{
	char dirs[3][4096], path[12400];
	const char *profiles[64], *e;
	int i, k, n = 0, plain = 0, ndirs;

	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1] != '\0' &&
	    strcmp(argv[i], "--") != 0; i++) {
		if (strcmp(argv[i], "--plain") == 0)
			plain = 1;
		else if ((strcmp(argv[i], "-J") == 0 ||
		    strcmp(argv[i], "--profile") == 0) && i + 1 < argc) {
			if (n < 64)
				profiles[n++] = argv[i + 1];
			i++;
		} else if (strncmp(argv[i], "--profile=", 10) == 0 && n < 64)
			profiles[n++] = argv[i] + 10;
		else if (strncmp(argv[i], "-J", 2) == 0 && n < 64)
			profiles[n++] = argv[i] + 2;
		else if (value_follows(argv[i]))
			i++;	/* skip the option's value */
	}
	if (plain)
		return;
	ndirs = config_dirs(dirs, 3);
	if (n == 0) {
		read_profile("/etc/parallel/config", pro);
		for (k = 0; k < ndirs; k++) {
			snprintf(path, sizeof path, "%s/config", dirs[k]);
			read_profile(path, pro);
		}
		if ((e = getenv("HOME")) != NULL) {
			snprintf(path, sizeof path, "%s/.parallelrc", e);
			read_profile(path, pro);
		}
	}
	/* As in GNU parallel, a profile that is not there is skipped. */
	for (i = 0; i < n; i++) {
		if (profiles[i][0] == '/' || strncmp(profiles[i], "./", 2) == 0)
			read_profile(profiles[i], pro);
		else
			for (k = 0; k < ndirs; k++) {
				snprintf(path, sizeof path, "%s/%s", dirs[k],
				    profiles[i]);
				read_profile(path, pro);
			}
	}
	if ((e = getenv("PARALLEL")) != NULL && *e != '\0')
		shell_words(e, env);
}

/* Parse the options at the front of a word list; returns where they end. */
static int
parse_front(struct opts *o, int argc, char **argv, int first)
{
	int i;

	for (i = first; i < argc; ) {
		if (strcmp(argv[i], "--") == 0)
			return i + 1;
		if (argv[i][0] != '-' || argv[i][1] == '\0')
			break;
		i += parse_option(o, argc, argv, i);
	}
	return i;
}

/*
 * A script whose #! line is "fanout --shebang OPTIONS" or "fanout
 * --shebang-wrap OPTIONS PROGRAM": the kernel passes OPTIONS as one word,
 * so fanout runs itself again through sh, which splits them, as GNU
 * parallel does.  --shebang reads the script, less its #! line, as the
 * input; --shebang-wrap runs PROGRAM SCRIPT once for each argument the
 * script was given.
 */
/* s in single quotes for sh. */
static void
sq(struct sbuf *b, const char *s)
{
	sbuf_addc(b, '\'');
	for (; *s != '\0'; s++)
		if (*s == '\'')
			sbuf_adds(b, "'\\''");
		else
			sbuf_addc(b, *s);
	sbuf_addc(b, '\'');
}

void
opts_shebang(int argc, char **argv)
{
	struct sbuf cmd = SBUF_INIT;
	const char *a, *rest;
	size_t n;
	int wrap, i;

	if (argc < 2)
		return;
	a = argv[1];
	if (strncmp(a, "--shebang-wrap", n = 14) == 0 ||
	    strncmp(a, "--shebangwrap", n = 13) == 0)
		wrap = 1;
	else if (strncmp(a, "--shebang", n = 9) == 0 ||
	    strncmp(a, "--hashbang", n = 10) == 0)
		wrap = 0;
	else {
		if (strstr(a, " --shebang") != NULL)
			warning("--shebang and --shebang-wrap must be the first "
			    "argument");
		return;
	}
	for (rest = a + n; *rest == ' '; rest++)
		;
	if (argc < 3)
		fatal("%.*s: give the script's path (use it on a #! line)",
		    (int)n, a);
	sq(&cmd, argv[0]);
	if (!wrap) {
		/* The last word is the script. */
		sbuf_adds(&cmd, " --skip-first-line -a ");
		sq(&cmd, argv[argc - 1]);
		sbuf_addc(&cmd, ' ');
		sbuf_adds(&cmd, rest);
		for (i = 2; i < argc - 1; i++) {
			sbuf_addc(&cmd, ' ');
			sq(&cmd, argv[i]);
		}
	} else {
		sbuf_adds(&cmd, " --_pipe-means-argfiles ");
		sbuf_adds(&cmd, rest);
		sbuf_addc(&cmd, ' ');
		sq(&cmd, argv[2]);
		sbuf_adds(&cmd, " :::");
		for (i = 3; i < argc; i++) {
			sbuf_addc(&cmd, ' ');
			sq(&cmd, argv[i]);
		}
	}
	execl("/bin/sh", "sh", "-c", cmd.s, (char *)NULL);
	fatal("cannot run /bin/sh: %s", strerror(errno));
}

/*
 * --number-of-sockets, -cores, -threads and --minversion print and exit
 * once every option has been read, as GNU parallel does.  The version
 * compared with is GNU parallel's that fanout follows.
 */
static void
print_cpus(const struct opts *o)
{
	int n[3];

	if (o->use_sockets)
		cpu_unit(CPU_SOCKETS);
	else if (o->use_cores)
		cpu_unit(CPU_CORES);
	if (o->print_cpus) {
		cpu_topology(&n[CPU_SOCKETS], &n[CPU_CORES], &n[CPU_THREADS]);
		if (o->print_cpus & (1 << CPU_SOCKETS))
			printf("%d\n", n[CPU_SOCKETS]);
		else if (o->print_cpus & (1 << CPU_CORES))
			printf("%d\n", n[CPU_CORES]);
		else
			printf("%d\n", n[CPU_THREADS]);
		exit(0);
	}
	if (o->has_minversion) {
		printf("%d\n", GNU_VERSION);
		exit(GNU_VERSION < o->minversion ? 255 : 0);
	}
}

void
opts_parse(struct opts *o, int argc, char **argv)
{
	/* Static: the settings point into these words for the whole run. */
	static struct words pro, env, all;
	int i, j, sep, linked;
	struct srcspec *s;

	pro.n = env.n = all.n = 0;

	memset(o, 0, sizeof *o);
	o->arg_sep = ":::";
	/* GNU parallel's default termination sequence. */
	o->termseq[0].sig = SIGTERM; o->termseq[0].ms = 200;
	o->termseq[1].sig = SIGTERM; o->termseq[1].ms = 100;
	o->termseq[2].sig = SIGTERM; o->termseq[2].ms = 50;
	o->termseq[3].sig = SIGKILL; o->termseq[3].ms = 25;
	o->ntermseq = 4;
	o->arg_file_sep = "::::";

	{
		const char *slash = strrchr(argv[0], '/');

		/* Called as sem: the semaphore mode. */
		if (strcmp(slash != NULL ? slash + 1 : argv[0], "sem") == 0)
			o->semaphore = 1;
	}
	/* Profile options, then $PARALLEL, then the command line's; what
	 * is left of each (a command prefix such as nice) goes first. */
	read_profiles(argc, argv, &pro, &env);
	i = parse_front(o, pro.n, pro.w, 0);
	for (j = i; j < pro.n; j++)
		words_add(&all, pro.w[j]);
	i = parse_front(o, env.n, env.w, 0);
	for (j = i; j < env.n; j++)
		words_add(&all, env.w[j]);
	i = parse_front(o, argc, argv, 1);
	if (all.n > 0) {
		for (j = i; j < argc; j++)
			words_add(&all, argv[j]);
		argv = all.w;
		argc = all.n;
		i = 0;
	}

	/* The command: every word up to the first separator. */
	o->cmd = argv + i;
	while (i < argc && !separator(o, argv[i], &linked))
		i++;
	o->ncmd = (int)(argv + i - o->cmd);

	/* The sources: ::: values, or :::: files (each file one source). */
	while (i < argc) {
		sep = separator(o, argv[i], &linked);
		i++;
		if (sep == SRC_ARGS + 1 && !(o->pipe_argfiles && o->pipe)) {
			add_source(o, SRC_ARGS, NULL, linked);
			s = &o->srcs[o->nsrcs - 1];
			s->args = argv + i;
			while (i < argc && !separator(o, argv[i], &sep))
				i++;
			s->nargs = (int)(argv + i - s->args);
		} else {
			/* With ::::+ every file named is linked. */
			while (i < argc && !separator(o, argv[i], &sep))
				add_source(o, SRC_FILE, argv[i++], linked);
		}
	}
	print_cpus(o);
	if (o->tty) {
		/* --tty: one job at a time, talking to the terminal, unless
		 * -j or --group say otherwise. */
		if (o->jobs == NULL)
			o->jobs = "1";
		if (!o->group_given)
			o->ungroup = 1;
	}
	/* -d wins over -0, whatever their order. */
	if (o->delim == NULL) {
		o->delim = xmemdup(o->null ? "\0" : "\n", 2);
		o->delimlen = 1;
	}
	/* As in GNU parallel, a non-empty --tagstring beats --ctagstring,
	 * and an empty one counts as not given. */
	if (o->tagstring != NULL && *o->tagstring == '\0')
		o->tagstring = NULL;
	if (o->tagstring == NULL)
		o->tagstring = o->ctagstring;
	if (o->link)
		for (i = 1; i < o->nsrcs; i++)
			o->srcs[i].linked = 1;
	if (o->nsrcs > 0)
		o->srcs[0].linked = 0;
	/* A retried job would need a block that a round-robin job has
	 * already swallowed; GNU parallel refuses the pair too. */
	if (o->round_robin && o->retries > 0)
		fatal("--retries cannot be combined with --round-robin");
	if (!o->pipe && !o->pipepart) {
		/*
		 * As in GNU parallel, --cat, --fifo and --group-by turn on
		 * --pipe, and the other options of the pipe modes mean
		 * nothing without it: scripts that pass them anyway run.
		 */
		if (o->cat || o->fifo || o->group_by != NULL)
			o->pipe = 1;
		else {
			o->round_robin = o->rrs = o->regexp = o->tee = 0;
			o->recstart = o->recend = NULL;
			o->shard = o->bin = NULL;
			o->block_timeout = 0;
		}
	}
	if (!o->pipe && !o->pipepart) {
		/* -X and -N, -L repeat the word around {}; -m and --xargs
		 * do not, even with -L, but -N has the last word, as in
		 * GNU parallel. */
		o->context_replace = o->multi == 'X' || o->context_nmax ||
		    (o->context_n && o->multi != 'm' && o->multi != 'x');
		/* GNU's order: a --colsep of the user's trims both ends;
		 * --csv splits at commas and --header at tabs unless
		 * --colsep says otherwise; --trim has the last word. */
		if (o->colsep != NULL && !o->trim_set)
			o->trim = TRIM_LR;
		if (o->csv && o->colsep == NULL)
			o->colsep = ",";
		if (o->header != NULL && o->colsep == NULL)
			o->colsep = "\t";
	} else if (o->pipe && !o->pipepart && !o->tee && (o->eta || o->bar ||
	    o->shuf || o->halt.pct > 0))
		/* They need the number of jobs, unknown until the input
		 * ends; GNU parallel refuses them too. */
		fatal("--pipe cannot be combined with --eta, --bar, --shuf or "
		    "--halt N%%");
	else if (o->pipepart && (o->context_n || o->max_lines > 0))
		/* Parts are cut by size; GNU refuses to count them. */
		fatal("--pipepart cannot be combined with -N, -L or -l");
	/* With --pipe, -N0 and -n0 mean no record count, as in GNU: jobs
	 * get blocks of --block bytes. */
	if ((o->shard != NULL) + (o->bin != NULL) + (o->group_by != NULL) +
	    o->tee > 1)
		fatal("--tee, --shard, --bin and --group-by exclude each "
		    "other");
	if ((o->shard != NULL || o->bin != NULL) && !o->pipe)
		fatal("--shard and --bin need --pipe");
	if (o->pipepart && o->tee) {
		/* The first file is the data every job reads; the rest of
		 * the sources give the jobs' arguments. */
		for (i = 0; i < o->nsrcs && o->srcs[i].kind != SRC_FILE; i++)
			;
		if (i < o->nsrcs) {
			o->teefile = o->srcs[i].path;
			memmove(&o->srcs[i], &o->srcs[i + 1],
			    (size_t)(o->nsrcs - i - 1) * sizeof *o->srcs);
			o->nsrcs--;
		}
	}
	if (o->silent)
		o->verbose = 0;
	if (o->sem_wait) {
		/* --wait: take and give back a slot once all are free. */
		static char *truecmd[] = { "true", NULL };

		o->cmd = truecmd;
		o->ncmd = 1;
	}
	if (o->semaphore && o->nsrcs > 0)
		fatal("a semaphore runs one command: it takes no ::: or -a "
		    "input");
	if ((o->resume || o->resume_failed) && o->joblog == NULL)
		fatal("--resume and --resume-failed need --joblog");
	if (o->cat && o->fifo)
		fatal("--cat and --fifo cannot be combined");
	if (o->record_env)
		record_env();
	if (o->env_all)
		check_ignored_vars();
	if (o->ssh == NULL && (o->ssh = getenv("PARALLEL_SSH")) != NULL &&
	    *o->ssh == '\0')
		o->ssh = NULL;
	if (o->ssh_delay > 0 && o->delay == 0)
		o->delay = o->ssh_delay;
	if (o->tmpdir == NULL) {
		o->tmpdir = getenv("TMPDIR");
		if (o->tmpdir == NULL || *o->tmpdir == '\0')
			o->tmpdir = "/tmp";
	}
}
