#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build.sh [base|patched]... - build bzImage and UAPI headers per variant.
#
# Both variants are built in one tree (the apply step's worktree) and one
# O= directory: the base commit is checked out and built, its results are
# copied to build/base/, then the patched branch is checked out and built
# incrementally, so only what the series touches recompiles, and copied to
# build/patched/.  git rewrites only the files that differ between the two
# commits, with a new mtime, so make rebuilds exactly what depends on them,
# whichever way the tree is switched.  A variant whose commit and config
# were already built is not built again.  The tree is left on the patched
# branch.
#
# Config: tinyconfig with ktsc.config merged on top by the tree's own
# merge_config.sh (allnoconfig mode, so options we do not ask for stay off),
# then every line of ktsc.config is checked to have survived.  With
# KTSC_PROFILE=bench (lib.sh) bench.config is merged after ktsc.config and
# the benchmark kernels are built the same way in an O= of their own; the
# check then wants the last line of each option.
#
# Environment:
#   KTSC_JOBS=N   make -j (default: nproc)
#   KTSC_CCACHE=1 compile through ccache
#   KTSC_W1=1     afterwards rebuild mm/rmap.o and mm/ksm.o with W=1,
#                 log in build/<variant>/w1.log
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
load_source

JOBS=${KTSC_JOBS:-$(nproc)}
# What a variant's artifacts keep besides bzImage and the UAPI headers.
KEEP=(.config usr/gen_init_cpio mm/rmap.o mm/ksm.o)

# wanted_config: the fragments' option lines, the last one of each option
# (as merge_config.sh merges them).
wanted_config()
{
	awk '{
		if (match($0, /^CONFIG_[A-Za-z0-9_]+=/)) sym = substr($0, 1, RLENGTH - 1)
		else if ($0 ~ /^# CONFIG_[A-Za-z0-9_]+ is not set$/) sym = $2
		else next
		if (!(sym in line)) order[n++] = sym
		line[sym] = $0
	} END { for (i = 0; i < n; i++) print line[order[i]] }' "${CONFIG_FRAGS[@]}"
}

# check_config: every option line wanted by the fragments must be in .config.
check_config()
{
	local line sym bad=0
	while IFS= read -r line; do
		if [[ $line =~ ^#\ (CONFIG_[A-Za-z0-9_]+)\ is\ not\ set$ ]]; then
			grep -q "^${BASH_REMATCH[1]}=" "$OUT/.config" || continue
		elif [[ $line == CONFIG_* ]]; then
			grep -qxF -- "$line" "$OUT/.config" && continue
		else
			continue
		fi
		sym=${line#\# }
		sym=${sym%%[= ]*}
		echo "  wanted '$line', got: $(grep -E "^(# )?${sym}[= ]" "$OUT/.config" || echo absent)" >&2
		bad=1
	done < <(wanted_config)
	((bad == 0)) || die "config fragment not fully applied (missing dependency?)"
}

# configure: (re)generate .config when the fragment or the base changed.
configure()
{
	if [[ -f $OUT/.config && $(cat "$OUT/.ktsc-config" 2>/dev/null) == "$cfg_stamp" ]]; then
		return 0
	fi
	log "configuring $OUT"
	kmake -s tinyconfig
	# merge_config.sh runs make (and mktemp) in the cwd: use the build dir,
	# where kbuild left a Makefile forwarding to the source tree.
	(cd "$OUT" && "$WT/scripts/kconfig/merge_config.sh" -n .config "${CONFIG_FRAGS[@]}") >"$OUT/merge.log" 2>&1 ||
		{ cat "$OUT/merge.log" >&2; die "merge_config.sh failed"; }
	check_config
	echo "$cfg_stamp" >"$OUT/.ktsc-config"
}

build_one()
{
	local v=$1 c a stamp f n t0=$SECONDS
	c=$(commit_of "$v")
	a=$PROFILE_DIR/build/$v
	stamp="$c $cfg_stamp w1=${KTSC_W1:-0}"
	if [[ -f $a/arch/x86/boot/bzImage && $(cat "$a/.ktsc-built" 2>/dev/null) == "$stamp" ]]; then
		log "$v: $a/arch/x86/boot/bzImage up to date ($c)"
		return 0
	fi
	checkout_build_tree "$([[ $v == patched ]] && echo "$PATCHED_BRANCH" || echo "$c")"
	configure
	log "building $v ($c) in $OUT (-j$JOBS, CC=$CC_CMD)"
	rm -rf "$a"
	mkdir -p "$a"
	touch "$a/.start"
	kmake -s -j"$JOBS" bzImage headers >"$a/build.log" 2>&1 ||
		{ tail -40 "$a/build.log" >&2; die "$v build failed; log: $a/build.log"; }
	n=$(find "$OUT" -name '*.o' -newer "$a/.start" | wc -l)
	mkdir -p "$a/arch/x86/boot" "$a/usr" "$a/mm"
	cp "$OUT/arch/x86/boot/bzImage" "$a/arch/x86/boot/"
	cp -a "$OUT/usr/include" "$a/usr/"
	for f in "${KEEP[@]}"; do cp -a "$OUT/$f" "$a/$f"; done
	if [[ ${KTSC_W1:-0} == 1 ]]; then
		rm -f "$OUT/mm/rmap.o" "$OUT/mm/ksm.o"
		kmake W=1 mm/rmap.o mm/ksm.o >"$a/w1.log" 2>&1 ||
			die "W=1 build failed; log: $a/w1.log"
		log "W=1 warnings in mm/rmap.c mm/ksm.c: $(grep -c 'warning:' "$a/w1.log" || true) ($a/w1.log)"
	fi
	echo "$stamp" >"$a/.ktsc-built"
	printf 'seconds=%s\nobjects=%s\n' $((SECONDS - t0)) "$n" >"$a/build.env"
	log "$v: $a/arch/x86/boot/bzImage ($n objects compiled, $((SECONDS - t0)) s)"
}

[[ -e $WT/.git ]] || die "no build tree $WT; run scripts/kernel/apply.sh"
build_lock
cfg_stamp=$( { echo "$BASE_COMMIT"; cat "${CONFIG_FRAGS[@]}"; } | sha256sum | cut -d' ' -f1)
trap 'git -C "$WT" checkout -q "$PATCHED_BRANCH" 2>/dev/null || true' EXIT
mapfile -t want < <(variants_from "$@")
for v in "${want[@]}"; do build_one "$v"; done
