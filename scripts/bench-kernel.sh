#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench-kernel.sh - guest benchmarks, baseline against patched, on kernels
# without lock debugging (npm run bench:kernel).
#
# The benchmark kernels are the test kernels' config (ktsc.config) with
# scripts/kernel/bench.config merged on top: lockdep, DEBUG_VM, KASAN,
# KUnit and the other debug options off.  They are built by build.sh with
# KTSC_PROFILE=bench, the way the test kernels are: one tree, one O= of
# their own ($KTSC_CACHE/bench/build/kernel), the base commit built first
# and the patched branch after it incrementally, so the bench costs one
# clean build and a few objects.  guest.sh makes their initramfs.
#
# Then both kernels are booted RUNS times each under QEMU/TCG with
# ktsc.bench=REPEAT (guest-init.sh runs only the benchmarks), alternating
# base and patched (ABBA: base patched, patched base, ...) so that drift of
# the host shows on both; each run prints one "ktsc-bench:" line per
# benchmark:
#   fork       rmap_bench fork: fork/COW/exit storm, forks/s
#   pageout    rmap_bench pageout: MADV_PAGEOUT and swap-in of anonymous
#              memory whose anon_vma 16 forked children share, pages/s
#   migrate    rmap_bench migrate: move_pages() between the two nodes of
#              pages 4 children map, pages/s
#   ksm_merge  ksm_tests -P -s 64: KSM merge throughput, MiB/s
# All four are throughputs: higher is better.  The table gives the median
# of each kernel's runs, patched/baseline, and the min-max of the runs.
#
# Under TCG every figure is far below real hardware and noisy (the host's
# load shows directly): compare the two columns, not the figures with
# anything else, and read a ratio inside the spread as no difference.
# When the two bzImages are byte-identical (a series of lockdep
# assertions compiles away without lock debugging) the output says so:
# the run is A/A and shows the noise alone.
#
# Environment:
#   KTSC_BENCH_RUNS=N     boots per kernel (default 3)
#   KTSC_BENCH_REPEAT=N   runs of the benchmarks per boot (default 1)
#   KTSC_BENCH_SECONDS=S  length of each rmap_bench run (default 5)
#   KTSC_BENCH_BUILD=0    skip source/apply/build/guest and use the
#                         benchmark kernels already built
#   KTSC_BOOT_TIMEOUT=S   limit per boot (default 300; a run takes 30-130 s)
# Writes $KTSC_CACHE/bench/logs/bench.tsv (one row per figure) and
# bench.md (the table); the console logs are in bench/logs/<v>/run<N>/.
export KTSC_PROFILE=bench
# shellcheck source-path=SCRIPTDIR source=kernel/lib.sh
. "$(dirname "$0")/kernel/lib.sh"

RUNS=${KTSC_BENCH_RUNS:-3}
REPEAT=${KTSC_BENCH_REPEAT:-1}
SECS=${KTSC_BENCH_SECONDS:-5}
LOGS=$PROFILE_DIR/logs
TSV=$LOGS/bench.tsv
t_all=$SECONDS

if [[ ${KTSC_BENCH_BUILD:-1} == 1 ]]; then
	for step in source apply build guest; do
		t0=$SECONDS
		"$KSCRIPTS/$step.sh" >&2 || die "$step failed"
		log "$step: $((SECONDS - t0)) s"
	done
fi
load_source
for v in "${VARIANTS[@]}"; do
	[[ -f $PROFILE_DIR/build/$v/arch/x86/boot/bzImage && -f $PROFILE_DIR/guest/$v/initramfs.cpio.gz ]] ||
		die "no benchmark kernel or guest for $v; run without KTSC_BENCH_BUILD=0"
done

# No kernel build may run beside the boots (the figures would show it).
build_lock
if pgrep -f '^qemu-system-x86_64 ' >/dev/null; then
	log "warning: another QEMU is running; the figures will show it"
fi
log "load before the boots: $(cut -d' ' -f1-3 /proc/loadavg)"

# boot_run V N: boot V for run N; once more when the guest did not reach
# its end (a TCG guest has hung in early boot here, once in 16 boots),
# keeping the first console log as run<N>.failed.log.
boot_run()
{
	local v=$1 n=$2 try dir=$LOGS/$1/run$2
	for try in 1 2; do
		KTSC_RUN=run$n KTSC_APPEND="ktsc.bench=$REPEAT ktsc.bench_seconds=$SECS" \
			KTSC_BOOT_TIMEOUT=${KTSC_BOOT_TIMEOUT:-300} "$KSCRIPTS/boot.sh" "$v" >&2 || true
		grep -qs '^# ktsc-guest: end$' "$dir/console.log" && return 0
		log "$v run $n: the guest did not finish (boot $try of 2); $dir.failed.log"
		cp "$dir/console.log" "$dir.failed.log" 2>/dev/null || true
		unfinished+=("$v:run$n")
	done
	return 1
}

# collect V N: the figures of boot N of V as TSV rows; 1 when it did not
# run to its end or splatted.
collect()
{
	local v=$1 n=$2 log=$LOGS/$1/run$2/console.log
	sed -n "s/^ktsc-bench: \([0-9]*\) \([a-z_]*\) \([^ ]*\) \(.*\)$/$v\t$n\t\1\t\2\t\3\t\4/p" "$log" >>"$TSV"
	grep -q '^# ktsc-guest: end$' "$log" || return 1
	if grep -qE 'Kernel panic|BUG:|WARNING:|Oops' "$log"; then
		log "$v run $n: splat in $log"
		return 1
	fi
}

# table TSV: the markdown table of the figures in TSV.
table()
{
	python3 - "$1" <<'EOF'
import csv, statistics, sys

rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
names = list(dict.fromkeys(r["benchmark"] for r in rows))


def g(x):
    return f"{x:.4g}" if x < 1000 else f"{x:.0f}"


print("| benchmark | unit | baseline median | patched median | patched/baseline "
      "| baseline min-max | patched min-max | runs base/patched |")
print("|---|---|---:|---:|---:|---:|---:|---|")
for b in names:
    mine = [r for r in rows if r["benchmark"] == b]
    units = [r["unit"] for r in mine if r["value"] != "-"]
    cells = [b, units[0] if units else "-"]
    figs, failed = {}, {}
    for v in ("base", "patched"):
        figs[v] = [float(r["value"]) for r in mine if r["variant"] == v and r["value"] != "-"]
        failed[v] = sum(1 for r in mine if r["variant"] == v and r["value"] == "-")
    med = {v: statistics.median(x) if x else None for v, x in figs.items()}
    cells += [g(med[v]) if med[v] is not None else "-" for v in ("base", "patched")]
    cells.append(f"{med['patched'] / med['base']:.3f}" if med["base"] and med["patched"] else "-")
    cells += [f"{g(min(x))}-{g(max(x))}" if x else "-" for x in figs.values()]
    runs = f"{len(figs['base'])}/{len(figs['patched'])}"
    if any(failed.values()):
        runs += f" ({failed['base']}/{failed['patched']} gave no figure)"
    cells.append(runs)
    print("| " + " | ".join(cells) + " |")
EOF
}

rm -rf "$LOGS"
mkdir -p "$LOGS"
printf 'variant\tboot\trun\tbenchmark\tvalue\tunit\n' >"$TSV"
bad=0
boots=()
unfinished=()
for ((n = 1; n <= RUNS; n++)); do
	order=(base patched)
	((n % 2)) || order=(patched base)
	for v in "${order[@]}"; do
		boot_run "$v" "$n" || bad=1
		collect "$v" "$n" || bad=1
		boots+=("$v:$(sed -n 's/^seconds=//p' "$LOGS/$v/run$n/boot.env" 2>/dev/null || true)")
	done
done

{
	echo "Guest benchmarks, baseline against patched: Linux $BASE_KVER, ktsc.config + bench.config" \
		"(no lockdep, DEBUG_VM, KASAN, KUnit), QEMU TCG, 4 vCPUs, 2 NUMA nodes."
	echo "base $(cut -d' ' -f1 "$PROFILE_DIR/build/base/.ktsc-built"), patched $(cut -d' ' -f1 "$PROFILE_DIR/build/patched/.ktsc-built");" \
		"$RUNS boots per kernel (ABBA order) x $REPEAT runs, rmap_bench ${SECS} s per run; throughputs, higher is better."
	echo "TCG: figures far below hardware and noisy; compare the columns only, a ratio inside the spread is no difference."
	if cmp -s "$PROFILE_DIR/build/base/arch/x86/boot/bzImage" "$PROFILE_DIR/build/patched/arch/x86/boot/bzImage"; then
		echo "The patched bzImage is byte-identical to the base's: the series compiles away in this config," \
			"so this is an A/A run and every difference below is noise."
	fi
	echo
	table "$TSV"
	echo
	echo "boots (wall s): ${boots[*]}; whole bench $((SECONDS - t_all)) s"
	if ((${#unfinished[@]})); then echo "guests that did not finish (booted once more): ${unfinished[*]}"; fi
} | tee "$LOGS/bench.md"
((bad == 0)) || die "a boot failed or splatted (see above); the table has only the figures the runs gave"
