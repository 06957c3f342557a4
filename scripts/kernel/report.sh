#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# report.sh - results of the last boots, baseline and patched side by side.
#
# Per variant, logs/<variant>/console.log is cut in two KTAP documents:
# the kernel's KUnit output (before "# ktsc-guest: begin") and the guest's
# (after it, minus interleaved printk lines), each parsed by the tree's own
# tools/testing/kunit/kunit.py parse --json.  A grep for splats adds the row
# "kernel.splats", and a guest that never reached "# ktsc-guest: end" (panic,
# hang, timeout) adds a failing "guest.complete" row.
#
# Writes logs/report.tsv (test, base, patched) and prints a table whose
# last line, read by CI, is "N passed, N failed" for the patched kernel
# (for base when only base was booted).  SKIPs count as neither.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
load_source

LOGS=$KTSC_CACHE/logs
KUNIT_PY=$BASE_TREE/tools/testing/kunit/kunit.py
SPLATS='Kernel panic|BUG:|WARNING:|possible circular locking|INFO: possible|KASAN|Oops|general protection fault|Unable to handle'

# flatten JSON: "name<TAB>PASS|FAIL|SKIP" rows.  KUnit suites become one
# row each ("kunit.<suite>"); guest tests keep their nested cases.
flatten()
{
	python3 -c '
import json, sys
mode = sys.argv[1]
def walk(g, prefix):
    for c in g["test_cases"]:
        # kunit.py reports a cut-off document as a nameless ERROR case
        yield prefix + (c["name"] or "incomplete"), c["status"]
    for s in g["sub_groups"]:
        if mode == "suite":
            st = [x for _, x in walk(s, "")]
            agg = ("FAIL" if any(x not in ("PASS", "SKIP") for x in st) else
                   "SKIP" if st and all(x == "SKIP" for x in st) else "PASS")
            yield "kunit." + s["name"], agg
        else:
            yield from walk(s, prefix + s["name"] + ".")
for name, st in walk(json.load(open(sys.argv[2])), ""):
    print(f"{name}\t{st}")
' "$@"
}

# results VARIANT: rows for one variant into logs/VARIANT/results.tsv
results()
{
	local d=$LOGS/$1 log=$LOGS/$1/console.log splat
	[[ -f $log ]] || return 1
	sed '/^# ktsc-guest: begin$/,$d' "$log" >"$d/kunit.ktap"
	sed -n '/^# ktsc-guest: begin$/,$p' "$log" | grep -v '^\[ *[0-9.]*\]' >"$d/guest.ktap" || true
	{
		# kunit.py exits non-zero when a test failed: that is data here
		rm -f "$d/guest.json" "$d/kunit.json"
		python3 "$KUNIT_PY" parse --json="$d/guest.json" "$d/guest.ktap" >"$d/guest.parse" 2>&1 || true
		python3 "$KUNIT_PY" parse --json="$d/kunit.json" "$d/kunit.ktap" >"$d/kunit.parse" 2>&1 || true
		[[ -s $d/guest.json ]] && flatten case "$d/guest.json"
		[[ -s $d/kunit.json ]] && flatten suite "$d/kunit.json"
		# reasons of guest failures ("not ok 3 name # TIMEOUT after 300s")
		sed -n 's/^not ok [0-9]* \([^ ]*\) # \(.*\)/\1\tREASON\t\2/p' "$d/guest.ktap"
		if grep -q '^# ktsc-guest: end$' "$log"; then
			printf 'guest.complete\tPASS\n'
		else
			printf 'guest.complete\tFAIL\n'
		fi
		splat=$(grep -E -m1 "$SPLATS" "$log" | tr '\t' ' ' || true)
		if [[ -z $splat ]]; then printf 'kernel.splats\tPASS\n'; else printf 'kernel.splats\tFAIL\t%s\n' "$splat"; fi
	} >"$d/results.tsv"
}

have=()
for v in "${VARIANTS[@]}"; do results "$v" && have+=("$v"); done
((${#have[@]})) || die "no console logs in $LOGS; run scripts/kernel/boot.sh"
judged=${have[-1]}	# patched when it was booted, else base

files=()
for v in "${have[@]}"; do files+=("$LOGS/$v/results.tsv"); done

# Join on test name, first-seen order; prints the table and the totals.
awk -F'\t' -v judged="$judged" -v out="$LOGS/report.tsv" -v logs="$LOGS" '
	FNR == 1 { v = FILENAME; sub(/.*\/logs\//, "", v); sub(/\/.*/, "", v) }
	$2 == "REASON" { why[$1] = v ": " $3; next }
	!($1 in seen) { seen[$1] = 1; order[++n] = $1 }
	{ res[v, $1] = $2; if ($3 != "") why[$1] = v ": " $3 }
	END {
		fmt = "%-36s %-8s %-8s\n"
		printf fmt, "test", "base", "patched"
		printf "test\tbase\tpatched\n" >out
		for (i = 1; i <= n; i++) {
			t = order[i]
			b = res["base", t]; p = res["patched", t]
			printf fmt, t, b == "" ? "-" : b, p == "" ? "-" : p
			printf "%s\t%s\t%s\n", t, b, p >out
			r = res[judged, t]
			if (r == "PASS") pass++
			else if (r != "SKIP") fail++
		}
		for (t in why) printf "# %s: %s\n", t, why[t]
		printf "# counted: %s; table: %s; console logs: %s/<variant>/console.log\n", judged, out, logs
		printf "%d passed, %d failed\n", pass, fail
	}' "${files[@]}"
