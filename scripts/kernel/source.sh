#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# source.sh - provide the base Linux git tree (base.env); print the base commit.
#
# With KERNEL_SRC=/path/to/linux, a clean git checkout of BASE_VERSION, its
# HEAD is the base.  The baseline is built from a detached worktree of that
# commit under the cache, so the user's checkout is never built in.
#
# Otherwise Debian's DEB_PACKAGE=DEB_VERSION is downloaded from DEB_SUITE
# with a private apt configuration under $KTSC_CACHE/apt (its own
# sources.list naming the mirror the machine's apt sources name, its own
# lists and cache, no dpkg status): the machine's apt configuration is
# never changed and nothing is installed.  The .deb is unpacked with
# dpkg -x and its tarball committed once as $KTSC_CACHE/linux (branch
# ktsc/base), with a fixed identity and date and no user configuration,
# so the same tarball gives the same base commit id on any machine.
# KTSC_TARBALL=FILE uses that tarball instead of the download.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=base.env
. "$KSCRIPTS/base.env"

APT=$KTSC_CACHE/apt
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
DEFAULT_MIRROR=http://deb.debian.org/debian

# kver DIR: "7.2.13" from the top-level Makefile.
kver()
{
	awk '/^VERSION =/ {v=$3} /^PATCHLEVEL =/ {p=$3} /^SUBLEVEL =/ {s=$3}
	     END {printf "%s.%s%s\n", v, p, (s != "" && s != 0) ? "." s : ""}' "$1/Makefile"
}

# is_base VERSION: VERSION is a release of BASE_VERSION ("7.2", "7.2.13").
is_base() { [[ $1 == "$BASE_VERSION" || $1 == "$BASE_VERSION".* || $1 == "$BASE_VERSION"-* ]]; }

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
	is_base "$(kver "$top")" ||
		die "KERNEL_SRC=$top is Linux $(kver "$top"); the model's base is Linux $BASE_VERSION (scripts/kernel/base.env)"
	# Only committed state is tested (we build a worktree of HEAD), so
	# refuse local edits rather than silently ignore them.
	[[ -z $(git -C "$top" status --porcelain --untracked-files=no) ]] ||
		die "KERNEL_SRC=$top has uncommitted changes; commit or stash them"
	new_repo=$top
	new_commit=$(git -C "$top" rev-parse HEAD)
	new_base_tree=$KTSC_CACHE/trees/base
}

# mirrors: the Debian mirror(s) the machine's apt sources name (deb822
# URIs: fields and one-line "deb" entries; security archives skipped),
# then deb.debian.org.
mirrors()
{
	{
		cat /etc/apt/sources.list.d/*.sources 2>/dev/null |
			sed -n 's/^URIs:[[:space:]]*//p' | tr -s ' \t' '\n'
		cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
			sed -n 's/^[[:space:]]*deb[[:space:]]\+\(\[[^]]*\][[:space:]]\+\)\?\([^[:space:]]\+\).*/\2/p'
		echo "$DEFAULT_MIRROR"
	} | grep -E '^https?://' | grep -v -- '-security' | sed 's:/*$::' | awk '!seen[$0]++'
}

# fetch_tarball: download and unpack DEB_PACKAGE=DEB_VERSION; sets tarball.
fetch_tarball()
{
	local m deb aopt=() got=
	rm -rf "$APT"
	mkdir -p "$APT/lists/partial" "$APT/cache/archives/partial" "$APT/deb"
	aopt=(-o "Dir::Etc::SourceList=$APT/sources.list" -o Dir::Etc::SourceParts=/dev/null
		-o "Dir::State::Lists=$APT/lists" -o "Dir::Cache=$APT/cache"
		-o Dir::State::Status=/dev/null)
	# apt drops privileges to _apt when root; it cannot write our cache.
	((EUID != 0)) || aopt+=(-o APT::Sandbox::User=root)
	[[ -r $KEYRING ]] || die "$KEYRING missing; run scripts/kernel/setup.sh"
	while read -r m; do
		echo "deb [signed-by=$KEYRING] $m $DEB_SUITE main" >"$APT/sources.list"
		log "fetching $DEB_PACKAGE=$DEB_VERSION from $m $DEB_SUITE (private apt state in $APT)"
		apt-get "${aopt[@]}" -q update </dev/null >"$APT/update.log" 2>&1 ||
			{ log "apt-get update from $m failed (see $APT/update.log)"; continue; }
		if (cd "$APT/deb" && apt-get "${aopt[@]}" -q download "$DEB_PACKAGE=$DEB_VERSION" </dev/null) >"$APT/download.log" 2>&1; then
			got=$m
			break
		fi
		log "$m $DEB_SUITE does not serve $DEB_PACKAGE=$DEB_VERSION: $(grep -m1 '^E:' "$APT/download.log" || true)"
	done < <(mirrors)
	[[ -n $got ]] || die "cannot download $DEB_PACKAGE=$DEB_VERSION from Debian $DEB_SUITE.
  The model is ported against Linux $BASE_VERSION ($DEB_PACKAGE $DEB_VERSION, scripts/kernel/base.env);
  Debian no longer serves that version.  Give a clean git checkout of Linux
  $BASE_VERSION instead:  KERNEL_SRC=/path/to/linux npm start
  (or KTSC_TARBALL=/path/to/linux-source-$BASE_VERSION.tar.xz)"
	deb=$(echo "$APT"/deb/*.deb)
	[[ -f $deb ]] || die "no .deb in $APT/deb"
	log "unpacking ${deb##*/}"
	dpkg -x "$deb" "$APT/x"
	tarball=$APT/x/usr/src/$DEB_PACKAGE.tar.xz
	[[ -r $tarball ]] || die "$deb has no usr/src/$DEB_PACKAGE.tar.xz"
}

from_tarball()
{
	local repo=$KTSC_CACHE/linux tmp v origin tarball=${KTSC_TARBALL:-}
	local -a g

	new_repo=$repo
	new_base_tree=$repo
	origin="Debian $DEB_PACKAGE $DEB_VERSION"
	[[ -z $tarball ]] || origin="$(basename "$tarball")"
	# A cached base of another origin (an older pin) is made again.
	if [[ $(cat "$repo/.git/ktsc-origin" 2>/dev/null) != "$origin" ]] ||
		! git -C "$repo" rev-parse -q --verify refs/heads/ktsc/base >/dev/null 2>&1; then
		if [[ -z $tarball ]]; then fetch_tarball; fi
		[[ -r $tarball ]] || die "$tarball missing"
		tmp=$repo.tmp
		rm -rf "$repo" "$tmp"
		forget_trees
		mkdir -p "$tmp"
		log "extracting $tarball"
		tar -xf "$tarball" -C "$tmp" --strip-components=1
		v=$(kver "$tmp")
		is_base "$v" || die "$tarball holds Linux $v; the model's base is Linux $BASE_VERSION"
		log "committing Linux $v as base (this takes a minute)"
		# Nothing from the user's git configuration may change the
		# commit id: fixed identity and date, sha1, no filters.
		g=(git -C "$tmp" -c core.autocrlf=false -c core.safecrlf=false
			-c core.attributesFile=/dev/null -c core.fileMode=true
			-c core.symlinks=true -c commit.gpgSign=false
			-c i18n.commitEncoding=UTF-8)
		"${g[@]}" init -q --object-format=sha1 -b ktsc/base
		git -C "$tmp" config core.autocrlf false
		# Debian's tarball has a top-level .gitignore "/*": force.
		"${g[@]}" add -f -A .
		GIT_AUTHOR_NAME=ktsc GIT_AUTHOR_EMAIL=ktsc@localhost GIT_AUTHOR_DATE=$BASE_DATE \
			GIT_COMMITTER_NAME=ktsc GIT_COMMITTER_EMAIL=ktsc@localhost GIT_COMMITTER_DATE=$BASE_DATE \
			"${g[@]}" commit -q --no-verify -m "Linux $v ($origin)"
		echo "$origin" >"$tmp/.git/ktsc-origin"
		mv "$tmp" "$repo"
		rm -rf "$APT/x" "$APT/deb"
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
BASE_KVER=$(kver "$new_base_tree")
EOT
echo "base: $new_commit Linux $(kver "$new_base_tree") ($new_repo)"
