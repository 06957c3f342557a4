# shellcheck shell=bash
#
# Common definitions for the ktsc kernel harness, sourced by every step.
#
# Everything the harness produces lives under one cache directory outside
# the repository, so a run is resumable and "rm -rf $KTSC_CACHE" is a full
# reset:
#
#   linux/             git repo made from Debian's linux-source tarball
#   trees/base         baseline worktree (only when KERNEL_SRC is given)
#   trees/patched      worktree on branch ktsc/patched = base + series
#   build/<variant>/   O= kernel build directories
#   guest/<variant>/   selftests, exerciser and initramfs.cpio.gz
#   logs/<variant>/    console logs of the last boot, parsed results
#   state/             small files recording what each step last did
#   ccache/            compiler cache
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

# tree_of VARIANT: source tree of a variant.
tree_of()
{
	case $1 in
	base)    echo "$BASE_TREE" ;;
	patched) echo "$KTSC_CACHE/trees/patched" ;;
	*)       die "unknown variant '$1' (want: ${VARIANTS[*]})" ;;
	esac
}

# variants_from ARGS...: the variants named on the command line, or all.
variants_from()
{
	if (($#)); then printf '%s\n' "$@"; else printf '%s\n' "${VARIANTS[@]}"; fi
}
