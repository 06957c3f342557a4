#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build.sh [base|patched]... - build bzImage and UAPI headers per variant.
#
# Config: tinyconfig with ktsc.config merged on top by the tree's own
# merge_config.sh (allnoconfig mode, so options we do not ask for stay off),
# then every line of ktsc.config is checked to have survived.  Each variant
# builds into its own O= directory under the cache, so both stay warm.
#
# Environment:
#   KTSC_JOBS=N   make -j (default: nproc)
#   KTSC_CCACHE=0 do not use ccache (used by default when installed)
#   KTSC_W1=1     afterwards rebuild mm/rmap.o and mm/ksm.o with W=1,
#                 log in build/<variant>/w1.log
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
load_source

FRAG=$KSCRIPTS/ktsc.config
JOBS=${KTSC_JOBS:-$(nproc)}
# ccache pays off once warm (rebuilds, CI with a kept cache); on a cold
# cache it made a clean build 400 s instead of 230 s on a 2-core box here;
# KTSC_CCACHE=0 turns it off.
CC_CMD=gcc
if [[ ${KTSC_CCACHE:-1} != 0 ]] && command -v ccache >/dev/null; then CC_CMD="ccache gcc"; fi
# Reproducible version string; also keeps ccache hits for init/version.c.
export KBUILD_BUILD_USER=ktsc KBUILD_BUILD_HOST=ktsc
export KBUILD_BUILD_TIMESTAMP='Sun Nov 17 00:00:00 UTC 2024'

# Builds are memory and CPU hungry: never run two at once.
mkdir -p "$KTSC_CACHE/build"
exec 9>"$KTSC_CACHE/build/.lock"
flock -n 9 || { log "another build is running; waiting"; flock 9; }

# kmake SRC OUT ARGS...: make in SRC with output in OUT.
kmake()
{
	local src=$1 out=$2
	shift 2
	make -C "$src" O="$out" ARCH=x86_64 CC="$CC_CMD" HOSTCC="$CC_CMD" "$@"
}

# check_config OUT: every CONFIG_ line of the fragment must be in .config.
check_config()
{
	local line sym bad=0
	while IFS= read -r line; do
		if [[ $line =~ ^#\ (CONFIG_[A-Za-z0-9_]+)\ is\ not\ set$ ]]; then
			grep -q "^${BASH_REMATCH[1]}=" "$1/.config" || continue
		elif [[ $line == CONFIG_* ]]; then
			grep -qxF -- "$line" "$1/.config" && continue
		else
			continue
		fi
		sym=${line#\# }
		sym=${sym%%[= ]*}
		echo "  wanted '$line', got: $(grep -E "^(# )?${sym}[= ]" "$1/.config" || echo absent)" >&2
		bad=1
	done <"$FRAG"
	((bad == 0)) || die "config fragment not fully applied (missing dependency?)"
}

# configure SRC OUT: (re)generate .config when the fragment changed.
configure()
{
	local src=$1 out=$2 stamp
	stamp=$(sha256sum "$FRAG" | cut -d' ' -f1)
	if [[ -f $out/.config && $(cat "$out/.ktsc-config" 2>/dev/null) == "$stamp" ]]; then
		return 0
	fi
	log "configuring $out"
	kmake "$src" "$out" -s tinyconfig
	# merge_config.sh runs make (and mktemp) in the cwd: use the build dir,
	# where kbuild left a Makefile forwarding to the source tree.
	(cd "$out" && "$src/scripts/kconfig/merge_config.sh" -n .config "$FRAG") >"$out/merge.log" 2>&1 ||
		{ cat "$out/merge.log" >&2; die "merge_config.sh failed"; }
	check_config "$out"
	echo "$stamp" >"$out/.ktsc-config"
}

build_one()
{
	local v=$1 src out t0
	src=$(tree_of "$v")
	out=$KTSC_CACHE/build/$v
	[[ -f $src/Makefile ]] || die "no $v tree at $src; run source.sh/apply.sh"
	mkdir -p "$out"
	t0=$SECONDS
	configure "$src" "$out"
	log "building $v in $out (-j$JOBS, CC=$CC_CMD)"
	kmake "$src" "$out" -s -j"$JOBS" bzImage headers >"$out/build.log" 2>&1 ||
		{ tail -40 "$out/build.log" >&2; die "$v build failed; log: $out/build.log"; }
	if [[ ${KTSC_W1:-0} == 1 ]]; then
		kmake "$src" "$out" W=1 mm/rmap.o mm/ksm.o >"$out/w1.log" 2>&1 ||
			die "W=1 build failed; log: $out/w1.log"
		log "W=1 warnings in mm/rmap.c mm/ksm.c: $(grep -c 'warning:' "$out/w1.log" || true) ($out/w1.log)"
	fi
	log "$v: $out/arch/x86/boot/bzImage ($((SECONDS - t0)) s)"
}

mapfile -t want < <(variants_from "$@")
for v in "${want[@]}"; do build_one "$v"; done
