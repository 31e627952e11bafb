/*
 * fanout.c: the entry point.  Parses the options, opens the input, compiles
 * the command template -- all before any job starts, so bad input stops
 * fanout with one line and status 255 -- then hands over to job.c
 * and exits with its status.
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "columns.h"
#include "input.h"
#include "opts.h"
#include "output.h"
#include "job.h"
#include "pack.h"
#include "results.h"
#include "launch.h"
#include "rpl.h"
#include "onall.h"
#include "tmpl.h"
#include "util.h"

/* Set when the --tagstring in the options is a renamed copy. */
static int tag_owned;

/*
 * --header: {name} in the command and in --tagstring becomes the number of
 * the column so named, one name after the other as GNU parallel does it.
 */
static char **
rename_columns(struct opts *o, struct input *in)
{
	char **names, **cmd, *t;
	int n, i, j;

	n = input_names(in, &names);
	cmd = xcalloc((size_t)o->ncmd + 1, sizeof *cmd);
	for (i = 0; i < o->ncmd; i++)
		cmd[i] = xstrdup(o->cmd[i]);
	for (j = 0; j < n; j++) {
		for (i = 0; i < o->ncmd; i++) {
			t = columns_rename(cmd[i], names[j], j + 1);
			free(cmd[i]);
			cmd[i] = t;
		}
		if (o->tagstring != NULL) {
			t = columns_rename(o->tagstring, names[j], j + 1);
			if (tag_owned)
				free((char *)o->tagstring);
			o->tagstring = t;
			tag_owned = 1;
		}
	}
	o->cmd = cmd;
	results_names(names, n);
	return cmd;
}

int
main(int argc, char **argv)
{
	struct opts o;
	struct input *in;
	struct tmpl *t;
	const char *slash;
	char **cmd = NULL;
	int rc, piped, i;

	if (argc > 0 && argv[0] != NULL) {
		slash = strrchr(argv[0], '/');
		progname = slash != NULL ? slash + 1 : argv[0];
	}

	opts_shebang(argc, argv);

	/* A closed stdout is reported by write(), not by a signal. */
	signal(SIGPIPE, SIG_IGN);

	opts_parse(&o, argc, argv);
	if (o.max_line_length_allowed) {
		printf("%ld\n", pack_max_line());
		free(o.delim);
		free(o.srcs);
		return 0;
	}
	if (o.show_limits)
		pack_show_limits();
	if (onall_wanted(&o))
		onall_run(&o);
	if (o.nonall) {
		/* One job with no arguments. */
		static char *none[] = { "", NULL };

		free(o.srcs);
		o.srcs = xcalloc(1, sizeof *o.srcs);
		o.srcs[0].kind = SRC_ARGS;
		o.srcs[0].args = none;
		o.srcs[0].nargs = 1;
		o.nsrcs = 1;
	}
	job_check_slots(&o);
	if (getenv("PARALLEL_SHELL") != NULL && !o.dry_run)
		launch_shell();
	output_init(&o, job_pipe_closed, job_printed);
	/* Piped jobs read their input from stdin, not from arguments. */
	piped = o.pipe || o.pipepart;
	if (o.tee && o.nsrcs == 0)
		fatal("--tee needs the jobs' arguments: give them with :::");
	/* A semaphore runs its command once, with no arguments. */
	in = (piped && !o.tee) || o.semaphore ? NULL : input_open(&o);
	if (in != NULL && o.header != NULL && !piped)
		cmd = rename_columns(&o, in);
	rpl_init(&o);
	/* A semaphore's command takes one empty value, not inserted (as
	 * -N0): GNU shows "cmd " with the space it appends. */
	t = tmpl_compile(o.cmd, o.ncmd, o.quote, !piped && !o.nonall);
	if (!piped && !o.semaphore && o.nsrcs == 0 && isatty(STDIN_FILENO))
		warning("input is read from the terminal; press CTRL-D to "
		    "end it");

	rc = job_run_all(&o, in, t);

	output_end();
	tmpl_free(t);
	if (in != NULL)
		input_free(in);
	if (cmd != NULL) {
		for (i = 0; i < o.ncmd; i++)
			free(cmd[i]);
		free(cmd);
	}
	if (tag_owned)
		free((char *)o.tagstring);
	free(o.delim);
	free(o.srcs);
	free(o.rpls);
	free(o.sshlogins.v);
	free(o.slfs.v);
	free(o.transfer_files.v);
	free(o.returns.v);
	free(o.basefiles.v);
	free(o.envs.v);
	free(o.filters.v);
	free(o.templates.v);
	return rc;
}
