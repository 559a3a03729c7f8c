"""Reference merge in Python: reads every unit workbook (python-calamine, or openpyxl with
--openpyxl), finds the table under the STT header, matches rows to the form by position (the
generated units follow the form's order — simpler than bieumau's matching by code and label),
sums counts and money with Decimal, recomputes ratios from summed parts, counts yes answers,
and writes the parent's sheet with XlsxWriter.
Usage: merge_calamine.py [--openpyxl] UNIT_DIR OUT.xlsx"""
import os, sys
from decimal import Decimal
import xlsxwriter, yaml

args = sys.argv[1:]
use_openpyxl = args and args[0] == "--openpyxl"
if use_openpyxl:
    args = args[1:]
unit_dir, out = args
root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
form = yaml.safe_load(open(os.path.join(root, "Templates", "cchc-2023", "form.yaml"), encoding="utf-8"))
rows = form["rows"]

def read(path):
    if use_openpyxl:
        from openpyxl import load_workbook
        wb = load_workbook(path, read_only=True, data_only=True)
        return [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
    from python_calamine import CalamineWorkbook
    return CalamineWorkbook.from_path(path).get_sheet_by_index(0).to_python()

sums = {r["id"]: Decimal(0) for r in rows}
yes = {r["id"]: 0 for r in rows}
units = 0
for name in sorted(os.listdir(unit_dir)):
    if not name.endswith(".xlsx"):
        continue
    data = read(os.path.join(unit_dir, name))
    start = next(i for i, r in enumerate(data) if r and r[0] == "STT") + 2
    units += 1
    for r, cells in zip(rows, data[start:]):
        v = cells[3] if len(cells) > 3 else None
        if r["kind"] in ("count", "money") and v not in (None, ""):
            sums[r["id"]] += Decimal(str(v))
        elif r["kind"] == "yesno" and v == "Có":
            yes[r["id"]] += 1

wb = xlsxwriter.Workbook(out)
ws = wb.add_worksheet("Tổng hợp")
ws.write_row(0, 0, ["STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Số liệu", "Ghi chú"])
for i, r in enumerate(rows, start=1):
    k = r["kind"]
    value = ""
    if k in ("count", "money"):
        value = float(sums[r["id"]])
    elif k == "ratio" and r.get("numerator"):
        d = sums[r["denominator"]]
        value = float(sums[r["numerator"]] * 100 / d) if d else ""
    elif k == "yesno":
        value = yes[r["id"]]
    ws.write_row(i, 0, [r.get("code", ""), r["label"], r.get("unit", ""), value, ""])
wb.close()
print(f"merged {units} units")
