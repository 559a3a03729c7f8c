#!/usr/bin/env python3
"""Writes an appendix-shaped sheet (lines above the table, the two header rows, the table) the way
another producer would: `write_appendix.py openpyxl|xlsxwriter OUT.xlsx SPEC.json`.

SPEC: {"sheet": "Phụ lục", "above": ["UBND HUYỆN X", "UBND XÃ A", ...],
       "rows": [[stt, label, unit, value, note], ...]}
A value that is a JSON string is written as text, a JSON number as a number, and
{"percent": 0.99} as a number formatted 0.00% (what Excel users type as 99%)."""
import json
import sys

engine, out, spec_path = sys.argv[1:4]
spec = json.load(open(spec_path, encoding="utf-8"))
sheet = spec.get("sheet", "Phụ lục")
above = spec.get("above", [])
rows = spec["rows"]

header1 = ["STT", "Chỉ tiêu thống kê", "Kết quả thống kê", None, "Ghi chú"]
header2 = [None, None, "Đơn vị tính", "Số liệu", None]

if engine == "openpyxl":
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    r = 1
    for line in above:
        ws.cell(row=r, column=1, value=line)
        r += 1
    r += 1
    for h in (header1, header2):
        for c, v in enumerate(h, start=1):
            if v is not None:
                ws.cell(row=r, column=c, value=v)
        r += 1
    ws.merge_cells(start_row=r - 2, start_column=3, end_row=r - 2, end_column=4)
    for row in rows:
        for c, v in enumerate(row, start=1):
            if v is None or v == "":
                continue
            if isinstance(v, dict):
                cell = ws.cell(row=r, column=c, value=v["percent"])
                cell.number_format = "0.00%"
            else:
                ws.cell(row=r, column=c, value=v)
        r += 1
    wb.save(out)
elif engine == "xlsxwriter":
    import xlsxwriter
    wb = xlsxwriter.Workbook(out)
    ws = wb.add_worksheet(sheet)
    pct = wb.add_format({"num_format": "0.00%"})
    r = 0
    for line in above:
        ws.write_string(r, 0, line)
        r += 1
    r += 1
    ws.merge_range(r, 2, r, 3, "Kết quả thống kê")
    ws.write_string(r, 0, "STT")
    ws.write_string(r, 1, "Chỉ tiêu thống kê")
    ws.write_string(r, 4, "Ghi chú")
    r += 1
    ws.write_string(r, 2, "Đơn vị tính")
    ws.write_string(r, 3, "Số liệu")
    r += 1
    for row in rows:
        for c, v in enumerate(row):
            if v is None or v == "":
                continue
            if isinstance(v, dict):
                ws.write_number(r, c, v["percent"], pct)
            elif isinstance(v, (int, float)):
                ws.write_number(r, c, v)
            else:
                ws.write_string(r, c, v)
        r += 1
    wb.close()
else:
    sys.exit("unknown engine " + engine)
