#!/usr/bin/env bash
# Merging 700 units: `bieumau merge` (release build) against python-calamine + XlsxWriter doing the
# same merge. Prints wall, user CPU, system CPU and peak RSS side by side. Not a test.
# usage: Benchmarks/merge/run.sh [N]   (default 700; work files under ${BENCH_DIR:-/tmp/bieumau-bench-merge})
set -euo pipefail
cd "$(dirname "$0")/../.."
N="${1:-700}"
DIR="${BENCH_DIR:-/tmp/bieumau-bench-merge}"
FORM=Templates/cchc-2023/form.yaml
if [ ! -x /usr/bin/time ]; then apt-get install -y time >/dev/null; fi
python3 -c "import xlsxwriter, python_calamine, yaml" 2>/dev/null || pip install xlsxwriter python-calamine pyyaml

mkdir -p "$DIR"
if [ "$(ls "$DIR"/units 2>/dev/null | wc -l)" != "$N" ]; then
  rm -rf "$DIR/units"
  echo "generating $N unit workbooks in $DIR/units" >&2
  python3 Benchmarks/merge/generate.py "$FORM" "$DIR/units" "$N"
fi
echo "building release (--scratch-path .build-release)" >&2
swift build -c release --scratch-path .build-release --product bieumau >&2
BIN=.build-release/release/bieumau

run() { # label, command...
  local label=$1; shift
  /usr/bin/time -o "$DIR/$label.time" -f "%e %U %S %M" "$@" >/dev/null 2>"$DIR/$label.err"
  read -r wall user sys rss < "$DIR/$label.time"
  printf "%-28s %8s %8s %8s %10s\n" "$label" "$wall" "$user" "$sys" "$((rss / 1024)) MiB"
  echo "$label $wall $user $sys $rss" >> "$DIR/results.txt"
}
: > "$DIR/results.txt"
printf "%-28s %8s %8s %8s %10s\n" "merge of $N units" "wall s" "user s" "sys s" "peak RSS"
BIEUMAU_TIMING=1 run bieumau "$BIN" merge "$DIR/units" -o "$DIR/merged.xlsx" --unit "UBND HUYỆN MẪU" --period "Quý I/2023" --force
run python-calamine+xlsxwriter python3 Benchmarks/merge/python_merge.py "$FORM" "$DIR/python.xlsx" "$DIR"/units/*.xlsx
grep timing "$DIR/bieumau.err" || true
awk 'NR==1{bu=$3+$4} NR==2{pu=$3+$4} END{ if (bu>0) printf "CPU (user+sys) ratio python/bieumau: %.2fx\n", pu/bu }' "$DIR/results.txt"
