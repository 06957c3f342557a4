#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# guest.sh [base|patched]... - build guest/<variant>/initramfs.cpio.gz:
# busybox-static, guest-init.sh as /init, the tree's own mm selftests,
# scripts/exerciser/rmap_stress.c and rmap_bench.c (guest-init.sh's
# ktsc.bench mode), guest-sched.c (runs the tests), all linked statically.  KTSC_PROFILE=bench (lib.sh)
# builds the benchmark kernels' guests.
#
# The selftests are built from a `git archive` copy of the variant's tools/
# at the variant's commit (so the build tree is neither touched nor
# switched), against the UAPI headers its build installed;
# selftest-fixes/*.patch are applied to that copy only.  The cpio is written by the build's own usr/gen_init_cpio,
# so no root is needed for /dev/console.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
load_source

SELFTESTS=(ksm_tests ksm_functional_tests migration cow mremap_test
	split_huge_page_test khugepaged transhuge-stress compaction_test
	madv_populate mlock2-tests mkdirty uffd-unit-tests rmap)
BUSYBOX=${KTSC_BUSYBOX:-/bin/busybox}
EXERCISER=$REPO_ROOT/scripts/exerciser/rmap_stress.c
BENCH=$REPO_ROOT/scripts/exerciser/rmap_bench.c
SCHED=$KSCRIPTS/guest-sched.c
CPIO_TIME=1731801600	# fixed mtime for a reproducible cpio

# selftests COMMIT OUT G: build the selftests into G/bin.
selftests()
{
	local c=$1 out=$2 g=$3 p targets=()

	mkdir -p "$g/src"
	git -C "$REPO" archive "$c" tools include/vdso mm/gup_test.h | tar -x -C "$g/src"
	for p in "$KSCRIPTS"/selftest-fixes/*.patch; do
		[[ -e $p ]] || continue
		# already fixed in this tree? then leave it alone
		patch -s -f -R --dry-run -p1 -d "$g/src" <"$p" >/dev/null 2>&1 && continue
		patch -s -p1 -d "$g/src" <"$p" || die "selftest fix ${p##*/} does not apply"
	done
	for p in "${SELFTESTS[@]}"; do targets+=("$g/bin/$p"); done
	make -C "$g/src/tools/testing/selftests/mm" -j"$(nproc)" \
		OUTPUT="$g/bin" KHDR_INCLUDES="-isystem $out/usr/include" \
		LDFLAGS=-static "${targets[@]}" >"$g/selftests.log" 2>&1 ||
		{ tail -30 "$g/selftests.log" >&2; die "selftests failed; log: $g/selftests.log"; }
}

# cpio_list G: gen_init_cpio input describing the initramfs.
cpio_list()
{
	local g=$1 f d
	for d in /bin /dev /proc /sys /tmp /root; do echo "dir $d 0755 0 0"; done
	echo "nod /dev/console 0600 0 0 c 5 1"
	echo "file /bin/busybox $BUSYBOX 0755 0 0"
	echo "slink /bin/sh busybox 0777 0 0"
	echo "file /init $KSCRIPTS/guest-init.sh 0755 0 0"
	for f in "$g"/bin/*; do echo "file /bin/${f##*/} $f 0755 0 0"; done
}

guest_one()
{
	local v=$1 c out g stamp t0=$SECONDS
	c=$(commit_of "$v")
	out=$PROFILE_DIR/build/$v
	g=$PROFILE_DIR/guest/$v
	[[ -x $out/usr/gen_init_cpio && -d $out/usr/include/linux ]] ||
		die "no kernel build for $v; run scripts/kernel/build.sh $v"
	[[ -x $BUSYBOX ]] || die "$BUSYBOX missing; run scripts/kernel/setup.sh"

	stamp=$( { git -C "$REPO" rev-parse "$c:tools" "$c:include/vdso" "$c:mm/gup_test.h"; cat "$0" "$KSCRIPTS/guest-init.sh" \
		"$EXERCISER" "$BENCH" "$SCHED" "$BUSYBOX" "$KSCRIPTS"/selftest-fixes/*.patch; } | sha256sum)
	if [[ -f $g/initramfs.cpio.gz && $(cat "$g/stamp" 2>/dev/null) == "$stamp" ]]; then
		log "$v: $g/initramfs.cpio.gz up to date"
		return 0
	fi
	rm -rf "$g"
	mkdir -p "$g/bin"
	log "$v: building selftests (${#SELFTESTS[@]}), rmap_stress and rmap_bench"
	selftests "$c" "$out" "$g"
	gcc -O2 -Wall -Wextra -static -o "$g/bin/rmap_stress" "$EXERCISER"
	gcc -O2 -Wall -Wextra -static -o "$g/bin/rmap_bench" "$BENCH"
	gcc -O2 -Wall -Wextra -static -o "$g/bin/guest-sched" "$SCHED"
	cpio_list "$g" >"$g/initramfs.list"
	"$out/usr/gen_init_cpio" -t "$CPIO_TIME" "$g/initramfs.list" | gzip -9 -n >"$g/initramfs.cpio.gz"
	echo "$stamp" >"$g/stamp"
	log "$v: $g/initramfs.cpio.gz ($(du -h "$g/initramfs.cpio.gz" | cut -f1), $((SECONDS - t0)) s)"
}

mapfile -t want < <(variants_from "$@")
for v in "${want[@]}"; do guest_one "$v"; done
