// SPDX-License-Identifier: GPL-2.0
/*
 * rmap_stress - drive the reverse-map paths of mm/rmap.c and mm/ksm.c from
 * userspace and check that no anonymous page is ever lost or corrupted.
 *
 * Each scenario maps a 2 MiB-aligned region, fills every page and then lets
 * a tree of forked processes race on it until a deadline.  Each process
 * picks random operations:
 *
 *   write      rewrite one page with a new generation (COW after fork)
 *   verify     check every page against what this process last wrote
 *   fork       add a child (max depth/width), sharing all pages COW
 *   mprotect   make a range read-only and back (VMA split and merge)
 *   mremap     move a range (or, if it spans VMAs, one page) away and back
 *   ksm        MADV_UNMERGEABLE/MADV_MERGEABLE (break and re-merge)
 *   thp        MADV_HUGEPAGE/MADV_NOHUGEPAGE (THP split via the above)
 *   migrate    move_pages(MPOL_MF_MOVE_ALL) / mbind(MPOL_MF_MOVE) between
 *              NUMA nodes (try_to_migrate + remove_migration_ptes)
 *   pageout    MADV_PAGEOUT to (zram) swap (try_to_unmap), read back
 *
 * Page i with generation g holds 512 64-bit words derived from (i, g), so
 * every word is a checksum: a page lost, swapped with another, stale after
 * COW, or partly written is reported.  Pages in the low half of the region
 * depend only on (i % 8, g) with g in 0..3, so identical pages are common
 * within and across processes and ksmd merges them.  The expected
 * generations live in private memory, which fork copies together with the
 * region, so every process always knows what it should read.
 *
 * Output is KTAP, one test per scenario, and the exit status is non-zero
 * when any scenario failed.
 *
 * Build: gcc -O2 -static -o rmap_stress rmap_stress.c
 * Usage: rmap_stress [-t seconds_per_scenario] [-d max_depth] [-s seed]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
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
#define MPOL_DEFAULT	0
#define MPOL_BIND	2
#define MPOL_MF_MOVE	(1 << 1)
#define MPOL_MF_MOVE_ALL (1 << 2)

#define PAGE		4096UL
#define WORDS		(PAGE / sizeof(uint64_t))
#define NPAGES		1024UL			/* 4 MiB: two THPs */
#define REGION		(NPAGES * PAGE)
#define KSM_PAGES	(NPAGES / 2)		/* low half: mergeable content */
#define MAX_CHILDREN	2
#define MAX_ERR_PRINTS	5

enum op {
	OP_WRITE, OP_VERIFY, OP_FORK, OP_MPROTECT, OP_MREMAP, OP_KSM, OP_THP,
	OP_MIGRATE, OP_PAGEOUT, NR_OPS
};

#define BIT(n)		(1u << (n))
#define OPS_BASIC	(BIT(OP_WRITE) | BIT(OP_VERIFY) | BIT(OP_FORK))

struct scenario {
	const char *name;
	unsigned int ops;
	int needs_numa, needs_swap, needs_ksm;
};

static const struct scenario scenarios[] = {
	{ .name = "cow_fork_tree", .ops = OPS_BASIC },
	{ .name = "vma_split_merge",
	  .ops = OPS_BASIC | BIT(OP_MPROTECT) | BIT(OP_MREMAP) | BIT(OP_THP) },
	{ .name = "ksm_merge", .ops = OPS_BASIC | BIT(OP_KSM), .needs_ksm = 1 },
	{ .name = "numa_migrate", .ops = OPS_BASIC | BIT(OP_MIGRATE) | BIT(OP_THP),
	  .needs_numa = 1 },
	{ .name = "pageout_swap", .ops = OPS_BASIC | BIT(OP_PAGEOUT) | BIT(OP_THP),
	  .needs_swap = 1 },
	{ .name = "all_concurrent", .ops = ~0u },
};

/* Per-process state; fork() copies it along with the region. */
static uint8_t *region;		/* NPAGES pages, 2 MiB aligned */
static uint8_t *scratch;	/* where OP_MREMAP parks a range */
static uint8_t gen[NPAGES];	/* expected generation of each page */
static uint64_t rng;
static int depth, max_depth = 3, nr_nodes = 1, have_swap, have_ksm;
static unsigned int ops;
static unsigned long errors;
static struct timespec deadline;

static uint64_t mix(uint64_t x)	/* splitmix64 finaliser */
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static uint64_t rnd(uint64_t n)
{
	rng = mix(rng);
	return rng % n;
}

static uint64_t page_key(unsigned long i, unsigned int g)
{
	return ((i < KSM_PAGES ? i % 8 : i) << 8 | g) * 0x100000001b3ULL;
}

static void fill(uint8_t *base, unsigned long i, unsigned int g)
{
	uint64_t *w = (uint64_t *)(base + i * PAGE), key = page_key(i, g);
	unsigned long k;

	for (k = 0; k < WORDS; k++)
		w[k] = mix(key + k);
	gen[i] = g;
}

static void report(const char *fmt, ...)
{
	va_list ap;

	if (errors++ >= MAX_ERR_PRINTS)
		return;
	va_start(ap, fmt);
	printf("# pid %d depth %d: ", getpid(), depth);
	vprintf(fmt, ap);
	putchar('\n');
	fflush(stdout);
	va_end(ap);
}

/* check pages [first, last) as seen at base (region or its moved copy) */
static void check(const uint8_t *base, unsigned long first, unsigned long last,
		  const char *when)
{
	unsigned long i, k;

	for (i = first; i < last; i++) {
		const uint64_t *w = (const uint64_t *)(base + i * PAGE);
		uint64_t key = page_key(i, gen[i]);

		for (k = 0; k < WORDS; k++) {
			if (w[k] == mix(key + k))
				continue;
			report("%s: page %lu gen %u word %lu: %#llx != %#llx",
			       when, i, gen[i], k, (unsigned long long)w[k],
			       (unsigned long long)mix(key + k));
			break;
		}
	}
}

static int expired(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > deadline.tv_sec ||
	       (now.tv_sec == deadline.tv_sec && now.tv_nsec >= deadline.tv_nsec);
}

/* random range [*a, *b) of at least one page */
static void range(unsigned long *a, unsigned long *b)
{
	*a = rnd(NPAGES);
	*b = *a + 1 + rnd(NPAGES - *a);
}

static void op_write(void)
{
	unsigned long i = rnd(NPAGES);

	fill(region, i, i < KSM_PAGES ? (unsigned int)rnd(4) : gen[i] + 1u);
}

static void op_mprotect(void)
{
	unsigned long a, b;

	range(&a, &b);
	if (mprotect(region + a * PAGE, (b - a) * PAGE, PROT_READ))
		report("mprotect(RO): %s", strerror(errno));
	check(region, a, b, "read-only");
	if (mprotect(region + a * PAGE, (b - a) * PAGE, PROT_READ | PROT_WRITE))
		report("mprotect(RW): %s", strerror(errno));
}

static void op_mremap(void)
{
	unsigned long a, b, j, len;
	void *p;

	range(&a, &b);
	for (;;) {
		len = (b - a) * PAGE;
		p = mremap(region + a * PAGE, len, len,
			   MREMAP_MAYMOVE | MREMAP_FIXED, scratch + a * PAGE);
		if (p != MAP_FAILED)
			break;
		/* EFAULT: range spans VMAs (split by mprotect/madvise) */
		if (errno != EFAULT || b == a + 1) {
			report("mremap away: %s", strerror(errno));
			return;
		}
		b = a + 1;	/* one page is always within one VMA */
	}
	check(scratch, a, b, "moved");
	if (rnd(2)) {
		j = a + rnd(b - a);
		fill(scratch, j, gen[j] + 1);
	}
	p = mremap(scratch + a * PAGE, len, len, MREMAP_MAYMOVE | MREMAP_FIXED,
		   region + a * PAGE);
	if (p == MAP_FAILED) {
		/* region now has a hole; nothing sensible left to test */
		report("mremap back: %s", strerror(errno));
		_exit(1);
	}
	/* keep the landing zone reserved so no other mapping lands there */
	mmap(scratch + a * PAGE, len, PROT_NONE,
	     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0);
}

static void op_madvise(int advice, const char *name)
{
	unsigned long a, b;

	range(&a, &b);
	if (madvise(region + a * PAGE, (b - a) * PAGE, advice) && errno != EINVAL)
		report("madvise(%s): %s", name, strerror(errno));
}

static void op_ksm(void)
{
	op_madvise(MADV_UNMERGEABLE, "UNMERGEABLE");
	if (madvise(region, REGION, MADV_MERGEABLE))
		report("madvise(MERGEABLE): %s", strerror(errno));
}

static void op_thp(void)
{
	op_madvise(rnd(2) ? MADV_HUGEPAGE : MADV_NOHUGEPAGE, "HUGEPAGE");
}

static void op_migrate(void)
{
	unsigned long a, b, i, n;
	int node = rnd(nr_nodes);

	if (nr_nodes < 2)
		return;
	range(&a, &b);
	if (rnd(2)) {
		/* move_pages() on every page of the range, shared ones too */
		void *pages[NPAGES];
		int nodes[NPAGES], status[NPAGES];

		for (n = 0, i = a; i < b; i++, n++) {
			pages[n] = region + i * PAGE;
			nodes[n] = node;
		}
		if (syscall(SYS_move_pages, 0, n, pages, nodes, status,
			    MPOL_MF_MOVE_ALL) < 0 && errno != ENOMEM)
			report("move_pages: %s", strerror(errno));
	} else {
		/* mbind() moves and splits the VMA; then back to default */
		unsigned long mask = 1UL << node;

		if (syscall(SYS_mbind, region + a * PAGE, (b - a) * PAGE,
			    MPOL_BIND, &mask, 8 * sizeof(mask), MPOL_MF_MOVE) &&
		    errno != EIO)
			report("mbind: %s", strerror(errno));
		if (syscall(SYS_mbind, region + a * PAGE, (b - a) * PAGE,
			    MPOL_DEFAULT, NULL, 0, 0))
			report("mbind(DEFAULT): %s", strerror(errno));
	}
	check(region, a, b, "migrated");
}

static void op_pageout(void)
{
	unsigned long a, b;

	range(&a, &b);
	if (madvise(region + a * PAGE, (b - a) * PAGE, MADV_PAGEOUT))
		report("madvise(PAGEOUT): %s", strerror(errno));
	check(region, a, b, "paged out");
}

static int nr_children;

static void op_fork(void)
{
	pid_t pid;

	if (depth >= max_depth || nr_children >= MAX_CHILDREN)
		return;
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		report("fork: %s", strerror(errno));
		return;
	}
	if (pid == 0) {
		depth++;
		nr_children = 0;
		rng = mix(rng ^ (uint64_t)getpid());
	} else {
		nr_children++;
	}
}

/* run until the deadline; returns non-zero on any error in the subtree */
static int worker(void)
{
	int status, failed = 0;
	pid_t pid;

	while (!expired()) {
		enum op op = rnd(NR_OPS);

		if (!(ops & BIT(op)))
			continue;
		switch (op) {
		case OP_WRITE:		op_write(); break;
		case OP_VERIFY:		check(region, 0, NPAGES, "verify"); break;
		case OP_FORK:		op_fork(); break;
		case OP_MPROTECT:	op_mprotect(); break;
		case OP_MREMAP:		op_mremap(); break;
		case OP_KSM:		op_ksm(); break;
		case OP_THP:		op_thp(); break;
		case OP_MIGRATE:	op_migrate(); break;
		case OP_PAGEOUT:	op_pageout(); break;
		case NR_OPS:		break;
		}
	}
	check(region, 0, NPAGES, "final");
	while ((pid = wait(&status)) > 0) {
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
			continue;
		failed = 1;
		if (WIFSIGNALED(status))
			report("child %d killed by signal %d", pid, WTERMSIG(status));
	}
	return failed || errors;
}

static long sysfs_read(const char *path)
{
	FILE *f = fopen(path, "r");
	long v = -1;

	if (f) {
		if (fscanf(f, "%ld", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

static void probe_env(void)
{
	char buf[256];
	FILE *f;
	int n;

	/* "0-1" or "0" */
	f = fopen("/sys/devices/system/node/online", "r");
	if (f && fgets(buf, sizeof(buf), f)) {
		char *dash = strchr(buf, '-');

		nr_nodes = dash ? atoi(dash + 1) + 1 : 1;
	}
	if (f)
		fclose(f);

	/* any active swap device? (header line + one line per device) */
	f = fopen("/proc/swaps", "r");
	for (n = 0; f && fgets(buf, sizeof(buf), f); n++)
		;
	if (f)
		fclose(f);
	have_swap = n > 1;

	/* ksmd itself is started (run=1, sleep_millisecs=0) by the caller */
	have_ksm = sysfs_read("/sys/kernel/mm/ksm/run") >= 0;
}

/* one scenario: fresh region, tree of workers, report a KTAP line */
static int run(int nr, const struct scenario *sc, int seconds, uint64_t seed)
{
	long ksm_max = 0, v;
	int status, failed;
	unsigned long i;
	uint8_t *p;
	pid_t pid;

	if ((sc->needs_numa && nr_nodes < 2) || (sc->needs_swap && !have_swap) ||
	    (sc->needs_ksm && !have_ksm)) {
		printf("ok %d %s # SKIP needs %s\n", nr, sc->name,
		       sc->needs_numa ? "2 NUMA nodes" : sc->needs_swap ? "swap" : "KSM");
		return 0;
	}

	/* 2 MiB-align region so THPs can form; scratch follows it */
	p = mmap(NULL, 3 * REGION + (2UL << 20), PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		printf("not ok %d %s # mmap: %s\n", nr, sc->name, strerror(errno));
		return 1;
	}
	region = (uint8_t *)(((uintptr_t)p + (2UL << 20) - 1) & ~((2UL << 20) - 1));
	scratch = region + REGION + (2UL << 20);
	mprotect(scratch, REGION, PROT_NONE);	/* mremap's landing zone */
	ops = sc->ops;
	if (!have_swap)
		ops &= ~BIT(OP_PAGEOUT);
	if (!have_ksm)
		ops &= ~BIT(OP_KSM);
	if (ops & BIT(OP_KSM))
		madvise(region, REGION, MADV_MERGEABLE);
	rng = mix(seed + nr);
	for (i = 0; i < NPAGES; i++)
		fill(region, i, i < KSM_PAGES ? rnd(4) : 0);

	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += seconds;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		errors = 0;
		_exit(worker() ? 1 : 0);
	}
	/* sample KSM sharing while the tree runs, to show merging happened */
	while (waitpid(pid, &status, WNOHANG) == 0) {
		v = sysfs_read("/sys/kernel/mm/ksm/pages_sharing");
		if (v > ksm_max)
			ksm_max = v;
		usleep(200 * 1000);
	}
	munmap(p, 3 * REGION + (2UL << 20));
	if (sc->ops & BIT(OP_KSM) && have_ksm)
		printf("# %s: ksm pages_sharing max %ld\n", sc->name, ksm_max);
	failed = pid < 0 || !WIFEXITED(status) || WEXITSTATUS(status);
	printf("%sok %d %s\n", failed ? "not " : "", nr, sc->name);
	fflush(stdout);
	return failed;
}

int main(int argc, char **argv)
{
	int seconds = 10, opt, nr, failed = 0, n = sizeof(scenarios) / sizeof(scenarios[0]);
	uint64_t seed = (uint64_t)time(NULL);

	while ((opt = getopt(argc, argv, "t:d:s:")) != -1) {
		switch (opt) {
		case 't': seconds = atoi(optarg); break;
		case 'd': max_depth = atoi(optarg); break;
		case 's': seed = strtoull(optarg, NULL, 0); break;
		default:
			fprintf(stderr, "usage: %s [-t seconds] [-d depth] [-s seed]\n", argv[0]);
			return 2;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	probe_env();
	/* the header of a KUnit-style subtest, so it nests in /init's KTAP */
	printf("KTAP version 1\n# Subtest: rmap_stress\n1..%d\n", n);
	printf("# rmap_stress: seed %llu, %d s/scenario, depth %d, nodes %d, swap %s, ksm %s\n",
	       (unsigned long long)seed, seconds, max_depth, nr_nodes,
	       have_swap ? "yes" : "no", have_ksm ? "yes" : "no");
	for (nr = 1; nr <= n; nr++)
		failed += run(nr, &scenarios[nr - 1], seconds, seed);
	printf("# Totals: pass:%d fail:%d\n", n - failed, failed);
	return failed ? 1 : 0;
}
