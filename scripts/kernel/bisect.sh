#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bisect.sh - every patch of the series builds on its own, without new
# W=1 warnings in the files it touches.
#
# For each commit base..ktsc/patched in the patched worktree: check it out,
# rebuild bzImage incrementally in the patched O= directory, and rebuild
# the touched mm/*.o with W=1; the W=1 warnings of each touched file must
# not outnumber the base's.  The worktree ends on its branch head.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
load_source

WT=$KTSC_CACHE/trees/patched
OUT=$KTSC_CACHE/build/patched
BASE_OUT=$KTSC_CACHE/build/base
[[ -e $WT/.git && -f $OUT/.config ]] || die "run apply.sh and build.sh patched first"
CC_CMD=gcc
command -v ccache >/dev/null && CC_CMD="ccache gcc"
export KBUILD_BUILD_USER=ktsc KBUILD_BUILD_HOST=ktsc
export KBUILD_BUILD_TIMESTAMP='Sun Nov 17 00:00:00 UTC 2024'

exec 9>"$KTSC_CACHE/build/.lock"
flock -n 9 || { log "another build is running; waiting"; flock 9; }

kmake() { local src=$1 out=$2; shift 2; make -C "$src" O="$out" ARCH=x86_64 CC="$CC_CMD" HOSTCC="$CC_CMD" "$@"; }

# w1_warnings SRC OUT OBJ: W=1 warnings of one object (forced rebuild).
w1_warnings()
{
	rm -f "$2/$3"
	kmake "$1" "$2" W=1 "$3" 2>&1 | grep -c 'warning:' || true
}

head=$(git -C "$WT" rev-parse HEAD)
branch=$(git -C "$WT" symbolic-ref -q --short HEAD || echo "$PATCHED_BRANCH")
mapfile -t commits < <(git -C "$WT" rev-list --reverse "$BASE_COMMIT..$head")
((${#commits[@]})) || { echo "no patches: nothing to bisect"; exit 0; }
trap 'git -C "$WT" checkout -q "$branch"' EXIT

declare -A base_w1
fail=0
n=0
for c in "${commits[@]}"; do
	n=$((n + 1))
	git -C "$WT" checkout -q --detach "$c"
	subject=$(git -C "$WT" log -1 --format=%s "$c")
	t0=$SECONDS
	if ! kmake "$WT" "$OUT" -s -j"$(nproc)" bzImage >"$OUT/bisect-$n.log" 2>&1; then
		echo "not ok $n $subject # build failed: $OUT/bisect-$n.log"
		fail=1
		continue
	fi
	worse=
	for f in $(git -C "$WT" diff-tree --no-commit-id --name-only -r "$c" | grep '\.c$'); do
		obj=${f%.c}.o
		[[ -v base_w1[$obj] ]] || base_w1[$obj]=$(w1_warnings "$BASE_TREE" "$BASE_OUT" "$obj")
		w=$(w1_warnings "$WT" "$OUT" "$obj")
		((w <= base_w1[$obj])) || worse+=" $obj: $w W=1 warnings (base ${base_w1[$obj]})"
	done
	if [[ -n $worse ]]; then
		echo "not ok $n $subject #$worse"
		fail=1
	else
		echo "ok $n $subject # builds, no new W=1 warnings ($((SECONDS - t0)) s)"
	fi
done
exit $fail
