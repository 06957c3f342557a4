#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of the ktsc test guest (busybox ash), packed by guest.sh.
#
# Sets up the mm environment (zram swap, hugetlb pages, debugfs), runs the
# mm selftests and rmap_stress, each under a timeout, and reports one KTAP
# document on the console:
#   - selftest output is kept as "# " diagnostic lines (its own TAP is not
#     always well formed), the exit code gives ok / not ok / SKIP;
#   - rmap_stress prints KTAP and is nested as a subtest.
# Then powers off; the kernel's KUnit KTAP came earlier, during boot.
#
# Kernel command line knobs: ktsc.stress=SECONDS (per rmap_stress scenario),
# ktsc.only=NAME[,NAME...] (run just those tests: debugging, and report.sh's
# re-runs of tests whose result differs between baseline and patched),
# ktsc.repeat=N (run the selected tests N times, each run its own KTAP line),
# ktsc.bench=N (run only the benchmarks, N times: see bench below),
# ktsc.bench_seconds=S (per rmap_bench run, default 5).

PATH=/bin:/sbin
export PATH
/bin/busybox --install -s /bin

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t debugfs debugfs /sys/kernel/debug
mount -t tmpfs tmpfs /tmp
mkdir -p /dev/hugepages && mount -t hugetlbfs hugetlbfs /dev/hugepages
# POSIX shared memory (shm_open: selftests/mm/rmap)
mkdir -p /dev/shm && mount -t tmpfs tmpfs /dev/shm

stress=10
only=
repeat=1
bench=0
bench_seconds=5
# shellcheck disable=SC2013 # the command line is one line of words
for arg in $(cat /proc/cmdline); do
	case $arg in
	ktsc.stress=*) stress=${arg#*=} ;;
	ktsc.only=*) only=${arg#*=} ;;
	ktsc.repeat=*) repeat=${arg#*=} ;;
	ktsc.bench=*) bench=${arg#*=} ;;
	ktsc.bench_seconds=*) bench_seconds=${arg#*=} ;;
	esac
done

# Swap on zram: where MADV_PAGEOUT and reclaim put anonymous pages.
if [ -e /sys/block/zram0 ]; then
	echo lz4 >/sys/block/zram0/comp_algorithm
	echo 512M >/sys/block/zram0/disksize
	mkswap /dev/zram0 >/dev/null && swapon /dev/zram0
fi
# A few hugetlb pages so cow and friends also cover hugetlb.
echo 32 >/proc/sys/vm/nr_hugepages

# The tests: "name timeout_seconds command args...", run in /bin.  Sizes
# are cut down from run_vmtests.sh where TCG makes them slow (ksm_tests -s,
# uffd-unit-tests only its UFFDIO_MOVE cases, which move anon rmap).
TESTS='
guest_env 10 -
ksm_tests.thp_merge 300 ksm_tests -H -s 32
ksm_tests.prot_none 300 ksm_tests -P -s 32
ksm_tests.merge 300 ksm_tests -M -p 10
ksm_tests.unmerge 300 ksm_tests -U
ksm_tests.zero_pages 300 ksm_tests -Z -p 10 -z 0
ksm_tests.zero_pages_use 300 ksm_tests -Z -p 10 -z 1
ksm_tests.numa_merge 300 ksm_tests -N -m 1 -d
ksm_tests.numa_no_merge 300 ksm_tests -N -m 0
ksm_functional_tests 300 ksm_functional_tests
migration 300 migration
cow 600 cow
mremap_test 300 mremap_test
split_huge_page_test 600 split_huge_page_test
khugepaged 600 khugepaged
khugepaged.swap 600 khugepaged -s 2
transhuge-stress 120 transhuge-stress -d 10
compaction_test 300 compaction_test
madv_populate 300 madv_populate
mlock2-tests 300 mlock2-tests
mkdirty 300 mkdirty
uffd-unit-tests.move 300 uffd-unit-tests -f move
rmap 600 rmap
rmap_stress 900 rmap_stress
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
		sel="$sel
$(echo "$TESTS" | grep "^$t ")"
	done
	TESTS=$sel
fi
if [ "$repeat" -gt 1 ]; then
	all=$TESTS
	i=1
	while [ "$i" -lt "$repeat" ]; do TESTS="$TESTS
$all"; i=$((i + 1)); done
fi
# ksm_functional_tests execs ./ksm_functional_tests
cd /bin || exit 1
total=$(echo "$TESTS" | grep -c .)
echo "# ktsc-guest: begin"
echo "KTAP version 1"
echo "1..$total"
n=0
echo "$TESTS" | while read -r name secs cmd args; do
	[ -n "$name" ] || continue
	n=$((n + 1))
	t0=$(date +%s)
	# ksm_tests waits a fixed number of scans for pages to merge; KSM's
	# smart scan (6.7+) skips pages that did not merge in earlier scans,
	# so a page madvised early can be skipped in exactly those scans.
	case $name in
	ksm_tests.*) echo 0 >/sys/kernel/mm/ksm/smart_scan ;;
	*) echo 1 >/sys/kernel/mm/ksm/smart_scan ;;
	esac
	case $name in
	guest_env)
		{ env_check; echo $? >/tmp/rc; } 2>&1 | sed 's/^/# /' ;;
	rmap_stress)
		ksmd fast
		{ timeout "$secs" rmap_stress -t "$stress" </dev/null 2>&1; echo $? >/tmp/rc; } |
			sed 's/^/    /'
		ksmd stop ;;
	*)
		echo "# $name: $cmd $args"
		# shellcheck disable=SC2086 # $args is a word list by design
		{ timeout "$secs" $cmd $args </dev/null 2>&1; echo $? >/tmp/rc; } |
			sed 's/^/# /' ;;
	esac
	rc=$(cat /tmp/rc)
	dt=$(($(date +%s) - t0))
	echo "# $name: exit $rc, ${dt}s"
	if [ "$dt" -ge "$secs" ]; then
		echo "not ok $n $name # TIMEOUT after ${secs}s"
	elif [ "$rc" = 0 ]; then
		echo "ok $n $name"
	elif [ "$rc" = 4 ]; then
		echo "ok $n $name # SKIP"	# kselftest KSFT_SKIP
	else
		echo "not ok $n $name # exit status $rc"
	fi
done
echo "# ktsc-guest: end"
sync
poweroff -f
