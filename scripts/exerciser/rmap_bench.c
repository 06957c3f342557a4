// SPDX-License-Identifier: GPL-2.0
/*
 * rmap_bench - throughput of the paths that take the anon_vma locks, for
 * comparing a baseline kernel with a patched one in the same guest.
 *
 *   fork      fork/COW/exit storm: a process with a faulted-in region
 *             forks children that write to part of it and exit
 *             (anon_vma_fork, anon_vma_clone, unlink_anon_vmas, COW
 *             faults).  Unit: forks/s.
 *   pageout   MADV_PAGEOUT of private anonymous memory whose anon_vma
 *             is shared with WALKERS forked children, then read back
 *             from (zram) swap: every page out is an rmap walk
 *             (try_to_unmap) over the parent's and every child's VMA.
 *             The children drop their own PTEs (MADV_DONTNEED) and keep
 *             their VMAs: MADV_PAGEOUT leaves a page mapped by more than
 *             one process alone ("Do not interfere with other mappings
 *             of this folio", madvise_cold_or_pageout_pte_range()), so
 *             pages the children still mapped would never be paged out.
 *             Unit: pages/s (counted with mincore()).  Skipped (exit 4)
 *             when nothing is paged out (no swap).
 *   migrate   move_pages() of a region back and forth between NUMA nodes
 *             0 and 1, while children keep it mapped (try_to_migrate,
 *             remove_migration_ptes).  Unit: pages/s.  Skipped (exit 4)
 *             with fewer than two nodes.
 *
 * Each mode runs for -t seconds and prints one line:
 *   rmap_bench: MODE VALUE UNIT
 * so that a runner can repeat it and compare kernels.  KSM merge
 * throughput is measured by the tree's own ksm_tests -P.
 *
 * Build: gcc -O2 -static -o rmap_bench rmap_bench.c
 * Usage: rmap_bench fork|pageout|migrate [-t seconds]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif
#define MPOL_MF_MOVE_ALL (1 << 2)

#define PAGE		4096UL
#define NPAGES		2048UL			/* 8 MiB */
#define REGION		(NPAGES * PAGE)
#define SHARERS		4			/* children that keep the pages mapped */
#define WALKERS		16			/* children that keep only the VMA */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
	fprintf(stderr, "rmap_bench: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* A private anonymous region with every page faulted in. */
static char *region(void)
{
	char *p = mmap(NULL, REGION, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned long i;

	if (p == MAP_FAILED)
		die("mmap");
	/* No THP: keep the walks per page, as the anon_vma paths see them. */
	madvise(p, REGION, MADV_NOHUGEPAGE);
	for (i = 0; i < NPAGES; i++)
		p[i * PAGE] = (char)i;
	return p;
}

/*
 * n children forked with the region, alive until killed; returns once
 * each has done its part.  With zap they drop their PTEs (MADV_DONTNEED)
 * and map none of its pages, but their VMAs stay in the region's
 * anon_vma tree; without, they read it and share every page (COW) with
 * the parent.
 */
static void fork_children(char *p, pid_t *pids, int n, int zap)
{
	int i, ready[2];
	char c;

	if (pipe(ready))
		die("pipe");
	for (i = 0; i < n; i++) {
		pids[i] = fork();
		if (pids[i] < 0)
			die("fork");
		if (pids[i] == 0) {
			if (zap) {
				if (madvise(p, REGION, MADV_DONTNEED))
					_exit(1);
			} else {
				/* Read-only: the pages stay shared with the parent. */
				volatile char r = p[0];

				(void)r;
			}
			if (write(ready[1], "", 1) != 1)
				_exit(1);
			for (;;)
				pause();
		}
	}
	for (i = 0; i < n; i++)
		if (read(ready[0], &c, 1) != 1)
			die("read");
	close(ready[0]);
	close(ready[1]);
}

static void reap(pid_t *pids, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		kill(pids[i], SIGKILL);
		waitpid(pids[i], NULL, 0);
	}
}

static double bench_fork(double secs)
{
	char *p = region();
	double t0 = now(), t;
	unsigned long n = 0;

	do {
		pid_t pid = fork();

		if (pid < 0)
			die("fork");
		if (pid == 0) {
			unsigned long i;

			/* COW an eighth of the pages, then exit. */
			for (i = 0; i < NPAGES; i += 8)
				p[i * PAGE]++;
			_exit(0);
		}
		if (waitpid(pid, NULL, 0) != pid)
			die("waitpid");
		n++;
		t = now() - t0;
	} while (t < secs);
	return n / t;
}

/* Pages of the region that are no longer resident (paged out). */
static unsigned long paged_out(char *p)
{
	static unsigned char vec[NPAGES];
	unsigned long i, n = 0;

	if (mincore(p, REGION, vec))
		die("mincore");
	for (i = 0; i < NPAGES; i++)
		n += !(vec[i] & 1);
	return n;
}

static double bench_pageout(double secs)
{
	char *p = region();
	pid_t pids[WALKERS];
	double t0, t;
	unsigned long n = 0, i;
	volatile char sum = 0;

	fork_children(p, pids, WALKERS, 1);
	t0 = now();
	do {
		if (madvise(p, REGION, MADV_PAGEOUT))
			die("madvise(MADV_PAGEOUT)");
		n += paged_out(p);
		if (!n) {
			reap(pids, WALKERS);
			printf("rmap_bench: pageout skipped (nothing paged out: no swap?)\n");
			exit(4);
		}
		for (i = 0; i < NPAGES; i++)
			sum += p[i * PAGE];
		t = now() - t0;
	} while (t < secs);
	reap(pids, WALKERS);
	return n / t;
}

static double bench_migrate(double secs)
{
	char *p = region();
	pid_t pids[SHARERS];
	void *pages[NPAGES];
	int nodes[NPAGES], status[NPAGES];
	unsigned long n = 0, i;
	double t0, t;
	int to = 1;

	for (i = 0; i < NPAGES; i++)
		pages[i] = p + i * PAGE;
	fork_children(p, pids, SHARERS, 0);
	t0 = now();
	do {
		for (i = 0; i < NPAGES; i++)
			nodes[i] = to;
		if (syscall(SYS_move_pages, 0, NPAGES, pages, nodes, status, MPOL_MF_MOVE_ALL) < 0) {
			int e = errno;

			reap(pids, SHARERS);
			errno = e;
			if (errno == ENODEV || errno == EINVAL) {
				printf("rmap_bench: migrate skipped (needs NUMA nodes 0 and 1)\n");
				exit(4);
			}
			die("move_pages");
		}
		for (i = 0; i < NPAGES; i++)
			n += status[i] == to;
		to = !to;
		t = now() - t0;
	} while (t < secs);
	reap(pids, SHARERS);
	return n / t;
}

int main(int argc, char **argv)
{
	double secs = 5, v;
	const char *mode, *unit;
	int opt;

	while ((opt = getopt(argc, argv, "t:")) != -1) {
		if (opt != 't')
			goto usage;
		secs = atof(optarg);
	}
	if (optind != argc - 1)
		goto usage;
	mode = argv[optind];
	if (!strcmp(mode, "fork")) {
		v = bench_fork(secs);
		unit = "forks/s";
	} else if (!strcmp(mode, "pageout")) {
		v = bench_pageout(secs);
		unit = "pages/s";
	} else if (!strcmp(mode, "migrate")) {
		v = bench_migrate(secs);
		unit = "pages/s";
	} else {
		goto usage;
	}
	printf("rmap_bench: %s %.1f %s\n", mode, v, unit);
	return 0;
usage:
	fprintf(stderr, "usage: rmap_bench fork|pageout|migrate [-t seconds]\n");
	return 2;
}
