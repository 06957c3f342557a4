#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# source.sh - provide the base Linux 6.12 git tree; print the base commit.
#
# With KERNEL_SRC=/path/to/linux, a clean Linux 6.12 git checkout, its HEAD
# is the base.  The baseline is built from a detached worktree of that
# commit under the cache, so the user's checkout is never built in.
#
# Otherwise Debian's linux-source-6.12 tarball is extracted and committed
# once as $KTSC_CACHE/linux (branch ktsc/base), with a fixed author and date
# so the same tarball always gives the same base commit id.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

TARBALL=${KTSC_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
BASE_DATE='2024-11-17T00:00:00Z'	# v6.12 release day; any fixed value

# kver DIR: "6.12.117" from the top-level Makefile.
kver()
{
	awk '/^VERSION =/ {v=$3} /^PATCHLEVEL =/ {p=$3} /^SUBLEVEL =/ {s=$3}
	     END {printf "%s.%s%s\n", v, p, (s != "" && s != 0) ? "." s : ""}' "$1/Makefile"
}

# forget_trees: drop worktrees made for a previous REPO/base.
forget_trees()
{
	[[ -d $KTSC_CACHE/trees ]] || return 0
	log "base changed: removing old worktrees"
	rm -rf "$KTSC_CACHE/trees"
	if [[ -n ${REPO:-} && -d $REPO ]]; then git -C "$REPO" worktree prune; fi
}

from_kernel_src()
{
	local top
	top=$(git -C "$KERNEL_SRC" rev-parse --show-toplevel 2>/dev/null) ||
		die "KERNEL_SRC=$KERNEL_SRC is not a git tree"
	[[ -f $top/Makefile ]] || die "$top has no Makefile; not a kernel tree"
	[[ $(kver "$top") == 6.12* ]] ||
		die "KERNEL_SRC=$top is Linux $(kver "$top"), need 6.12"
	# Only committed state is tested (we build a worktree of HEAD), so
	# refuse local edits rather than silently ignore them.
	[[ -z $(git -C "$top" status --porcelain --untracked-files=no) ]] ||
		die "KERNEL_SRC=$top has uncommitted changes; commit or stash them"
	new_repo=$top
	new_commit=$(git -C "$top" rev-parse HEAD)
	new_base_tree=$KTSC_CACHE/trees/base
}

from_tarball()
{
	local repo=$KTSC_CACHE/linux tmp v

	new_repo=$repo
	new_base_tree=$repo
	if ! git -C "$repo" rev-parse -q --verify refs/heads/ktsc/base >/dev/null 2>&1; then
		[[ -r $TARBALL ]] || die "$TARBALL missing; run scripts/kernel/setup.sh"
		tmp=$repo.tmp
		rm -rf "$repo" "$tmp"
		mkdir -p "$tmp"
		log "extracting $TARBALL"
		tar -xf "$TARBALL" -C "$tmp" --strip-components=1
		v=$(kver "$tmp")
		[[ $v == 6.12* ]] || die "$TARBALL holds Linux $v, need 6.12"
		log "committing Linux $v as base (this takes a minute)"
		git -C "$tmp" init -q -b ktsc/base
		git -C "$tmp" config core.autocrlf false
		# Debian's tarball has a top-level .gitignore "/*": force.
		git -C "$tmp" add -f -A .
		GIT_AUTHOR_DATE=$BASE_DATE GIT_COMMITTER_DATE=$BASE_DATE \
			git -C "$tmp" commit -q --no-verify \
			-m "Linux $v (Debian linux-source-6.12)"
		mv "$tmp" "$repo"
	fi
	[[ -z $(git -C "$repo" status --porcelain --untracked-files=no) ]] ||
		die "$repo (cached base) was modified; rm -rf it and rerun"
	new_commit=$(git -C "$repo" rev-parse HEAD)
}

mkdir -p "$STATE"
REPO='' BASE_COMMIT=''
# shellcheck source=/dev/null
[[ -r $STATE/source.env ]] && . "$STATE/source.env"

if [[ -n ${KERNEL_SRC:-} ]]; then from_kernel_src; else from_tarball; fi

if [[ $new_repo != "$REPO" || $new_commit != "$BASE_COMMIT" ]]; then
	forget_trees
fi
if [[ $new_base_tree != "$new_repo" && ! -d $new_base_tree ]]; then
	git -C "$new_repo" worktree add -q --detach "$new_base_tree" "$new_commit"
fi

cat >"$STATE/source.env" <<EOT
REPO=$(printf %q "$new_repo")
BASE_TREE=$(printf %q "$new_base_tree")
BASE_COMMIT=$new_commit
EOT
echo "base: $new_commit Linux $(kver "$new_base_tree") ($new_repo)"
