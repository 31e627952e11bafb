/*
 * opts.h: fanout's settings, parsed and validated from the command line
 * before anything runs.  Every other module reads this struct; only opts.c
 * writes it.
 */
#ifndef FANOUT_OPTS_H
#define FANOUT_OPTS_H

#include <stddef.h>

enum srckind {
	SRC_ARGS,	/* ::: values on the command line */
	SRC_FILE	/* :::: or -a: a file (or - for stdin) */
};

/* The GNU parallel release whose behaviour fanout follows. */
#define GNU_VERSION	20221122

struct srcspec {
	enum srckind	  kind;
	char		**args;		/* SRC_ARGS: the values */
	int		  nargs;
	const char	 *path;		/* SRC_FILE: the file name */
	int		  linked;	/* :::+ or ::::+: linked to the previous */
};

enum trim { TRIM_N, TRIM_L, TRIM_R, TRIM_LR };
/* A repeatable option's values, in order. */
struct strlist {
	const char	**v;
	int		  n;
};

enum haltwhen { HALT_NEVER, HALT_SOON, HALT_NOW };
enum haltkind { HALT_FAIL, HALT_SUCCESS, HALT_DONE };

#define TERMSEQ_MAX	16

struct opts {
	int		  quote;	/* -q */
	int		  keep_order;	/* -k */
	int		  ungroup;	/* -u */
	int		  dry_run;	/* --dry-run */
	int		  verbose;	/* -v: print commands on stdout */
	int		  trace;	/* -t/--verbose: print commands on stderr */
	int		  link;		/* --link/--xapply */
	int		  no_run_if_empty; /* -r */
	int		  null;		/* -0 */
	char		 *delim;	/* record delimiter (-d, -0) */
	size_t		  delimlen;
	const char	 *eof_str;	/* -E */
	const char	 *arg_sep;	/* --arg-sep, default ::: */
	const char	 *arg_file_sep;	/* --arg-file-sep, default :::: */
	const char	 *jobs;		/* -j as given, NULL for the default */
	const char	 *tmpdir;	/* --tmpdir, else $TMPDIR, else /tmp */

	/* Pipe modes (pipe.c). */
	int		  pipe;		/* --pipe */
	int		  pipepart;	/* --pipepart */
	long long	  block;	/* --block; 0 unset, < 0 per slot */
	int		  round_robin;	/* --round-robin */
	const char	 *recstart;	/* --recstart, NULL unset */
	const char	 *recend;	/* --recend, NULL unset */
	int		  regexp;	/* --regexp */
	int		  rrs;		/* --remove-rec-sep */
	const char	 *header;	/* --header */
	long		  max_args;	/* -N/-n: records per job */
	long		  max_lines;	/* -L/-l: lines per record */
	int		  cat;		/* --cat */
	int		  fifo;		/* --fifo */
	const char	 *colsep;	/* --colsep (with the options below) */
	double		  block_timeout; /* --block-timeout, seconds */
	int		  tee;		/* --tee: all input to every job */
	const char	 *teefile;	/* --pipepart --tee: the data file */
	const char	 *shard;	/* --shard COL [perlexpr] */
	const char	 *bin;		/* --bin COL [perlexpr] */
	const char	 *group_by;	/* --group-by COL [perlexpr] */

	/* Job control and output (job.c, joblog.c, output.c). */
	const char	 *joblog;	/* --joblog FILE (+FILE appends) */
	int		  resume;	/* --resume */
	int		  resume_failed; /* --resume-failed */
	int		  retry_failed;	/* --retry-failed */
	struct {
		enum haltwhen	 when;
		enum haltkind	 kind;
		double		 count;	/* a number of jobs, or 0 */
		double		 pct;	/* a fraction of the jobs, or 0 */
	}		  halt;
	double		  timeout;	/* --timeout seconds, or 0 */
	double		  timeout_pct;	/* --timeout N%: fraction of median */
	int		  retries;	/* --retries: runs at most */
	struct {
		int	 sig;
		int	 ms;
	}		  termseq[TERMSEQ_MAX]; /* --term-seq */
	int		  ntermseq;
	int		  silent;	/* --silent: cancels -v */
	int		  tag;		/* --tag */
	const char	 *tagstring;	/* --tagstring */
	const char	 *ctagstring;	/* --ctagstring */
	int		  line_buffer;	/* --line-buffer */
	double		  delay;	/* --delay seconds */
	int		  delay_auto;	/* --delay ...auto: adapt it */
	int		  semaphore;	/* --semaphore, or called as sem */
	const char	 *sem_name;	/* --id */
	double		  sem_timeout;	/* --st: > 0 steal, < 0 give up */
	int		  fg;		/* --fg */
	int		  sem_wait;	/* --wait */
	int		  shuf;		/* --shuf */
	const char	 *slotvar;	/* --process-slot-var */
	int		  files;	/* --files */
	int		  nice;		/* --nice */
	const char	 *results;	/* --results */
	int		  color;	/* --color, --ctag */
	int		  color_failed;	/* --color-failed */
	long		  total_jobs;	/* --total-jobs */
	int		  env_all;	/* --env _ */
	int		  record_env;	/* --record-env */
	int		  progress, eta, bar; /* --progress, --eta, --bar */
	double		  load;		/* --load: most running processes */
	int		  noswap;	/* --noswap */
	const char	 *limit;	/* --limit */
	long long	  memfree;	/* --memfree bytes */
	long long	  memsuspend;	/* --memsuspend bytes */
	int		  compress;	/* --compress */
	const char	 *compress_program;   /* --compress-program */
	const char	 *decompress_program; /* --decompress-program */

	/* Several arguments per job, columns (pack.c, columns.c). */
	int		  multi;	/* 'X' -X, 'm' -m, 'x' --xargs, or 0 */
	int		  context_replace; /* -X, -N, -L: repeat {} words */
	int		  max_args_set;	/* -n or -N given (0: -N0) */
	long		  max_chars;	/* -s, or 0 */
	int		  show_limits;	/* --show-limits */
	int		  max_line_length_allowed;
	int		  csv;		/* --csv */
	int		  trim;		/* --trim: enum trim */
	int		  trim_set;	/* --trim given */
	int		  context_n;	/* -N or -L given */
	int		  context_nmax;	/* -N given: context even with -m */
	int		  max_lines_zero; /* -L 0 */
	int		  shellquote;	/* --shell-quote, counted */
	/* Replacement strings (rpl.c). */
	int		  plus;		/* --plus */
	const char	 *parens;	/* --parens */
	const char	 *rpl_I;	/* -I */
	const char	 *rpl_i;	/* -i, --replace ("" without a value) */
	const char	 *rpl_er;	/* --extensionreplace, --er */
	const char	 *rpl_bnr;	/* --basenamereplace, --bnr */
	const char	 *rpl_dnr;	/* --dirnamereplace, --dnr */
	const char	 *rpl_bner;	/* --basenameextensionreplace, --bner */
	const char	 *rpl_seq;	/* --seqreplace */
	const char	 *rpl_slot;	/* --slotreplace */
	const char	**rpls;		/* --rpl, in the order given */
	int		  nrpls;
	/* Remote jobs (sshlogin.c, remote.c). */
	struct strlist	  sshlogins;	/* -S, as given */
	struct strlist	  slfs;		/* --slf files */
	const char	 *ssh;		/* --ssh, else $PARALLEL_SSH, else ssh */
	double		  ssh_delay;	/* --ssh-delay seconds */
	int		  controlmaster; /* -M */
	struct strlist	  transfer_files; /* --tf, --transfer: templates */
	struct strlist	  returns;	/* --return: templates */
	struct strlist	  basefiles;	/* --bf */
	struct strlist	  envs;		/* --env names (comma lists) */
	int		  cleanup;	/* --cleanup */
	const char	 *workdir;	/* --wd */
	int		  onall;	/* --onall */
	int		  nonall;	/* --nonall */
	int		  filter_hosts;	/* --filter-hosts */
	int		  hostgroups;	/* --hostgroups */
	int		  open_tty;	/* -o, --tty: jobs read the terminal */
	int		  pipe_argfiles; /* --_pipe-means-argfiles */
	int		  skip_first_line; /* --skip-first-line */
	int		  tty;		/* --tty */
	int		  interactive;	/* -p: ask before each job */
	struct strlist	  filters;	/* --filter */
	struct strlist	  templates;	/* --template FILE=NAME */
	int		  group_given;	/* --group */
	int		  print_cpus;	/* --number-of-*: 1 << CPU_... */
	int		  use_cores;	/* --use-cores-instead-of-threads */
	int		  use_sockets;	/* --use-sockets-instead-of-threads */
	double		  minversion;	/* --minversion */
	int		  has_minversion;
	const char	 *rsync_opts;	/* --rsync-opts */

	char		**cmd;		/* the command words */
	int		  ncmd;
	struct srcspec	 *srcs;		/* input sources, in order */
	int		  nsrcs;
};

/* Parse argv into o; on bad input print one line and exit 255. */
void	opts_parse(struct opts *, int, char **);
/* Called as a #! interpreter with --shebang or --shebang-wrap first: run
 * again with the options split; returns only when that is not so. */
void	opts_shebang(int, char **);
/* -d's and --tagstring's escapes (\t, \n, \r, octal) decoded; the length
 * goes to the second argument. */
char	*opts_unescape(const char *, size_t *);

#endif
