# shellcheck shell=bash
#
# Common definitions for the ktsc kernel harness, sourced by every step.
#
# Everything the harness produces lives under one cache directory outside
# the repository, so a run is resumable and "rm -rf $KTSC_CACHE" is a full
# reset:
#
#   apt/               private apt state for downloading the base package
#   linux/             git repo made from Debian's linux-source tarball
#   trees/base         baseline worktree (only when KERNEL_SRC is given)
#   trees/patched      worktree on branch ktsc/patched = base + series; the
#                      one tree both variants are built in (build.sh checks
#                      out the base commit, then the branch)
#   build/kernel/      the one O= directory, so the patched build only
#                      recompiles what the series touches
#   build/<variant>/   what each variant's build produced (bzImage, UAPI
#                      headers, gen_init_cpio, objects, logs)
#   guest/<variant>/   selftests, exerciser and initramfs.cpio.gz
#   logs/<variant>/    console logs of the last boot, parsed results
#   state/             small files recording what each step last did
#   baseline/<key>/    the baseline's cached boots: its full run and the
#                      re-runs report.sh asked for (boot.sh)
#   bisect/<key>/      the commits bisect.sh found to build cleanly
#   series/            the checker's summary for the cover letter, keyed
#                      by the code (ts-src/series/series.ts)
#   run.lock/          held (pid inside) by the node process running a
#                      sequence of steps: ktsc all, the kernel e2e tests,
#                      bench:loop (ts-src/kernelrun/kernel.ts)
#   ccache/            compiler cache (KTSC_CCACHE=1)
#   bench/             KTSC_PROFILE=bench: build/, guest/ and logs/ as above
#                      for the benchmark kernels (bench-kernel.sh)
set -euo pipefail

KTSC_CACHE=${KTSC_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ktsc}
KSCRIPTS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck disable=SC2034 # used by the steps that source this file
REPO_ROOT=$(cd "$KSCRIPTS/../.." && pwd)
STATE=$KTSC_CACHE/state
VARIANTS=(base patched)
# shellcheck disable=SC2034
PATCHED_BRANCH=ktsc/patched
export CCACHE_DIR=${CCACHE_DIR:-$KTSC_CACHE/ccache}

# Fixed identity so that commits made by the harness are reproducible.
export GIT_AUTHOR_NAME=ktsc GIT_AUTHOR_EMAIL=ktsc@localhost
export GIT_COMMITTER_NAME=ktsc GIT_COMMITTER_EMAIL=ktsc@localhost

die() { echo "${0##*/}: error: $*" >&2; exit 1; }
log() { echo "${0##*/}: $*" >&2; }

# load_source: import REPO, BASE_TREE and BASE_COMMIT written by source.sh.
load_source()
{
	[[ -r $STATE/source.env ]] || die "no kernel source yet; run scripts/kernel/source.sh"
	# shellcheck source=/dev/null
	. "$STATE/source.env"
}

# KTSC_PROFILE: which kernels build.sh, guest.sh and boot.sh work on.
#   test   (default) tinyconfig + ktsc.config: lockdep, DEBUG_VM, KUnit;
#          everything under $KTSC_CACHE as listed above
#   bench  the same + bench.config on top (the debug options off), for
#          scripts/bench-kernel.sh; its own O=, artifacts, guest and logs
#          under $KTSC_CACHE/bench/.  The source tree and the build lock
#          are shared, so a bench build never runs beside a test build.
# PROFILE_DIR holds the profile's build/, guest/ and logs/;
# CONFIG_FRAGS are its config fragments, merged in order (last one wins).
KTSC_PROFILE=${KTSC_PROFILE:-test}
# shellcheck disable=SC2034 # used by the steps that source this file
case $KTSC_PROFILE in
test)	PROFILE_DIR=$KTSC_CACHE
	CONFIG_FRAGS=("$KSCRIPTS/ktsc.config") ;;
bench)	PROFILE_DIR=$KTSC_CACHE/bench
	CONFIG_FRAGS=("$KSCRIPTS/ktsc.config" "$KSCRIPTS/bench.config") ;;
*)	die "unknown KTSC_PROFILE '$KTSC_PROFILE' (want: test, bench)" ;;
esac

# The tree every variant is built in, and the profile's one O= directory.
WT=$KTSC_CACHE/trees/patched
OUT=$PROFILE_DIR/build/kernel

# commit_of VARIANT: the commit a variant is built from.
commit_of()
{
	case $1 in
	base)    echo "$BASE_COMMIT" ;;
	patched) git -C "$WT" rev-parse "refs/heads/$PATCHED_BRANCH" ;;
	*)       die "unknown variant '$1' (want: ${VARIANTS[*]})" ;;
	esac
}

# ccache pays off once warm; on a cold cache it made a clean build much
# slower (400 s instead of 230 s on a 2-core box), and with one O= for both
# variants a clean build happens once per base: opt in with KTSC_CCACHE=1.
CC_CMD=gcc
if [[ ${KTSC_CCACHE:-0} == 1 ]] && command -v ccache >/dev/null; then CC_CMD="ccache gcc"; fi
# Reproducible version string.
export KBUILD_BUILD_USER=ktsc KBUILD_BUILD_HOST=ktsc KBUILD_BUILD_VERSION=1
export KBUILD_BUILD_TIMESTAMP='Wed Oct 28 00:00:00 UTC 2026'

# kmake ARGS...: make in the build tree with output in the one O=.
kmake()
{
	make -C "$WT" O="$OUT" ARCH=x86_64 CC="$CC_CMD" HOSTCC="$CC_CMD" "$@"
}

# build_lock: builds are memory and CPU hungry and share one tree and O=:
# never two at once (fd 9 held until the script exits).
build_lock()
{
	mkdir -p "$KTSC_CACHE/build"
	exec 9>"$KTSC_CACHE/build/.lock"
	flock -n 9 || { log "another build is running; waiting"; flock 9; }
}

# checkout_build_tree COMMIT|BRANCH: switch the build tree.  git rewrites
# only the files that differ, with a new mtime, so make rebuilds just what
# depends on them (in either direction).
checkout_build_tree()
{
	[[ -z $(git -C "$WT" status --porcelain --untracked-files=no) ]] ||
		die "$WT has local changes; run apply.sh"
	if [[ $1 == "$PATCHED_BRANCH" ]]; then
		git -C "$WT" checkout -q "$1"
	else
		git -C "$WT" checkout -q --detach "$1"
	fi
}

# variants_from ARGS...: the variants named on the command line, or all.
variants_from()
{
	if (($#)); then printf '%s\n' "$@"; else printf '%s\n' "${VARIANTS[@]}"; fi
}
