#!/usr/bin/env python3
"""Generates N unit appendix workbooks of a form (e.g. Templates/cchc-2023/form.yaml),
deterministically (seeded per unit), with XlsxWriter and no bieumau properties, laid out as units'
own tools write them: the parent body and the unit, "Phụ lục", the title, the period, the
"(Kèm theo Báo cáo số …)" line, the two header rows (STT | Chỉ tiêu thống kê | Kết quả thống kê
(Đơn vị tính, Số liệu) | Ghi chú), then the table. So a reader must find the table and recognise
the form from its rows. Values of every kind: counts (with ~4 % status texts such as
"Chưa thực hiện"), money with decimals, ratios as fractions formatted 0.00 %, numerators never
above their denominators, Có/Không, one or two choices, text.

Usage: make_units.py FORM.yaml OUT_DIR N   (used by Benchmarks/bench.py and Benchmarks/merge/run.sh)"""
import os
import random
import sys

import xlsxwriter
import yaml

form_path, outdir, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
form = yaml.safe_load(open(form_path, encoding="utf-8"))
rows = form["rows"]
by_id = {r["id"]: r for r in rows}
status_texts = form.get("status_texts", ["Chưa thực hiện"])
os.makedirs(outdir, exist_ok=True)

# Parts of ratios: denominators first, then numerators no larger than them.
numerators = {r["numerator"]: r["denominator"] for r in rows if r.get("numerator") and r.get("denominator")}
denominators = set(numerators.values())


def unit_values(rng):
    v = {}
    for r in rows:
        kind = r["kind"]
        rid = r["id"]
        if kind in ("section", "group"):
            continue
        if kind == "count" and rid not in numerators:
            if rng.random() < 0.04:
                v[rid] = rng.choice(status_texts[:3])
            else:
                v[rid] = rng.randint(0 if rid not in denominators else 1, 400)
        elif kind == "money" and rid not in numerators:
            v[rid] = round(rng.randint(1000, 9_000_000) / 1000, 3)
    for num, den in numerators.items():
        d = v.get(den)
        d = d if isinstance(d, (int, float)) else 0
        if by_id[num]["kind"] == "money":
            v[num] = round(d * rng.randint(0, 1000) / 1000, 3)
        else:
            v[num] = rng.randint(0, int(d)) if d else 0
    for r in rows:
        rid = r["id"]
        if r["kind"] == "ratio":
            if r.get("numerator") and r.get("denominator"):
                num, den = v.get(r["numerator"]), v.get(r["denominator"])
                if isinstance(num, (int, float)) and isinstance(den, (int, float)) and den:
                    v[rid] = ("pct", num / den)
            else:
                v[rid] = ("pct", rng.randint(0, 10000) / 10000)
        elif r["kind"] == "yesno":
            v[rid] = rng.choice(["Có", "Không"])
        elif r["kind"] == "choice":
            v[rid] = "; ".join(rng.sample(r["choices"], rng.randint(1, 2)))
        elif r["kind"] == "text":
            v[rid] = "Ghi chú của đơn vị"
    return v


for i in range(1, n + 1):
    rng = random.Random(i)
    name = f"Xã Số {i:03d}"
    path = os.path.join(outdir, f"xa-{i:03d}.xlsx")
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet(form.get("sheet", "Phụ lục"))
    pct = wb.add_format({"num_format": "0.00%"})
    lines = ["UBND HUYỆN MẪU", f"UBND {name.upper()}", "Phụ lục", form["title"], "Quý I năm 2023",
             f"(Kèm theo Báo cáo số {i}/BC-UBND ngày 15/3/2023 của UBND {name})"]
    r = 0
    for line in lines:
        ws.write_string(r, 0, line)
        r += 1
    r += 1
    ws.write_string(r, 0, "STT")
    ws.write_string(r, 1, "Chỉ tiêu thống kê")
    ws.merge_range(r, 2, r, 3, "Kết quả thống kê")
    ws.write_string(r, 4, "Ghi chú")
    r += 1
    ws.write_string(r, 2, "Đơn vị tính")
    ws.write_string(r, 3, "Số liệu")
    r += 1
    values = unit_values(rng)
    for row in rows:
        stt = row.get("code") or row.get("marker") or ""
        if stt:
            ws.write_string(r, 0, stt)
        ws.write_string(r, 1, row["label"])
        if row.get("unit"):
            ws.write_string(r, 2, row["unit"])
        val = values.get(row["id"])
        if isinstance(val, tuple):
            ws.write_number(r, 3, val[1], pct)
        elif isinstance(val, (int, float)):
            ws.write_number(r, 3, val)
        elif isinstance(val, str):
            ws.write_string(r, 3, val)
        r += 1
    wb.close()
