// SPDX-License-Identifier: GPL-2.0
/*
 * guest-sched - the test guest's scheduler: runs the tests of a job file
 * concurrently where they cannot interfere, each under a timeout, and
 * prints one KTAP document on stdout.
 *
 * Usage: guest-sched [-j N] JOBFILE
 *
 * JOBFILE has one job a line:
 *
 *   NAME SECONDS NICE OUTPUT LOCKS COMMAND [ARGS...]
 *
 *   NICE     the job's nice value (setpriority: busybox has no nice)
 *   OUTPUT   "diag": the job's output (stdout and stderr) becomes "# "
 *            diagnostic lines; "ktap": the job prints KTAP itself (a
 *            "# Subtest:" document) and is nested, indented by 4.
 *   LOCKS    what the job must not share, comma-separated: "R" holds
 *            resource R exclusively, "R:r" shared with other readers, "-"
 *            nothing.  Every job also holds "all" shared unless it names
 *            "all" itself: such a job runs alone.
 *
 * A job starts when fewer than N jobs run and its locks are free, in file
 * order: a job never overtakes an earlier one that waits for a lock they
 * both name, so the order of the file decides who waits for whom, and a
 * waiting writer is not starved by later readers.  A job over SECONDS gets
 * SIGTERM, and SIGKILL 5 s later, its whole process group; whatever the
 * job left running is killed when it ends.
 *
 * Output of a job is kept in a file and printed in one piece when the job
 * ends (the lines of concurrent jobs never mix), numbered in the order the
 * jobs end:
 *
 *   # ...its output...
 *   # NAME: exit RC, Ts (started at +Ss)
 *   ok K NAME | ok K NAME # SKIP | not ok K NAME # exit status RC
 *             | not ok K NAME # TIMEOUT after SECONDSs
 *
 * Exit status 4 is kselftest's KSFT_SKIP.  Last comes one line
 * "# ktsc-sched: J jobs, -j N, W s" with the wall time of the whole run.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_JOBS	512
#define MAX_LOCKS	8
#define MAX_RES		32
#define MAX_ARGS	32
#define KILL_GRACE	5.0

enum state { PENDING, RUNNING, DONE };

struct lock {
	int res;	/* index into res[] */
	int excl;
};

struct job {
	char *name, *argv[MAX_ARGS + 1];
	int secs, nice, ktap, nlocks;
	struct lock locks[MAX_LOCKS];
	enum state state;
	pid_t pid;
	double t0, t1;
	int termed, killed, status;
	char out[64];
};

static struct res {
	char name[32];
	int readers, writer, wanted;
} res[MAX_RES];
static int nres;
static struct job jobs[MAX_JOBS];
static int njobs;
static double start;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int res_of(const char *name, size_t len)
{
	int i;

	for (i = 0; i < nres; i++)
		if (strlen(res[i].name) == len && !strncmp(res[i].name, name, len))
			return i;
	if (nres == MAX_RES || len >= sizeof(res[0].name)) {
		fprintf(stderr, "guest-sched: too many locks or name too long: %.*s\n", (int)len, name);
		exit(2);
	}
	memcpy(res[nres].name, name, len);
	res[nres].name[len] = 0;
	return nres++;
}

static void add_lock(struct job *j, const char *name, size_t len)
{
	int excl = 1;

	if (len > 2 && !strncmp(name + len - 2, ":r", 2)) {
		excl = 0;
		len -= 2;
	}
	if (j->nlocks == MAX_LOCKS) {
		fprintf(stderr, "guest-sched: %s: too many locks\n", j->name);
		exit(2);
	}
	j->locks[j->nlocks].res = res_of(name, len);
	j->locks[j->nlocks++].excl = excl;
}

static void parse(const char *file)
{
	char *line = NULL, *save, *tok, *locks, *p;
	size_t cap = 0;
	FILE *f = fopen(file, "r");
	struct job *j;
	int all, a;

	if (!f) {
		perror(file);
		exit(2);
	}
	while (getline(&line, &cap, f) > 0) {
		line[strcspn(line, "\n")] = 0;
		if (!*line || *line == '#')
			continue;
		if (njobs == MAX_JOBS) {
			fprintf(stderr, "guest-sched: too many jobs\n");
			exit(2);
		}
		j = &jobs[njobs++];
		j->name = strdup(strtok_r(line, " \t", &save));
		tok = strtok_r(NULL, " \t", &save);
		j->secs = tok ? atoi(tok) : 0;
		tok = strtok_r(NULL, " \t", &save);
		j->nice = tok ? atoi(tok) : 0;
		tok = strtok_r(NULL, " \t", &save);
		j->ktap = tok && !strcmp(tok, "ktap");
		locks = strtok_r(NULL, " \t", &save);
		p = save;
		while (p && (*p == ' ' || *p == '\t'))
			p++;
		if (!locks || !p || !*p || j->secs <= 0) {
			fprintf(stderr, "guest-sched: bad job line for %s\n", j->name);
			exit(2);
		}
		all = 0;
		if (strcmp(locks, "-")) {
			for (tok = locks; *tok; tok += strcspn(tok, ",") + (tok[strcspn(tok, ",")] != 0)) {
				size_t len = strcspn(tok, ",");

				if (len == 3 && !strncmp(tok, "all", 3))
					all = 1;
				if (len)
					add_lock(j, tok, len);
			}
		}
		if (!all)
			add_lock(j, "all:r", 5);
		a = 0;
		for (tok = strtok_r(strdup(p), " \t", &save); tok && a < MAX_ARGS; tok = strtok_r(NULL, " \t", &save))
			j->argv[a++] = tok;
		j->argv[a] = NULL;
	}
	free(line);
	fclose(f);
}

static int can_take(const struct job *j)
{
	int i;

	for (i = 0; i < j->nlocks; i++) {
		const struct res *r = &res[j->locks[i].res];

		if (r->wanted || r->writer || (j->locks[i].excl && r->readers))
			return 0;
	}
	return 1;
}

static void take(const struct job *j, int d)
{
	int i;

	for (i = 0; i < j->nlocks; i++) {
		struct res *r = &res[j->locks[i].res];

		if (j->locks[i].excl)
			r->writer += d;
		else
			r->readers += d;
	}
}

static void launch(struct job *j)
{
	int fd;

	snprintf(j->out, sizeof(j->out), "/tmp/guest-sched.%ld.out", (long)(j - jobs));
	fflush(stdout);
	j->pid = fork();
	if (j->pid < 0) {
		perror("fork");
		exit(2);
	}
	if (j->pid == 0) {
		setpgid(0, 0);
		if (j->nice && setpriority(PRIO_PROCESS, 0, j->nice))
			perror("setpriority");
		fd = open(j->out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0)
			_exit(125);
		dup2(fd, 1);
		dup2(fd, 2);
		close(fd);
		fd = open("/dev/null", O_RDONLY);
		if (fd >= 0) {
			dup2(fd, 0);
			close(fd);
		}
		execvp(j->argv[0], j->argv);
		perror(j->argv[0]);
		_exit(127);
	}
	setpgid(j->pid, j->pid);
	j->state = RUNNING;
	j->t0 = now();
	take(j, 1);
}

/* start every pending job that may start now; returns how many run */
static int schedule(int maxj)
{
	int i, k, running = 0;

	for (i = 0; i < nres; i++)
		res[i].wanted = 0;
	for (i = 0; i < njobs; i++)
		running += jobs[i].state == RUNNING;
	for (i = 0; i < njobs && running < maxj; i++) {
		struct job *j = &jobs[i];

		if (j->state != PENDING)
			continue;
		if (can_take(j)) {
			launch(j);
			running++;
			continue;
		}
		/* later jobs must not take what this one waits for */
		for (k = 0; k < j->nlocks; k++) {
			struct res *r = &res[j->locks[k].res];

			if (r->writer || (j->locks[k].excl && r->readers))
				r->wanted = 1;
		}
	}
	return running;
}

static void report(struct job *j, int nr)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	FILE *f;
	int rc;

	f = fopen(j->out, "r");
	while (f && (len = getline(&line, &cap, f)) > 0) {
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = 0;
		printf("%s%s\n", j->ktap ? "    " : "# ", line);
	}
	if (f)
		fclose(f);
	free(line);
	unlink(j->out);
	rc = WIFEXITED(j->status) ? WEXITSTATUS(j->status) : 128 + WTERMSIG(j->status);
	printf("# %s: exit %d, %.0fs (started at +%.0fs)\n", j->name, rc, j->t1 - j->t0, j->t0 - start);
	if (j->termed)
		printf("not ok %d %s # TIMEOUT after %ds\n", nr, j->name, j->secs);
	else if (rc == 0)
		printf("ok %d %s\n", nr, j->name);
	else if (rc == 4)
		printf("ok %d %s # SKIP\n", nr, j->name);
	else
		printf("not ok %d %s # exit status %d\n", nr, j->name, rc);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	int opt, maxj = 4, done = 0, i, status;
	struct timespec tick = { 0, 50 * 1000 * 1000 };
	pid_t pid;
	double t;

	while ((opt = getopt(argc, argv, "j:")) != -1) {
		if (opt == 'j' && atoi(optarg) > 0) {
			maxj = atoi(optarg);
		} else {
			fprintf(stderr, "usage: %s [-j N] JOBFILE\n", argv[0]);
			return 2;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "usage: %s [-j N] JOBFILE\n", argv[0]);
		return 2;
	}
	parse(argv[optind]);
	setvbuf(stdout, NULL, _IOLBF, 0);
	start = now();
	printf("KTAP version 1\n1..%d\n", njobs);
	while (done < njobs) {
		schedule(maxj);
		pid = waitpid(-1, &status, WNOHANG);
		if (pid < 0 && errno == ECHILD) {
			fprintf(stderr, "guest-sched: no job runs and none can start\n");
			return 2;
		}
		if (pid <= 0) {
			nanosleep(&tick, NULL);
			t = now();
			for (i = 0; i < njobs; i++) {
				struct job *j = &jobs[i];

				if (j->state != RUNNING)
					continue;
				if (!j->termed && t - j->t0 >= j->secs) {
					kill(-j->pid, SIGTERM);
					j->termed = 1;
				} else if (j->termed && !j->killed && t - j->t0 >= j->secs + KILL_GRACE) {
					kill(-j->pid, SIGKILL);
					j->killed = 1;
				}
			}
			continue;
		}
		for (i = 0; i < njobs; i++) {
			struct job *j = &jobs[i];

			if (j->state != RUNNING || j->pid != pid)
				continue;
			j->t1 = now();
			j->status = status;
			j->state = DONE;
			kill(-pid, SIGKILL);	/* what the job left behind */
			take(j, -1);
			report(j, ++done);
			break;
		}
	}
	printf("# ktsc-sched: %d jobs, -j %d, %.0f s\n", njobs, maxj, now() - start);
	return 0;
}
