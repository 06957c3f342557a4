#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench-harness.sh - kernel harness timings and object sizes
# (npm run bench:harness; the guest benchmarks are bench-kernel.sh):
#   clean build   base tree, fresh O=build/bench, ccache disabled, -j$(nproc)
#   rebuild       the same, after touching mm/rmap.c
#   boot          last boot of each variant (logs/<v>/boot.env and the
#                 printk time when /init started)
#   per test      seconds each guest test took and when it started, the
#                 longest first; the guest suite's wall time
#   size          `size` of mm/rmap.o and mm/ksm.o, base vs patched
# KTSC_BENCH_BUILD=0 skips the two builds (they take minutes).
# shellcheck source-path=SCRIPTDIR source=kernel/lib.sh
. "$(dirname "$0")/kernel/lib.sh"
load_source

O=$KTSC_CACHE/build/bench
JOBS=${KTSC_JOBS:-$(nproc)}

# timed CMD...: run CMD quietly, print its wall time in seconds
timed()
{
	local t0=$SECONDS
	"$@" >"$O.log" 2>&1 || { tail -20 "$O.log" >&2; die "failed: $*"; }
	echo $((SECONDS - t0))
}

if [[ ${KTSC_BENCH_BUILD:-1} == 1 ]]; then
	[[ -f $KTSC_CACHE/build/base/.config ]] || die "run scripts/kernel/build.sh base first"
	# same lock as build.sh: never two kernel builds at once
	exec 9>"$KTSC_CACHE/build/.lock"
	flock -n 9 || { log "another build is running; waiting"; flock 9; }
	rm -rf "$O"
	mkdir -p "$O"
	cp "$KTSC_CACHE/build/base/.config" "$O/.config"
	mk=(make -C "$BASE_TREE" O="$O" ARCH=x86_64 -s -j"$JOBS")
	export CCACHE_DISABLE=1
	"${mk[@]}" olddefconfig >/dev/null
	printf '%-28s %s s\n' "clean build (-j$JOBS)" "$(timed "${mk[@]}" bzImage)"
	touch "$BASE_TREE/mm/rmap.c"
	printf '%-28s %s s\n' "rebuild after touch rmap.c" "$(timed "${mk[@]}" bzImage)"
fi

# The last build.sh run of each variant: the base is a clean build the
# first time, the patched one recompiles only what the series touches.
for v in "${VARIANTS[@]}"; do
	f=$KTSC_CACHE/build/$v/build.env
	[[ -f $f ]] || continue
	printf '%-28s %s s, %s objects compiled\n' "build.sh $v" "$(sed -n 's/^seconds=//p' "$f")" "$(sed -n 's/^objects=//p' "$f")"
done

for v in "${VARIANTS[@]}"; do
	d=$KTSC_CACHE/logs/$v
	[[ -f $d/boot.env ]] || continue
	secs=$(sed -n 's/^seconds=//p' "$d/boot.env")
	init=$(grep -m1 'Run /init as init process' "$d/console.log" | sed 's/^\[ *\([0-9.]*\)\].*/\1/')
	printf '%-28s %s s to /init, %s s whole guest run\n' "boot $v (TCG)" "${init:-?}" "$secs"
done

# Per test of the last full boots: seconds it took and when it started,
# from guest-sched's "# NAME: exit RC, Ts (started at +Ss)" lines (a
# re-run's copies are in logs/<v>/rerun/), the longest first; then the
# guest suite's wall time.
times()
{
	sed -n 's/^# \([^ ]*\): exit \([0-9]*\), \([0-9]*\)s (started at +\([0-9]*\)s)$/\1 \2 \3 \4/p' "$1"
}
have=()
for v in "${VARIANTS[@]}"; do
	[[ -f $KTSC_CACHE/logs/$v/console.log ]] && have+=("$v")
done
if ((${#have[@]})); then
	echo "per test (seconds, +start; exit status when not 0):"
	for v in "${have[@]}"; do times "$KTSC_CACHE/logs/$v/console.log" | sed "s/^/$v /"; done |
		awk -v vs="${have[*]}" '
		BEGIN { nv = split(vs, V, " ") }
		!($2 in seen) { seen[$2] = 1; order[++n] = $2 }
		{ cell[$1, $2] = sprintf("%4d +%-4d%s", $4, $5, $3 ? " rc" $3 : ""); if ($4 > max[$2]) max[$2] = $4 }
		END {
			printf "  %-30s", "test"; for (i = 1; i <= nv; i++) printf " %-16s", V[i]; printf "\n"
			# longest first (insertion sort: a few dozen rows)
			for (i = 2; i <= n; i++) for (j = i; j > 1 && max[order[j]] > max[order[j - 1]]; j--) { t = order[j]; order[j] = order[j - 1]; order[j - 1] = t }
			for (i = 1; i <= n; i++) {
				printf "  %-30s", order[i]
				for (k = 1; k <= nv; k++) printf " %-16s", ((V[k], order[i]) in cell) ? cell[V[k], order[i]] : "-"
				printf "\n"
			}
		}'
	for v in "${have[@]}"; do
		printf '  %-30s %s\n' "guest suite $v" "$(sed -n 's/^# ktsc-sched: //p' "$KTSC_CACHE/logs/$v/console.log")"
	done
fi

echo "size (text data bss):"
for obj in mm/rmap.o mm/ksm.o; do
	for v in "${VARIANTS[@]}"; do
		f=$KTSC_CACHE/build/$v/$obj
		[[ -f $f ]] || continue
		printf '  %-10s %-8s %s\n' "$obj" "$v" "$(size "$f" | awk 'NR == 2 {print $1, $2, $3}')"
	done
done
