#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# report.sh - results of the last boots, baseline and patched side by side,
# and the verdict: does the series regress or splat?
#
# Per variant, logs/<variant>/console.log is cut in two KTAP documents:
# the kernel's KUnit output (before "# ktsc-guest: begin") and the guest's
# (after it, minus interleaved printk lines), each parsed by the tree's own
# tools/testing/kunit/kunit.py parse --json.  A grep for splats adds the row
# "kernel.splats", and a guest that never reached "# ktsc-guest: end" (panic,
# hang, timeout) adds a failing "guest.complete" row.
#
# A/B: under TCG on a loaded host some selftests time out at random.  When
# a test's result differs between baseline and patched, and the patched
# kernel did not pass it, the patched kernel is booted once more running
# only those tests, KTSC_RERUNS times (default 3; boot.sh with
# ktsc.only=... ktsc.repeat=N, the copies side by side where their locks
# allow, each copy's timeout capped at 3 times what a passing first run
# took; logs in logs/<variant>/rerun/); then the baseline likewise, for
# those tests only whose patched runs all agree (where the patched kernel
# both passed and failed, the test is flaky whatever the baseline does).
# A test the patched kernel passed and the baseline did not is re-run on
# the baseline only: it cannot be a regression, and the baseline's re-runs
# are cached (boot.sh).  The pass counts over all runs decide
# (KTSC_RERUNS=0: the first runs alone):
#   regression   passes every time on baseline, never on patched
#   fixed        the reverse ("0/4 vs 1/1": the patched kernel passed its
#                one run, the baseline never)
#   flaky        anything else ("khugepaged.swap 2/4 vs 3/4: flaky";
#                "1/1 vs 2/4": the baseline was not re-run)
# A test failing on both kernels is listed, not counted against the series.
# A re-run boot that does not complete (hang, panic, its boot timeout) is
# said: its tests' counts carry "(patched: 1 of 3 re-runs finished)" and
# the report a note, never fewer runs counted in silence.
#
# Writes logs/report.tsv (test, base, patched, verdict) and prints a table,
# the flakes with their pass counts, "N passed, N failed" for the patched
# kernel (for base when only base was booted), and a last line
# "verdict: ok ..." (exit 0) or "verdict: FAIL ..." (exit 1) when the
# patched kernel regresses, splats or does not complete its run.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
load_source

LOGS=$KTSC_CACHE/logs
KUNIT_PY=$BASE_TREE/tools/testing/kunit/kunit.py
SPLATS='Kernel panic|BUG:|WARNING:|possible circular locking|INFO: possible|KASAN|Oops|general protection fault|Unable to handle'
RERUNS=${KTSC_RERUNS:-3}
# The boot step of the re-runs (a test replaces it to play a hung boot).
BOOT=${KTSC_BOOT_STEP:-$KSCRIPTS/boot.sh}

# flatten MODE JSON TOPS: "name<TAB>PASS|FAIL|SKIP" rows.  KUnit suites
# become one row each ("kunit.<suite>"); guest tests keep their nested
# cases.  The guest's top-level test names go to TOPS (re-runs select them).
flatten()
{
	python3 -c '
import json, sys
mode, tops = sys.argv[1], sys.argv[3]
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
doc = json.load(open(sys.argv[2]))
if tops:
    with open(tops, "w") as f:
        for t in [c["name"] for c in doc["test_cases"]] + [s["name"] for s in doc["sub_groups"]]:
            print(t, file=f)
for name, st in walk(doc, ""):
    print(f"{name}\t{st}")
' "$@"
}

# results DIR: rows of the boot logged in DIR into DIR/results.tsv
results()
{
	local d=$1 log=$1/console.log splat
	[[ -f $log ]] || return 1
	sed '/^# ktsc-guest: begin$/,$d' "$log" >"$d/kunit.ktap"
	sed -n '/^# ktsc-guest: begin$/,$p' "$log" | grep -v '^\[ *[0-9.]*\]' >"$d/guest.ktap" || true
	{
		# kunit.py exits non-zero when a test failed: that is data here
		rm -f "$d/guest.json" "$d/kunit.json"
		python3 "$KUNIT_PY" parse --json="$d/guest.json" "$d/guest.ktap" >"$d/guest.parse" 2>&1 || true
		python3 "$KUNIT_PY" parse --json="$d/kunit.json" "$d/kunit.ktap" >"$d/kunit.parse" 2>&1 || true
		[[ -s $d/guest.json ]] && flatten case "$d/guest.json" "$d/tests.txt"
		[[ -s $d/kunit.json ]] && flatten suite "$d/kunit.json" ""
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

# status_of FILE TEST: the first-run status of TEST in a results.tsv.
status_of() { awk -F'\t' -v t="$2" '$1 == t && $2 != "REASON" { print $2; exit }' "$1"; }

# guest_test_of ROW: the guest test that produces ROW ("rmap_stress.fork"
# -> "rmap_stress"), "kunit" for KUnit suites, empty for the summary rows.
guest_test_of()
{
	local row=$1 t best=
	case $row in
	kunit.*) echo kunit; return ;;
	guest.complete | kernel.splats) return ;;
	esac
	while read -r t; do
		[[ $row == "$t" || $row == "$t".* ]] && ((${#t} > ${#best})) && best=$t
	done < <(cat "$LOGS"/base/tests.txt "$LOGS"/patched/tests.txt 2>/dev/null)
	echo "$best"
}

# rerun V TESTS...: boot kernel V once more, running only TESTS (guest
# test names, or "kunit") RERUNS times (the copies side by side where
# their locks allow, guest-init.sh), each copy's timeout capped (cap
# below); reuses an earlier re-run of the same request for the same first
# boots.
rerun()
{
	local v=$1 only kunit=0 append req cap
	shift
	only=$(printf '%s\n' "$@" | grep -vx kunit | paste -sd, -)
	printf '%s\n' "$@" | grep -qx kunit && kunit=1
	append="ktsc.repeat=$RERUNS"
	[[ -n $only ]] && append+=" ktsc.only=$only"
	# KUnit runs at every boot; skip it unless one of its suites differed.
	((kunit)) || append+=" kunit.enable=0"
	[[ -n $only ]] || append+=" ktsc.only=guest_env"
	cap=$(cap "$@")
	[[ -n $cap ]] && append+=" ktsc.timeout=$cap"
	req=$( { echo "$v $append"; cat "$LOGS/base/console.log" "$LOGS/patched/console.log"; } | sha256sum)
	if [[ $(cat "$LOGS/$v/rerun.old/request" 2>/dev/null) == "$req" ]]; then
		mv "$LOGS/$v/rerun.old" "$LOGS/$v/rerun"
	else
		log "re-running on $v, $RERUNS times: $*${cap:+ (timeout ${cap}s each)}"
		KTSC_RUN=rerun KTSC_APPEND="$append" "$BOOT" "$v" >&2
		echo "$req" >"$LOGS/$v/rerun/request"
	fi
	results "$LOGS/$v/rerun" || die "no re-run log for $v"
	rerun_of[$v]=" $* "
}

# short V ROW: " (V: K of N re-runs finished)" when ROW's guest test was
# re-run on V and fewer runs than asked for came back, else nothing.
short()
{
	local v=$1 t p n
	t=$(guest_test_of "$2")
	[[ -n $t && ${rerun_of[$v]:-} == *" $t "* ]] || return 0
	read -r p n < <(passes "$LOGS/$v" "$2")
	((n - 1 < RERUNS)) && printf ' (%s: %d of %d re-runs finished)' "$v" $((n > 0 ? n - 1 : 0)) "$RERUNS"
	return 0
}

# cap TESTS...: a timeout for each re-run copy: 3 times the longest time
# one of TESTS took in a first run that passed (at least 60 s), so that a
# test that hangs on one kernel costs minutes, not its full timeout, per
# copy.  Empty (no cap) when none of them passed a first run.
cap()
{
	local t
	for t in "$@"; do
		sed -n "s/^# $t: exit 0, \([0-9]*\)s.*/\1/p" "$LOGS/base/guest.ktap" "$LOGS/patched/guest.ktap"
	done | sort -n | tail -1 | awk 'NF { s = 3 * $1; print s < 60 ? 60 : s }'
}

# passes DIR ROW: "P N": passes and runs of ROW in the first boot's
# results (DIR/results.tsv) and in DIR/rerun/results.tsv.  A SKIP is a
# run that did not pass: a test that passes on baseline and always skips
# on patched lost what it tests.
passes()
{
	local f=("$1/results.tsv")
	[[ -f $1/rerun/results.tsv ]] && f+=("$1/rerun/results.tsv")
	awk -F'\t' -v t="$2" '
		FNR == 1 { file++ }
		$1 != t || $2 == "REASON" { next }
		file == 1 && done1 { next }
		{ n++; if ($2 == "PASS") p++; if (file == 1) done1 = 1 }
		END { printf "%d %d\n", p, n }' "${f[@]}"
}

have=()
for v in "${VARIANTS[@]}"; do results "$LOGS/$v" && have+=("$v"); done
((${#have[@]})) || die "no console logs in $LOGS; run scripts/kernel/boot.sh"
judged=${have[-1]}	# patched when it was booted, else base
B=$LOGS/base/results.tsv P=$LOGS/patched/results.tsv

# The tests whose first-run results differ, and the guest tests to re-run.
declare -A verdict=() counts=() rerun_of=()
differ=() again=()
if [[ -f $B && -f $P ]]; then
	mapfile -t differ < <(awk -F'\t' '$2 == "REASON" { next }
		FNR == NR { b[$1] = $2; next }
		!($1 in b) || b[$1] != $2 { print $1 }' "$B" "$P" | grep -vx -e guest.complete -e kernel.splats || true)
	# The patched kernel is re-run for the rows it did not pass: those
	# could be regressions.  A row it passed and the baseline did not can
	# only be a flake or a fix, which the baseline's re-runs tell apart
	# (and those are cached, boot.sh: a flake in the cached baseline run
	# costs a warm run no boot).
	for r in "${differ[@]}"; do
		[[ $(status_of "$P" "$r") == PASS ]] && continue
		t=$(guest_test_of "$r")
		[[ -n $t ]] && again+=("$t")
	done
	mapfile -t again < <(printf '%s\n' "${again[@]}" | awk 'NF && !seen[$0]++')
	# The patched kernel first.  The baseline is re-run only for the tests
	# whose patched runs all agree (all pass or none does): there it tells
	# a regression (or a fix) from a flake.  Where the patched kernel both
	# passed and failed, the test is flaky whatever the baseline does.
	# (earlier re-runs are set aside: rerun() takes one back when it was
	# the same request on the same first boots)
	for v in base patched; do
		rm -rf "$LOGS/$v/rerun.old"
		[[ ! -d $LOGS/$v/rerun ]] || mv "$LOGS/$v/rerun" "$LOGS/$v/rerun.old"
	done
	if ((${#differ[@]} && RERUNS > 0)); then
		((${#again[@]} == 0)) || rerun patched "${again[@]}"
		base_again=()
		for r in "${differ[@]}"; do
			read -r pp np < <(passes "$LOGS/patched" "$r")
			((pp == 0 || pp == np)) && base_again+=("$(guest_test_of "$r")")
		done
		mapfile -t base_again < <(printf '%s\n' "${base_again[@]}" | awk 'NF && !seen[$0]++')
		((${#base_again[@]} == 0)) || rerun base "${base_again[@]}"
	fi
	rm -rf "$LOGS/base/rerun.old" "$LOGS/patched/rerun.old"
	for r in "${differ[@]}"; do
		read -r pb nb < <(passes "$LOGS/base" "$r")
		read -r pp np < <(passes "$LOGS/patched" "$r")
		counts[$r]="$pb/$nb vs $pp/$np$(short base "$r")$(short patched "$r")"
		if ((nb == 0 || np == 0)); then
			verdict[$r]='only-one'	# ran on one kernel only
		elif ((pb == nb && pp == 0)); then
			verdict[$r]=regression
		elif ((pp == np && pb == 0)); then
			verdict[$r]=fixed
		else
			verdict[$r]=flaky
		fi
	done
fi

# Join on test name, first-seen order; prints the table and the totals.
vfile=$LOGS/verdicts.tsv
for r in "${!verdict[@]}"; do printf '%s\t%s\t%s\n' "$r" "${verdict[$r]}" "${counts[$r]}"; done >"$vfile"
files=("$vfile")
for v in "${have[@]}"; do files+=("$LOGS/$v/results.tsv"); done
awk -F'\t' -v judged="$judged" -v out="$LOGS/report.tsv" -v logs="$LOGS" '
	FILENAME ~ /verdicts.tsv$/ { vd[$1] = $2; cnt[$1] = $3; next }
	FNR == 1 { v = FILENAME; sub(/.*\/logs\//, "", v); sub(/\/.*/, "", v) }
	$2 == "REASON" { why[$1] = v ": " $3; next }
	!($1 in seen) { seen[$1] = 1; order[++n] = $1 }
	{ res[v, $1] = $2; if ($3 != "") why[$1] = v ": " $3 }
	END {
		fmt = "%-36s %-8s %-8s %s\n"
		printf fmt, "test", "base", "patched", ""
		printf "test\tbase\tpatched\tverdict\n" >out
		for (i = 1; i <= n; i++) {
			t = order[i]
			b = res["base", t]; p = res["patched", t]
			d = (t in vd) ? vd[t] : (b == "" || p == "") ? "" : (b == "FAIL" && p == "FAIL") ? "fails-on-both" : "same"
			printf fmt, t, b == "" ? "-" : b, p == "" ? "-" : p, (t in vd) ? d " " cnt[t] : d == "fails-on-both" ? d : ""
			printf "%s\t%s\t%s\t%s\n", t, b, p, d >out
			r = res[judged, t]
			if (r == "PASS") pass++
			else if (r != "SKIP" && r != "") fail++
		}
		for (t in why) printf "# %s: %s\n", t, why[t]
		printf "# counted: %s; table: %s; console logs: %s/<variant>/console.log\n", judged, out, logs
		printf "%d passed, %d failed\n", pass, fail
	}' "${files[@]}"

# Where the baseline figures came from (boot.sh: a boot now, or the cache).
[[ -f $LOGS/base/origin ]] && echo "# baseline: $(cat "$LOGS/base/origin")"
[[ -f $LOGS/base/rerun/origin ]] && echo "# baseline re-runs: $(cat "$LOGS/base/rerun/origin")"

# The verdict on the patched kernel.
[[ $judged == patched ]] || { echo "verdict: baseline only (no patched boot to judge)"; exit 0; }
bad=() notes=()
for r in "${!verdict[@]}"; do
	case ${verdict[$r]} in
	regression) bad+=("regression: $r ${counts[$r]}") ;;
	flaky)      notes+=("$r ${counts[$r]}: flaky, not a regression") ;;
	fixed)      notes+=("$r ${counts[$r]}: fixed by the series") ;;
	only-one)   notes+=("$r ${counts[$r]}: ran on one kernel only") ;;
	esac
done
for d in "$LOGS/patched" "$LOGS/patched/rerun"; do
	[[ -f $d/results.tsv ]] || continue
	[[ $(status_of "$d/results.tsv" kernel.splats) == PASS ]] ||
		bad+=("splat on the patched kernel: $(awk -F'\t' '$1 == "kernel.splats" { print $3 }' "$d/results.tsv")")
done
[[ $(status_of "$P" guest.complete) == PASS ]] ||
	bad+=("the patched guest did not complete its run (panic, hang or timeout)")
for v in "${!rerun_of[@]}"; do
	[[ $(status_of "$LOGS/$v/rerun/results.tsv" guest.complete) == PASS ]] ||
		notes+=("the re-run boot of $v did not complete (panic, hang or timeout; log: $LOGS/$v/rerun/console.log): the counts hold only the runs that finished")
done
while IFS= read -r r; do
	notes+=("$r fails on both kernels: not caused by the series")
done < <(awk -F'\t' '$4 == "fails-on-both" { print $1 }' "$LOGS/report.tsv")
for n in "${notes[@]}"; do echo "# ab: $n"; done
if ((${#bad[@]})); then
	for n in "${bad[@]}"; do echo "# FAIL: $n"; done
	echo "verdict: FAIL (${#bad[@]} problem(s) with the patched kernel, see above)"
	exit 1
fi
echo "verdict: ok (no regression, no splat; ${#differ[@]} differing result(s), ${#notes[@]} note(s))"
