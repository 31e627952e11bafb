/*
 * progress.c: the progress displays.  The layout follows GNU parallel's:
 * --progress prints a table head and then one line per update,
 * local:RUNNING/COMPLETED/100%/AVGs; --eta puts ETA, jobs left and the
 * average run time in front of it; --bar draws PCT% DONE:LEFT=ETA ARGS
 * with the done part in reverse video, after the "# ETA sec ARGS" and
 * percentage lines that zenity reads.  Nothing is drawn unless stderr is a
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
#include "tmpl.h"
#include "util.h"

static const struct opts *o;
static int on;
static double last_draw, t0;
static struct sbuf lastargs = SBUF_INIT;	/* --bar: newest job's values */

static int	columns(void);

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
	sbuf_grow(&lastargs, 0);	/* --bar shows it before any job starts */
	if (o->progress || o->eta) {
		snprintf(head, sizeof head, "\nComputers / CPU cores / Max jobs "
		    "to run\n1:local / %d / %d\n\nComputer:jobs running/jobs "
		    "completed/%%of started jobs/Average seconds to complete\n",
		    cpu_count(), slots);
		write_all(STDERR_FILENO, head, strlen(head));
	}
}

void
progress_job(const struct jobvars *jv)
{
	int i;

	if (!on || !o->bar)
		return;
	sbuf_reset(&lastargs);
	for (i = 0; i < jv->nargs; i++) {
		if (i > 0)
			sbuf_addc(&lastargs, ' ');
		sbuf_add(&lastargs, jv->args[i].s, jv->args[i].len);
	}
}

/* Seconds as GNU parallel shows a duration: 5s, 3m07s, 1h02m03s... */
static void
dhms(char *buf, size_t size, long s)
{
	long d = s / 86400, h = s % 86400 / 3600, m = s % 3600 / 60;

	s %= 60;
	if (d > 0)
		snprintf(buf, size, "%ldd%02ldh%02ldm%02lds", d, h, m, s);
	else if (h > 0)
		snprintf(buf, size, "%ldh%02ldm%02lds", h, m, s);
	else if (m > 0)
		snprintf(buf, size, "%ldm%02lds", m, s);
	else
		snprintf(buf, size, "%lds", s);
}

/* Text cut or padded with blanks to exactly width columns. */
static void
add_fitted(struct sbuf *b, const char *s, size_t n, int width)
{
	size_t w = (size_t)width;

	sbuf_add(b, s, n < w ? n : w);
	for (; n < w; n++)
		sbuf_addc(b, ' ');
}

/*
 * --bar, laid out as GNU parallel lays it out, so that a zenity reading
 * the stream and a terminal showing it both work.
 */
static void
draw_bar(struct sbuf *b, const struct progress *p, double eta)
{
	struct sbuf text = SBUF_INIT, line = SBUF_INIT;
	unsigned long total = p->total > p->completed ? p->total :
	    p->completed;
	double frac = total > 0 ? (double)p->completed / (double)total : 0;
	char num[128], when[64];
	int width = columns(), done;

	dhms(when, sizeof when, (long)eta);
	snprintf(num, sizeof num, "#   %ld sec ", (long)eta);
	sbuf_adds(&text, num);
	sbuf_add(&text, lastargs.s, lastargs.len);
	sbuf_addc(b, '\r');
	add_fitted(b, text.s, text.len, width);
	snprintf(num, sizeof num, "\r%.15g\r\033[7m", frac * 100);
	sbuf_adds(b, num);
	sbuf_reset(&text);
	snprintf(num, sizeof num, "%d%% %lu:%lu=%s ", (int)(frac * 100),
	    p->completed, total - p->completed, when);
	sbuf_adds(&text, num);
	sbuf_add(&text, lastargs.s, lastargs.len);
	done = (int)(width * frac);
	if (done > width)
		done = width;
	add_fitted(&line, text.s, text.len, width);
	sbuf_add(b, line.s, (size_t)done);
	sbuf_adds(b, "\033[0m");
	sbuf_add(b, line.s + done, line.len - (size_t)done);
	sbuf_adds(b, "\033[0m");
	sbuf_free(&text);
	sbuf_free(&line);
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
	char line[512];
	double t = now(), avg, eta;
	unsigned long left;

	if (!on || (!final && t - last_draw < 0.1))
		return;
	last_draw = t;
	avg = p->completed > 0 ? p->runtime / (double)p->completed : 0;
	left = p->total > p->completed ? p->total - p->completed : 0;
	/* The jobs left at the pace of the jobs done so far. */
	eta = p->completed > 0 ?
	    (t - t0) / (double)p->completed * (double)left : 0;
	sbuf_addc(&b, '\r');
	if (o->bar)
		draw_bar(&b, p, eta);
	else {
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
