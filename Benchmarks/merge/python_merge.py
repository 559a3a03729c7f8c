#!/usr/bin/env python3
"""The same merge in Python, for comparison: python-calamine reads each unit workbook, rows are
matched to the form in order (code, else label), numbers summed exactly with Decimal, ratios
recomputed from the summed parts, yes/no counted, choices counted, and the parent's appendix
sheet written with XlsxWriter.

usage: python_merge.py FORM.yaml OUT.xlsx INPUT.xlsx..."""
import re
import sys
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

import xlsxwriter
import yaml
from python_calamine import CalamineWorkbook

form_path, out = sys.argv[1], sys.argv[2]
inputs = sys.argv[3:]
form = yaml.safe_load(open(form_path, encoding="utf-8"))
rows = form["rows"]
status_texts = {s.lower() for s in form.get("status_texts", [])}
yes = {s.lower() for s in form.get("yes_texts", ["Có"])}
no = {s.lower() for s in form.get("no_texts", ["Không"])}


def key(s):
    return " ".join(unicodedata.normalize("NFC", str(s)).lower().split())


def merge_rule(r):
    if "merge" in r:
        return r["merge"]
    k = r["kind"]
    if k in ("section", "group"):
        return "none"
    if k in ("count", "money"):
        return "sum"
    if k == "ratio":
        return "ratio" if r.get("numerator") and r.get("denominator") else "per-unit"
    return {"yesno": "count-yes", "choice": "choices"}.get(k, "per-unit")


VI_NUMBER = re.compile(r"^-?[0-9]{1,3}(\.[0-9]{3})*(,[0-9]+)?$|^-?[0-9]+(,[0-9]+)?$")


def number(v):
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        return Decimal(repr(v))
    s = str(v).strip().rstrip("%").strip()
    if VI_NUMBER.match(s):
        return Decimal(s.replace(".", "").replace(",", "."))
    return None


labels = [key(r["label"]) for r in rows]
codes = [r.get("code", "") for r in rows]
rules = [merge_rule(r) for r in rows]
index = {r["id"]: i for i, r in enumerate(rows)}
sums = [Decimal(0) for _ in rows]
has = [False for _ in rows]
yes_count = [0 for _ in rows]
choice_counts = [dict() for _ in rows]
left = [[] for _ in rows]
units = []

for path in inputs:
    wb = CalamineWorkbook.from_path(path)
    grid = wb.get_sheet_by_index(0).to_python()
    header = next(i for i, row in enumerate(grid) if row and str(row[0]).strip() == "STT")
    unit = ""
    for row in grid[:header]:
        t = str(row[0]).strip() if row else ""
        if t.upper().startswith("UBND") or t.upper().startswith("ỦY BAN"):
            unit = t
    units.append(unit)
    pos = 0
    for row in grid[header + 2:]:
        if len(row) < 4:
            continue
        stt, label, value = str(row[0]).strip(), key(row[1]), row[3]
        if stt == "STT" or not label:
            continue
        j = pos
        while j < len(rows):
            if (stt and stt == codes[j]) or (labels[j] == label and (not stt or not codes[j])):
                break
            j += 1
        if j == len(rows):
            continue
        pos = j + 1
        rule = rules[j]
        if value == "" or value is None:
            continue
        if rule == "sum":
            n = number(value)
            if n is None:
                left[j].append((unit, str(value)))
            else:
                sums[j] += n
                has[j] = True
        elif rule == "count-yes":
            t = key(value)
            if t in yes:
                yes_count[j] += 1
            elif t not in no:
                left[j].append((unit, str(value)))
        elif rule == "choices":
            for c in str(value).split(";"):
                c = c.strip()
                if c:
                    choice_counts[j][c] = choice_counts[j].get(c, 0) + 1

wb = xlsxwriter.Workbook(out)
ws = wb.add_worksheet("Tổng hợp")
ws.write_row(0, 0, ["STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Số liệu", "Ghi chú"])
for i, r in enumerate(rows):
    rule = rules[i]
    ws.write_string(i + 1, 0, r.get("code") or r.get("marker") or "")
    ws.write_string(i + 1, 1, r["label"])
    ws.write_string(i + 1, 2, r.get("unit", ""))
    note = "; ".join(f"{u}: {v}" for u, v in left[i])
    if rule == "sum" and has[i]:
        ws.write_number(i + 1, 3, float(sums[i]))
    elif rule == "ratio":
        n, d = index[r["numerator"]], index[r["denominator"]]
        if has[n] and has[d] and sums[d] != 0:
            q = (sums[n] * 100 / sums[d]).quantize(Decimal(10) ** -r.get("decimals", 2), rounding=ROUND_HALF_UP)
            ws.write_number(i + 1, 3, float(q))
        else:
            note = "Tổng mẫu số bằng 0"
    elif rule == "count-yes":
        ws.write_number(i + 1, 3, yes_count[i])
    elif rule == "choices":
        ws.write_string(i + 1, 3, "; ".join(f"{c} ({n})" for c, n in choice_counts[i].items()))
    if note:
        ws.write_string(i + 1, 4, note)
wb.close()
print(f"{len(units)} units merged")
