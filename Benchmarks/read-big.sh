#!/usr/bin/env bash
# Reads a deterministic 200,000 × 10 sheet with bieumau and three Python readers and prints
# wall time, CPU time and peak RSS for each. Usage: Benchmarks/read-big.sh [work-folder]
# Needs: python3 with xlsxwriter, python_calamine, fastexcel, openpyxl; GNU time (/usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/.."
WORK="${1:-${TMPDIR:-/tmp}/bieumau-read-big}"
mkdir -p "$WORK"
BIG="$WORK/big-200000x10.xlsx"

if [ ! -x /usr/bin/time ]; then
    echo "installing GNU time" >&2
    (apt-get install -y time || sudo apt-get install -y time) >/dev/null
fi

if [ ! -s "$BIG" ]; then
    echo "generating $BIG" >&2
    python3 - "$BIG" <<'PY'
import sys, xlsxwriter
wb = xlsxwriter.Workbook(sys.argv[1], {"constant_memory": True})
ws = wb.add_worksheet("Data")
date = wb.add_format({"num_format": "dd/mm/yyyy"})
pct = wb.add_format({"num_format": "0.00%"})
ws.write_row(0, 0, ["STT", "Đơn vị", "Chỉ tiêu", "Kế hoạch", "Thực hiện", "Tỉ lệ", "Ngày", "Mã", "Ghi chú", "Giá trị"])
for i in range(1, 200000):
    ws.write_number(i, 0, i)
    ws.write_string(i, 1, "Đơn vị số %d" % (i % 1000))
    ws.write_string(i, 2, "Chỉ tiêu %d" % (i % 37))
    ws.write_number(i, 3, i * 1.25)
    ws.write_number(i, 4, (i * 7919) % 100003)
    ws.write_number(i, 5, (i % 997) / 1000.0, pct)
    ws.write_number(i, 6, 44927 + i % 3650, date)
    ws.write_string(i, 7, "M%06d" % i)
    ws.write_string(i, 8, "" if i % 3 else "ghi chú, có \"ngoặc\"")
    ws.write_number(i, 9, i / 7.0)
wb.close()
PY
fi

echo "building release (swift build -c release --scratch-path .build-release)" >&2
swift build -c release --scratch-path .build-release --product bieumau >&2
BIN=".build-release/release/bieumau"

measure() { # name, command...
    local name="$1"; shift
    local out="$WORK/time-${name//[^A-Za-z0-9]/_}.txt"
    /usr/bin/time -o "$out" -f "%e %U %S %M" "$@" >/dev/null
    read -r wall user sys rss < "$out"
    printf "| %-24s | %7.2f | %7.2f | %8.1f |\n" "$name" "$wall" "$(echo "$user + $sys" | bc)" "$(echo "scale=1; $rss / 1024" | bc)"
}

echo "file: $BIG ($(du -h "$BIG" | cut -f1)), $(nproc) cores, $(uname -m)"
echo
echo "| tool                     | wall s  | CPU s   | peak RSS MiB |"
echo "|--------------------------|---------|---------|----------|"
measure "bieumau dump -o file" "$BIN" dump "$BIG" -o "$WORK/out.csv" --force
measure "bieumau dump > /dev/null" "$BIN" dump "$BIG"
measure "python-calamine" python3 -c "
import sys, python_calamine as pc
rows = pc.CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_index(0).to_python()
assert len(rows) == 200000" "$BIG"
measure "fastexcel" python3 -c "
import sys, fastexcel
t = fastexcel.read_excel(sys.argv[1]).load_sheet(0).to_arrow()
assert t.num_rows == 199999" "$BIG"
measure "openpyxl read_only" python3 -c "
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1], read_only=True, data_only=True).worksheets[0]
n = sum(1 for _ in ws.iter_rows(values_only=True))
assert n == 200000" "$BIG"
measure "python3 (startup only)" python3 -c "import python_calamine, fastexcel"
echo
echo "bieumau output: $(wc -l < "$WORK/out.csv") lines, $(du -h "$WORK/out.csv" | cut -f1)"
