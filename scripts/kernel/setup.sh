#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# setup.sh - install the Debian packages the kernel harness needs.
#
# Only missing packages are installed.  When not root, print the exact
# apt-get command instead and fail, so CI logs say what to do.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

pkgs=(
	# kernel build
	gcc make flex bison bc libelf-dev libssl-dev git xz-utils rsync lz4
	# guest: initramfs, busybox, static selftests (libnuma for
	# ksm_tests/migration), the emulator
	cpio gzip busybox-static libnuma-dev libc6-dev qemu-system-x86
	# KTAP parser (tools/testing/kunit/kunit.py); the base source is
	# fetched by source.sh without installing it (see base.env)
	python3 debian-archive-keyring
	# optional speed-up, used when present
	ccache
)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
		grep -q '^install ok installed$' || missing+=("$p")
done

if ((${#missing[@]} == 0)); then
	log "all ${#pkgs[@]} packages present"
	exit 0
fi

cmd=(apt-get install -y --no-install-recommends "${missing[@]}")
if ((EUID != 0)); then
	echo "missing packages; run as root:" >&2
	echo "  apt-get update && DEBIAN_FRONTEND=noninteractive ${cmd[*]}" >&2
	exit 1
fi
log "installing: ${missing[*]}"
apt-get update
DEBIAN_FRONTEND=noninteractive "${cmd[@]}"
