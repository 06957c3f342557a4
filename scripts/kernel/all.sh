#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# all.sh - the whole harness in order, with the time of each step:
# setup source apply build guest boot report.  Stops at the first failure;
# the last line is report.sh's "N passed, N failed".
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

t_all=$SECONDS
for step in setup source apply build guest boot report; do
	t0=$SECONDS
	echo "[$step] …" >&2
	"$KSCRIPTS/$step.sh" || die "[$step] failed after $((SECONDS - t0)) s"
	echo "[$step] ok $((SECONDS - t0)) s" >&2
done
echo "[all] $((SECONDS - t_all)) s" >&2
