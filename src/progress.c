/*
 * progress.c: the progress displays.  The layout follows GNU parallel's:
 * --progress prints a table head and then one line per update,
 * local:RUNNING/COMPLETED/100%/AVGs; --eta puts ETA, jobs left and the
 * average run time in front of it; --bar draws PCT% DONE:LEFT=ETAs with
 * the done part in reverse video.  Nothing is drawn unless stderr is a
 * terminal, so logs and pipes never fill with carriage returns.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "opts.h"
#include "progress.h"
#include "sbuf.h"
#include "util.h"

static const struct opts *o;
static int on;
static double last_draw, t0;

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void
progress_start(const struct opts *opts, int slots)
{
	char head[512];

	o = opts;
	on = (o->progress || o->eta || o->bar) && isatty(STDERR_FILENO);
	if (!on)
		return;
	t0 = now();
	if (o->progress || o->eta) {
		snprintf(head, sizeof head, "\nComputers / CPU cores / Max jobs "
		    "to run\n1:local / %d / %d\n\nComputer:jobs running/jobs "
		    "completed/%%of started jobs/Average seconds to complete\n",
		    cpu_threads(), slots);
		write_all(STDERR_FILENO, head, strlen(head));
	}
}

static int
columns(void)
{
	struct winsize ws;

	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 10)
		return ws.ws_col;
	return 80;
}

void
progress_draw(const struct progress *p, int final)
{
	struct sbuf b = SBUF_INIT;
	char line[512], bar[512];
	double t = now(), avg, eta;
	unsigned long left;
	int pct, width, done, n;

	if (!on || (!final && t - last_draw < 0.1))
		return;
	last_draw = t;
	avg = p->completed > 0 ? p->runtime / (double)p->completed : 0;
	left = p->total > p->completed ? p->total - p->completed : 0;
	/* Jobs left, spread over the slots, at the average so far. */
	eta = p->completed > 0 && p->slots > 0 ?
	    (t - t0) / (double)p->completed * (double)left : 0;
	if (o->bar) {
		pct = p->total > 0 ? (int)(100 * p->completed / p->total) : 0;
		snprintf(line, sizeof line, "%d%% %lu:%lu=%ds %s", pct,
		    p->completed, left, (int)(eta + 0.5),
		    p->last != NULL ? p->last : "");
		width = columns() - 1;
		if (width > (int)sizeof bar - 1)
			width = (int)sizeof bar - 1;
		n = snprintf(bar, sizeof bar, "%-*.*s", width, width, line);
		done = width * pct / 100;
		if (done > n)
			done = n;
		sbuf_adds(&b, "\r\033[7m");
		sbuf_add(&b, bar, (size_t)done);
		sbuf_adds(&b, "\033[0m");
		sbuf_add(&b, bar + done, (size_t)(n - done));
	} else {
		sbuf_addc(&b, '\r');
		if (o->eta) {
			snprintf(line, sizeof line, "ETA: %ds Left: %lu AVG: "
			    "%.2fs  ", (int)(eta + 0.5), left, avg);
			sbuf_adds(&b, line);
		}
		snprintf(line, sizeof line, "local:%d/%lu/100%%/%.1fs ",
		    p->running, p->completed, avg);
		sbuf_adds(&b, line);
	}
	if (final)
		sbuf_addc(&b, '\n');
	write_all(STDERR_FILENO, b.s, b.len);
	sbuf_free(&b);
}
