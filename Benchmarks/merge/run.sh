#!/usr/bin/env bash
# Merging N units (default 700): `bieumau merge` (release build) against the Python reference doing
# the same merge (Benchmarks/reference/merge_calamine.py: python-calamine or openpyxl + XlsxWriter),
# in one run; prints wall, user, system CPU and peak RSS, the CPU ratio, and checks that the merged
# values are the same (Benchmarks/reference/compare_merged.py). A thin wrapper: the generator and the
# reference live in Benchmarks/reference/ (Benchmarks/bench.py uses the same scripts). Not a test.
# usage: Benchmarks/merge/run.sh [N]   (work files under ${BENCH_DIR:-/tmp/bieumau-bench-merge};
#        release build in ${SCRATCH:-.build-release}; OPENPYXL=1 also times the openpyxl variant)
# Both tools do the same work: with per-unit sheets up to 200 units (bieumau's `auto`), without them
# above (the scale case: `--unit-sheets no` / `--no-unit-sheets`), passed explicitly to both.
set -euo pipefail
cd "$(dirname "$0")/../.."
N="${1:-700}"
DIR="${BENCH_DIR:-/tmp/bieumau-bench-merge}"
SCRATCH="${SCRATCH:-.build-release}"
FORM=Templates/cchc-2023/form.yaml
REF=Benchmarks/reference
if [ ! -x /usr/bin/time ]; then apt-get install -y time >/dev/null; fi
python3 -c "import xlsxwriter, python_calamine, yaml, openpyxl" 2>/dev/null || pip install xlsxwriter python-calamine pyyaml openpyxl

mkdir -p "$DIR"
if [ "$(ls "$DIR"/units 2>/dev/null | wc -l)" != "$N" ]; then
  rm -rf "$DIR/units"
  echo "generating $N unit workbooks in $DIR/units" >&2
  python3 "$REF/make_units.py" "$FORM" "$DIR/units" "$N"
fi
echo "building release (--scratch-path $SCRATCH)" >&2
swift build -c release --scratch-path "$SCRATCH" --product bieumau >&2
BIN="$SCRATCH/release/bieumau"

run() { # label, command...
  local label=$1; shift
  /usr/bin/time -o "$DIR/$label.time" -f "%e %U %S %M" "$@" >/dev/null 2>"$DIR/$label.err"
  read -r wall user sys rss < "$DIR/$label.time"
  printf "%-28s %8s %8s %8s %10s\n" "$label" "$wall" "$user" "$sys" "$((rss / 1024)) MiB"
  echo "$label $wall $user $sys $rss" >> "$DIR/results.txt"
}
: > "$DIR/results.txt"
UNIT="ỦY BAN NHÂN DÂN TỈNH BẮC KẠN"
if [ "$N" -gt 200 ]; then BM_SHEETS=(--unit-sheets no); PY_SHEETS=(--no-unit-sheets); else BM_SHEETS=(--unit-sheets yes); PY_SHEETS=(); fi
printf "%-28s %8s %8s %8s %10s\n" "merge of $N units" "wall s" "user s" "sys s" "peak RSS"
BIEUMAU_TIMING=1 run bieumau "$BIN" merge "$DIR/units" -o "$DIR/merged.xlsx" --unit "$UNIT" --period "Quý I/2023" --force "${BM_SHEETS[@]}"
run python-calamine+xlsxwriter python3 "$REF/merge_calamine.py" "${PY_SHEETS[@]}" "$DIR/units" "$DIR/python.xlsx" --unit "$UNIT"
if [ -n "${OPENPYXL:-}" ]; then
  run openpyxl+xlsxwriter python3 "$REF/merge_calamine.py" --openpyxl "${PY_SHEETS[@]}" "$DIR/units" "$DIR/openpyxl.xlsx" --unit "$UNIT"
fi
grep timing "$DIR/bieumau.err" || true
awk 'NR==1{bu=$3+$4} NR==2{pu=$3+$4} END{ if (bu>0) printf "CPU (user+sys) ratio python/bieumau: %.2fx\n", pu/bu }' "$DIR/results.txt"
python3 "$REF/compare_merged.py" "$DIR/merged.xlsx" "$DIR/python.xlsx"
