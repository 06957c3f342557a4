#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of the ktsc test guest (busybox ash), packed by guest.sh.
#
# Sets up the mm environment (zram swap, hugetlb pages, debugfs), runs the
# mm selftests and rmap_stress through guest-sched (guest-sched.c), which
# runs them concurrently where they cannot interfere, each under a timeout,
# and reports one KTAP document on the console:
#   - selftest output is kept as "# " diagnostic lines (its own TAP is not
#     always well formed), the exit code gives ok / not ok / SKIP;
#   - rmap_stress prints KTAP and is nested as a subtest.
# Then powers off; the kernel's KUnit KTAP came earlier, during boot.
# guest-sched runs each test as "sh /init job NAME" (see job below).
#
# Kernel command line knobs: ktsc.stress=SECONDS (per rmap_stress scenario),
# ktsc.only=NAME[,NAME...] (run just those tests: debugging, bench:loop, and
# report.sh's re-runs of tests whose result differs between baseline and
# patched; a NAME with no test of its own selects NAME.*: "migration" is
# every migration.* case),
# ktsc.repeat=N (run the selected tests N times, each run its own KTAP line;
# the copies run concurrently where their locks allow),
# ktsc.jobs=N (at most N tests at once, default 4; 1 runs them serially),
# ktsc.timeout=S (no test's timeout longer than S: report.sh's re-runs),
# ktsc.bench=N (run only the benchmarks, N times: see bench below),
# ktsc.bench_seconds=S (per rmap_bench run, default 5).

PATH=/bin:/sbin
export PATH

stress=10
only=
repeat=1
jobs=4
cap=0
bench=0
bench_seconds=5
# cmdline: the knobs from the kernel command line (/proc mounted)
cmdline()
{
	# shellcheck disable=SC2013 # the command line is one line of words
	for arg in $(cat /proc/cmdline); do
		case $arg in
		ktsc.stress=*) stress=${arg#*=} ;;
		ktsc.only=*) only=${arg#*=} ;;
		ktsc.repeat=*) repeat=${arg#*=} ;;
		ktsc.jobs=*) jobs=${arg#*=} ;;
		ktsc.timeout=*) cap=${arg#*=} ;;
		ktsc.bench=*) bench=${arg#*=} ;;
		ktsc.bench_seconds=*) bench_seconds=${arg#*=} ;;
		esac
	done
}

# The tests: "name timeout_seconds locks command args...", run in /bin.
# Sizes are cut down from run_vmtests.sh where TCG makes them slow
# (ksm_tests -s, uffd-unit-tests only its UFFDIO_MOVE cases, which move
# anon rmap); migration's six cases (20 s of migrating each, by the clock)
# are six tests, so that they run side by side and a re-run repeats only
# the case that differed.
#
# locks (guest-sched.c): what a test must not share with another test
# running at the same time, "R" exclusively, "R:r" shared:
#   ksm      KSM's sysfs knobs (run, sleep_millisecs, pages_to_scan,
#            merge_across_nodes, use_zero_pages, smart_scan), which every
#            KSM test sets for itself
#   thp      THP's sysfs knobs: khugepaged and cow rewrite them (THP off,
#            mTHP sizes on, khugepaged's max_ptes_*); a test that needs a
#            THP to form, or checks that one did, reads them, and so do
#            the ksm_tests: they count merged pages in KSM's global
#            counters, which small anon mTHPs (khugepaged turns one size
#            to "always") throw off (ksm_tests -Z -z 0 failed 2 of 3 runs
#            beside khugepaged -s 2, and passed alone)
#   hugetlb  the hugetlb pool: uffd-unit-tests resizes it, cow and
#            migration take pages from it
#   all      compaction_test fills memory and grows the hugetlb pool: alone
# The order below is the order tests start in (guest-sched never lets a
# later test overtake an earlier one waiting for the same lock): compaction
# alone while memory is fresh; then the two long chains side by side, thp
# (its readers together, the ksm_tests among them, then the writers
# khugepaged, khugepaged.swap and cow one by one) and ksm (ksm_tests,
# then ksm_functional_tests, rmap, rmap_stress beside the thp writers);
# the tests holding no lock fill the free slots.
# rmap_stress's THP operations only change how its pages are mapped, so it
# does not wait for thp.
TESTS='
guest_env 10 - -
compaction_test 300 all compaction_test
ksm_tests.thp_merge 300 ksm,thp:r ksm_tests -H -s 32
split_huge_page_test 600 thp:r split_huge_page_test
migration.private_anon_thp 300 thp:r migration -t private_anon_thp
migration.shared_anon_thp 300 thp:r migration -t shared_anon_thp
transhuge-stress 300 thp:r transhuge-stress -d 10
mkdirty 300 thp:r mkdirty
uffd-unit-tests.move 300 thp:r,hugetlb uffd-unit-tests -f move
ksm_tests.prot_none 300 ksm,thp:r ksm_tests -P -s 32
ksm_tests.merge 300 ksm,thp:r ksm_tests -M -p 10
ksm_tests.unmerge 300 ksm,thp:r ksm_tests -U
ksm_tests.zero_pages 300 ksm,thp:r ksm_tests -Z -p 10 -z 0
ksm_tests.zero_pages_use 300 ksm,thp:r ksm_tests -Z -p 10 -z 1
ksm_tests.numa_merge 300 ksm,thp:r ksm_tests -N -m 1 -d
ksm_tests.numa_no_merge 300 ksm,thp:r ksm_tests -N -m 0
khugepaged 600 thp khugepaged
ksm_functional_tests 300 ksm ksm_functional_tests
khugepaged.swap 600 thp khugepaged -s 2
cow 600 thp,hugetlb:r cow
rmap 600 ksm rmap
rmap_stress 900 ksm rmap_stress
migration.private_anon 300 - migration -t private_anon
migration.shared_anon 300 - migration -t shared_anon
migration.private_anon_htlb 300 hugetlb:r migration -t private_anon_htlb
migration.shared_anon_htlb 300 hugetlb:r migration -t shared_anon_htlb
mremap_test 300 - mremap_test
madv_populate 300 - madv_populate
mlock2-tests 300 - mlock2-tests
'

# env_check: the guest must look like what the tests need, or their
# skips would hide missing coverage.
env_check()
{
	nodes=$(cat /sys/devices/system/node/online)
	cpus=$(grep -c ^processor /proc/cpuinfo)
	swap=$(grep -c zram /proc/swaps)
	echo "nodes $nodes, cpus $cpus, zram swap $swap, $(uname -r)"
	[ "$nodes" = 0-1 ] && [ "$cpus" -ge 4 ] && [ "$swap" -ge 1 ] &&
		[ -d /sys/kernel/mm/ksm ] && [ -e /sys/kernel/debug/split_huge_pages ]
}

# ksmd scanning flat out while rmap_stress runs; "2" unmerges afterwards.
ksmd()
{
	k=/sys/kernel/mm/ksm
	case $1 in
	fast) echo 0 >$k/sleep_millisecs; echo 10000 >$k/pages_to_scan; echo 1 >$k/run ;;
	stop) echo 2 >$k/run; echo 0 >$k/run ;;
	esac
}

# sh /init job NAME: one test, as guest-sched runs it: its setup, its
# command (printed first, except for rmap_stress, whose output is KTAP),
# its exit status.
if [ "${1:-}" = job ]; then
	cmdline
	cd /bin || exit 1
	# shellcheck disable=SC2046 # the table's line is a word list
	set -- $(echo "$TESTS" | grep "^$2 ")
	name=$1
	shift 3
	# ksm_tests waits a fixed number of scans for pages to merge; KSM's
	# smart scan (6.7+) skips pages that did not merge in earlier scans,
	# so a page madvised early can be skipped in exactly those scans.
	case $name in
	ksm_tests.*) echo 0 >/sys/kernel/mm/ksm/smart_scan ;;
	ksm_functional_tests | rmap | rmap_stress) echo 1 >/sys/kernel/mm/ksm/smart_scan ;;
	esac
	case $name in
	guest_env) env_check ;;
	rmap_stress)
		ksmd fast
		rmap_stress -t "$stress"
		rc=$?
		ksmd stop
		exit $rc ;;
	*)
		echo "$name: $*"
		exec "$@" ;;
	esac
	exit
fi

/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t debugfs debugfs /sys/kernel/debug
mount -t tmpfs tmpfs /tmp
mkdir -p /dev/hugepages && mount -t hugetlbfs hugetlbfs /dev/hugepages
# POSIX shared memory (shm_open: selftests/mm/rmap)
mkdir -p /dev/shm && mount -t tmpfs tmpfs /dev/shm
cmdline

# Swap on zram: where MADV_PAGEOUT and reclaim put anonymous pages.
if [ -e /sys/block/zram0 ]; then
	echo lz4 >/sys/block/zram0/comp_algorithm
	echo 512M >/sys/block/zram0/disksize
	mkswap /dev/zram0 >/dev/null && swapon /dev/zram0
fi
# A few hugetlb pages so cow and friends also cover hugetlb.
echo 32 >/proc/sys/vm/nr_hugepages

# bench NAME CMD...: one benchmark run (run number $r); its output as
# "# " lines, then its figure as one machine-readable line
#   ktsc-bench: RUN NAME VALUE UNIT
# or "ktsc-bench: RUN NAME - exit RC" when it gave none (rmap_bench exits
# 4 when the guest lacks swap or a second node).
bench()
{
	name=$1
	shift
	out=$(timeout 300 "$@" </dev/null 2>&1)
	rc=$?
	echo "$out" | sed 's/^/# /'
	case $name in
	ksm_merge) fig=$(echo "$out" | sed -n 's|^# Average speed: *\([0-9.]*\) MiB/s$|\1 MiB/s|p') ;;
	*) fig=$(echo "$out" | sed -n "s|^rmap_bench: $name \([0-9.]* [^ ]*\)$|\1|p") ;;
	esac
	if [ "$rc" = 0 ] && [ -n "$fig" ]; then
		echo "ktsc-bench: $r $name $fig"
	else
		echo "ktsc-bench: $r $name - exit $rc"
	fi
}

# ktsc.bench=N: the benchmarks alone, N runs, for scripts/bench-kernel.sh
# (baseline against patched on kernels without lock debugging): the
# fork/COW/exit storm, MADV_PAGEOUT under a shared anon_vma, move_pages
# between the nodes (rmap_bench), KSM merge throughput (ksm_tests -P).
if [ "$bench" -gt 0 ]; then
	cd /bin || exit 1
	echo "# ktsc-guest: begin"
	echo "# ktsc-bench: $bench runs, ${bench_seconds}s per rmap_bench run, $(uname -r)"
	env_check 2>&1 | sed 's/^/# /'
	# as for the ksm_tests selftests below: ksm_tests waits a fixed
	# number of full scans
	echo 0 >/sys/kernel/mm/ksm/smart_scan
	r=1
	while [ "$r" -le "$bench" ]; do
		bench fork rmap_bench -t "$bench_seconds" fork
		bench pageout rmap_bench -t "$bench_seconds" pageout
		bench migrate rmap_bench -t "$bench_seconds" migrate
		bench ksm_merge ksm_tests -P -s 64
		r=$((r + 1))
	done
	echo "# ktsc-guest: end"
	sync
	poweroff -f
fi

if [ -n "$only" ]; then
	sel=
	for t in $(echo "$only" | tr , ' '); do
		m=$(echo "$TESTS" | grep "^$t ")
		[ -n "$m" ] || m=$(echo "$TESTS" | grep "^$t\.")
		sel="$sel
$m"
	done
	TESTS=$sel
fi
# guest-sched's job file: "name timeout nice output locks command...", each
# test repeat times (the copies one after the other in the file).  The
# tests that run by the clock (migration's cases, 20 s each; rmap_stress
# -t) run at nice 19, beside the tests that wait for ksmd (nice 5) or
# khugepaged (nice 19) to get through a number of scans: those would
# otherwise time out.  (transhuge-stress -d finishes its pass over memory
# first: not by the clock alone.)
echo "$TESTS" | while read -r name secs locks _; do
	[ -n "$name" ] || continue
	case $name in
	migration.* | rmap_stress) nice=19 ;;
	*) nice=0 ;;
	esac
	out=diag
	[ "$name" = rmap_stress ] && out=ktap
	[ "$cap" -gt 0 ] && [ "$secs" -gt "$cap" ] && secs=$cap
	i=0
	while [ "$i" -lt "$repeat" ]; do
		echo "$name $secs $nice $out $locks sh /init job $name"
		i=$((i + 1))
	done
done >/tmp/jobs
cd /bin || exit 1
echo "# ktsc-guest: begin"
guest-sched -j "$jobs" /tmp/jobs
echo "# ktsc-guest: end"
sync
poweroff -f
