#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bisect.sh - every patch of the series builds on its own, without new
# W=1 warnings in the files it touches.
#
# In the one build tree and O= directory build.sh uses: first the base
# commit, for the W=1 warnings of every .c file the series touches; then
# for each commit base..ktsc/patched: check it out, rebuild bzImage
# incrementally, and rebuild the touched mm/*.o with W=1; the W=1 warnings
# of each touched file must not outnumber the base's.  The tree ends on the
# patched branch (build.sh's artifacts stay valid: they were copied out).
#
# A commit that passed is remembered under bisect/<key>/<commit>, key =
# the .config and this script: a commit id names its tree and every
# commit before it down to the base, so an unchanged series (apply.sh
# makes the same commit ids from the same patches) is not built again,
# and a changed one rebuilds from its first changed commit on.
# KTSC_BISECT_CACHE=0 builds every commit anyway.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
load_source

[[ -e $WT/.git && -f $OUT/.config ]] || die "run apply.sh and build.sh first"
build_lock

# w1_warnings OBJ: W=1 warnings of one object (forced rebuild).
w1_warnings()
{
	rm -f "$OUT/$1"
	kmake W=1 "$1" 2>&1 | grep -c 'warning:' || true
}

head=$(git -C "$WT" rev-parse "refs/heads/$PATCHED_BRANCH")
mapfile -t commits < <(git -C "$WT" rev-list --reverse "$BASE_COMMIT..$head")
((${#commits[@]})) || { echo "no patches: nothing to bisect"; exit 0; }
trap 'git -C "$WT" checkout -q "$PATCHED_BRANCH"' EXIT

key=$( { cat "$OUT/.config" "$0"; } | sha256sum | cut -c1-16)
cache=$KTSC_CACHE/bisect/$key
mkdir -p "$cache"
todo=0
for c in "${commits[@]}"; do
	[[ ${KTSC_BISECT_CACHE:-1} != 0 && -f $cache/$c ]] || todo=$((todo + 1))
done

declare -A base_w1
if ((todo)); then
	checkout_build_tree "$BASE_COMMIT"
	for f in $(git -C "$WT" diff --name-only "$BASE_COMMIT" "$head" -- '*.c'); do
		base_w1[${f%.c}.o]=$(w1_warnings "${f%.c}.o")
	done
fi

fail=0
n=0
for c in "${commits[@]}"; do
	n=$((n + 1))
	if [[ ${KTSC_BISECT_CACHE:-1} != 0 && -f $cache/$c ]]; then
		echo "$(cat "$cache/$c") (remembered from $(date -u -r "$cache/$c" '+%F %T UTC'), $cache/$c)"
		continue
	fi
	checkout_build_tree "$c"
	subject=$(git -C "$WT" log -1 --format=%s "$c")
	t0=$SECONDS
	if ! kmake -s -j"$(nproc)" bzImage >"$OUT/bisect-$n.log" 2>&1; then
		echo "not ok $n $subject # build failed: $OUT/bisect-$n.log"
		fail=1
		continue
	fi
	worse=
	for f in $(git -C "$WT" diff-tree --no-commit-id --name-only -r "$c" -- '*.c'); do
		obj=${f%.c}.o
		w=$(w1_warnings "$obj")
		((w <= ${base_w1[$obj]:-0})) || worse+=" $obj: $w W=1 warnings (base ${base_w1[$obj]:-0})"
	done
	if [[ -n $worse ]]; then
		echo "not ok $n $subject #$worse"
		fail=1
	else
		echo "ok $n $subject # builds, no new W=1 warnings ($((SECONDS - t0)) s)" | tee "$cache/$c"
	fi
done
exit $fail
