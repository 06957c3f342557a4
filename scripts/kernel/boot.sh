#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# boot.sh [base|patched]... - boot each variant under QEMU/TCG and keep the
# serial console in logs/<variant>/console.log.
#
# 4 vCPUs and two NUMA nodes of 1 GiB, described to the guest by ACPI SRAT.
# No KVM (nested KVM hangs here).  The guest's /init powers off when done;
# timeout(1) bounds a hung guest.  Only KTAP result lines, benchmark
# figures and splats are echoed while it runs.
#
# The baseline's runs are cached under baseline/<key>/, keyed by the base
# commit, the config, the guest's contents, this script and the command
# line: its full run, and report.sh's re-runs (KTSC_RUN=rerun: the tests
# and the number of copies are on the command line; each copy's timeout
# cap, ktsc.timeout=, is left out of the key, since it follows from the
# other kernel's times too, and the cached cap is kept in origin).  A warm
# run with an unchanged base boots only the patched kernel, and
# logs/base/origin (logs/base/rerun/origin) says where the baseline figures
# came from.  KTSC_PROFILE=bench (lib.sh) boots the benchmark kernels,
# never from or into that cache.
#
# Environment:
#   KTSC_BOOT_TIMEOUT=S    hard limit per boot (default 2400)
#   KTSC_STRESS_SECONDS=S  rmap_stress time per scenario (default 10)
#   KTSC_APPEND="..."      extra kernel command line (e.g. ktsc.only=cow)
#   KTSC_RUN=NAME          keep the logs in logs/<variant>/NAME/ (report.sh's
#                          re-runs: NAME=rerun, cached for the baseline)
#   KTSC_BASELINE_CACHE=0  boot the baseline even when its results are cached
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
load_source

TIMEOUT=${KTSC_BOOT_TIMEOUT:-2400}
STRESS=${KTSC_STRESS_SECONDS:-10}
APPEND="console=ttyS0 panic=-1 ktsc.stress=$STRESS ${KTSC_APPEND:-}"
RUN=${KTSC_RUN:-}

# baseline_key: what the baseline's results depend on.
baseline_key()
{
	{
		echo "${RUN:-full}: $(sed -E 's/ ktsc\.timeout=[0-9]+//' <<<"$APPEND") $TIMEOUT"
		cat "$PROFILE_DIR/build/base/.ktsc-built" "$PROFILE_DIR/guest/base/stamp" "$0"
		qemu-system-x86_64 --version | head -1
	} | sha256sum | cut -c1-16
}

# cap_note FILE: ", each test capped at Ns" when the cached command line
# in FILE had a ktsc.timeout= (a re-run's cap).
cap_note()
{
	sed -n 's/.* ktsc\.timeout=\([0-9]*\).*/, each test capped at \1 s/p' "$1" 2>/dev/null || true
}

boot_one()
{
	local v=$1 kernel initrd dir t0=$SECONDS rcs rc key='' cached=''
	kernel=$PROFILE_DIR/build/$v/arch/x86/boot/bzImage
	initrd=$PROFILE_DIR/guest/$v/initramfs.cpio.gz
	dir=$PROFILE_DIR/logs/$v${RUN:+/$RUN}
	[[ -f $kernel ]] || die "no $kernel; run scripts/kernel/build.sh $v"
	[[ -f $initrd ]] || die "no $initrd; run scripts/kernel/guest.sh $v"
	if [[ $v == base && ( -z $RUN || $RUN == rerun ) && $KTSC_PROFILE == test ]]; then
		key=$(baseline_key)
		cached=$KTSC_CACHE/baseline/$key
		if [[ ${KTSC_BASELINE_CACHE:-1} != 0 && -f $cached/console.log ]]; then
			rm -rf "$dir"
			mkdir -p "$dir"
			cp "$cached/console.log" "$cached/boot.env" "$dir/"
			echo "cached run of $(cat "$cached/date")$(cap_note "$cached/append") (key $key, $cached), not booted now" >"$dir/origin"
			log "$v: results cached from $(cat "$cached/date") (key $key); not booting"
			return 0
		fi
	fi
	rm -rf "$dir"
	mkdir -p "$dir"
	log "booting $v (timeout ${TIMEOUT}s)${RUN:+ for $RUN: ${KTSC_APPEND:-}}"

	set +e
	timeout -k 10 "$TIMEOUT" qemu-system-x86_64 -accel tcg -nographic -no-reboot \
		-m 2G -smp 4 \
		-object memory-backend-ram,id=mem0,size=1G \
		-object memory-backend-ram,id=mem1,size=1G \
		-numa node,nodeid=0,cpus=0-1,memdev=mem0 \
		-numa node,nodeid=1,cpus=2-3,memdev=mem1 \
		-kernel "$kernel" -initrd "$initrd" \
		-append "$APPEND" \
		</dev/null 2>&1 | tr -d '\r' | tee "$dir/console.log.tmp" |
		grep --line-buffered -E '^(not )?ok [0-9]+ |^ktsc-bench: |Kernel panic|BUG:|WARNING:|possible circular'
	rcs=("${PIPESTATUS[@]}")
	set -e
	rc=${rcs[0]}
	mv "$dir/console.log.tmp" "$dir/console.log"
	printf 'rc=%s\nseconds=%s\n' "$rc" $((SECONDS - t0)) >"$dir/boot.env"
	echo "booted now, $(date -u '+%F %T UTC'), $((SECONDS - t0)) s" >"$dir/origin"
	# Cache a complete baseline run (flakes included: report.sh re-runs
	# whatever differs from the patched kernel, and those re-runs are
	# cached here too).
	if [[ -n $key && $rc == 0 ]] && grep -q '^# ktsc-guest: end$' "$dir/console.log"; then
		mkdir -p "$cached.tmp"
		cp "$dir/console.log" "$dir/boot.env" "$cached.tmp/"
		date -u '+%F %T UTC' >"$cached.tmp/date"
		echo "$APPEND" >"$cached.tmp/append"
		rm -rf "$cached"
		mv "$cached.tmp" "$cached"
	fi
	case $rc in
	0)   log "$v: guest powered off after $((SECONDS - t0)) s; log: $dir/console.log" ;;
	124) log "$v: TIMEOUT after ${TIMEOUT}s; log: $dir/console.log" ;;
	*)   log "$v: qemu exit $rc after $((SECONDS - t0)) s; log: $dir/console.log" ;;
	esac
}

mapfile -t want < <(variants_from "$@")
for v in "${want[@]}"; do boot_one "$v"; done
