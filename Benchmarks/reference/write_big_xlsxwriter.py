"""Reference: Python XlsxWriter (constant_memory) writing a CSV to XLSX."""
import csv, sys, xlsxwriter
src, dst = sys.argv[1], sys.argv[2]
wb = xlsxwriter.Workbook(dst, {"constant_memory": True})
ws = wb.add_worksheet()
with open(src, newline="", encoding="utf-8") as f:
    for r, row in enumerate(csv.reader(f)):
        for c, v in enumerate(row):
            try:
                ws.write_number(r, c, float(v))
            except ValueError:
                ws.write_string(r, c, v)
wb.close()
