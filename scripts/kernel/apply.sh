#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# apply.sh [PATCH_DIR] - make the patched tree: base commit + `git am` series.
#
# The series is PATCH_DIR/*.patch in name order, cover letter included
# (default: $KTSC_PATCHES or the repo's patches/), applied the way the
# README says: git am --empty=drop.  It is applied in a worktree of our
# own, $KTSC_CACHE/trees/patched on branch ktsc/patched; the user's
# checkout and branches are never touched.  No patches means patched ==
# base.
#
# On a conflict: git am --abort, reset the worktree to base, name the patch
# that failed and exit 1.  Unchanged base + series is a no-op.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
load_source

PATCH_DIR=${1:-${KTSC_PATCHES:-$REPO_ROOT/patches}}
[[ -d $PATCH_DIR ]] || die "no patch directory $PATCH_DIR"
PATCH_DIR=$(cd "$PATCH_DIR" && pwd)
WT=$KTSC_CACHE/trees/patched
mapfile -t series < <(find "$PATCH_DIR" -maxdepth 1 -type f -name '*.patch' | LC_ALL=C sort)

# Identity of what we are asked to produce: base commit + series bytes.
stamp=$( { echo "$BASE_COMMIT"; cat "${series[@]}" </dev/null; } | sha256sum | cut -d' ' -f1)

wt() { git -C "$WT" "$@"; }

# reset_to_base: worktree on our branch at the base commit, no stray files.
reset_to_base()
{
	if [[ -d $(wt rev-parse --absolute-git-dir)/rebase-apply ]]; then wt am --abort; fi
	wt checkout -q -B "$PATCHED_BRANCH" "$BASE_COMMIT"
	wt reset -q --hard
	wt clean -q -fdx
}

if [[ ! -e $WT/.git ]]; then
	rm -rf "$WT"
	git -C "$REPO" worktree prune
	mkdir -p "${WT%/*}"
	git -C "$REPO" worktree add -q -B "$PATCHED_BRANCH" "$WT" "$BASE_COMMIT"
elif [[ $(cat "$STATE/applied" 2>/dev/null) == "$stamp $(wt rev-parse HEAD)" &&
	-z $(wt status --porcelain --untracked-files=no) ]]; then
	echo "patched: $(wt rev-parse HEAD) (${#series[@]} patches, up to date)"
	exit 0
fi

rm -f "$STATE/applied"
reset_to_base
if ((${#series[@]})); then
	log "applying ${#series[@]} patches from $PATCH_DIR"
	# Committer date = author date keeps the patched commit ids stable.
	# --empty=drop: format-patch's cover letter carries no diff.
	if ! wt am -q --3way --empty=drop --committer-date-is-author-date "${series[@]}"; then
		# rebase-apply/next is the 1-based number of the failing mail;
		# format-patch writes one mail per file, so it indexes the series.
		next=$(cat "$(wt rev-parse --absolute-git-dir)/rebase-apply/next" 2>/dev/null || echo 0)
		bad=unknown
		((next >= 1 && next <= ${#series[@]})) && bad=${series[next - 1]}
		reset_to_base
		die "patch $next does not apply: ${bad##*/} (tree reset to base $BASE_COMMIT)"
	fi
fi
echo "$stamp $(wt rev-parse HEAD)" >"$STATE/applied"
echo "patched: $(wt rev-parse HEAD) (${#series[@]} patches on $BASE_COMMIT)"
