#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# boot.sh [base|patched]... - boot each variant under QEMU/TCG and keep the
# serial console in logs/<variant>/console.log.
#
# 4 vCPUs and two NUMA nodes of 1 GiB, described to the guest by ACPI SRAT.
# No KVM (nested KVM hangs here).  The guest's /init powers off when done;
# timeout(1) bounds a hung guest.  Only KTAP result lines and splats are
# echoed while it runs.
#
# Environment:
#   KTSC_BOOT_TIMEOUT=S    hard limit per boot (default 2400)
#   KTSC_STRESS_SECONDS=S  rmap_stress time per scenario (default 10)
#   KTSC_APPEND="..."      extra kernel command line (e.g. ktsc.only=cow)
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
load_source

TIMEOUT=${KTSC_BOOT_TIMEOUT:-2400}
STRESS=${KTSC_STRESS_SECONDS:-10}

boot_one()
{
	local v=$1 kernel initrd dir t0=$SECONDS rcs rc
	kernel=$KTSC_CACHE/build/$v/arch/x86/boot/bzImage
	initrd=$KTSC_CACHE/guest/$v/initramfs.cpio.gz
	dir=$KTSC_CACHE/logs/$v
	[[ -f $kernel ]] || die "no $kernel; run scripts/kernel/build.sh $v"
	[[ -f $initrd ]] || die "no $initrd; run scripts/kernel/guest.sh $v"
	mkdir -p "$dir"
	log "booting $v (timeout ${TIMEOUT}s)"

	set +e
	timeout -k 10 "$TIMEOUT" qemu-system-x86_64 -accel tcg -nographic -no-reboot \
		-m 2G -smp 4 \
		-object memory-backend-ram,id=mem0,size=1G \
		-object memory-backend-ram,id=mem1,size=1G \
		-numa node,nodeid=0,cpus=0-1,memdev=mem0 \
		-numa node,nodeid=1,cpus=2-3,memdev=mem1 \
		-kernel "$kernel" -initrd "$initrd" \
		-append "console=ttyS0 panic=-1 ktsc.stress=$STRESS ${KTSC_APPEND:-}" \
		</dev/null 2>&1 | tr -d '\r' | tee "$dir/console.log.tmp" |
		grep --line-buffered -E '^(not )?ok [0-9]+ |Kernel panic|BUG:|WARNING:|possible circular'
	rcs=("${PIPESTATUS[@]}")
	set -e
	rc=${rcs[0]}
	mv "$dir/console.log.tmp" "$dir/console.log"
	printf 'rc=%s\nseconds=%s\n' "$rc" $((SECONDS - t0)) >"$dir/boot.env"
	case $rc in
	0)   log "$v: guest powered off after $((SECONDS - t0)) s; log: $dir/console.log" ;;
	124) log "$v: TIMEOUT after ${TIMEOUT}s; log: $dir/console.log" ;;
	*)   log "$v: qemu exit $rc after $((SECONDS - t0)) s; log: $dir/console.log" ;;
	esac
}

mapfile -t want < <(variants_from "$@")
for v in "${want[@]}"; do boot_one "$v"; done
