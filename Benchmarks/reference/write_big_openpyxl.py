"""Reference: openpyxl (write_only) writing a CSV to XLSX."""
import csv, sys
from openpyxl import Workbook
src, dst = sys.argv[1], sys.argv[2]
wb = Workbook(write_only=True)
ws = wb.create_sheet()
def conv(v):
    try:
        return float(v)
    except ValueError:
        return v
with open(src, newline="", encoding="utf-8") as f:
    for row in csv.reader(f):
        ws.append([conv(v) for v in row])
wb.save(dst)
