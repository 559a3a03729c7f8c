#!/usr/bin/env python3
"""Checks that two merged workbooks hold the same merged values: the value column (D) of the
"Tổng hợp" sheet and the merged column (E) of "Chi tiết", row by row (cached values of formulas,
read with openpyxl), plus the number of sheets. Prints the differences; exit 1 if any.

Usage: compare_merged.py A.xlsx B.xlsx"""
import sys

from openpyxl import load_workbook


def column(path, sheet, col, first_row):
    wb = load_workbook(path, read_only=True, data_only=True)
    ws = wb[sheet]
    out = [(r[0], r[col]) for r in ws.iter_rows(min_row=first_row, values_only=True) if len(r) > col]
    n = len(wb.sheetnames)
    wb.close()
    return out, n


def same(a, b):
    if a in (None, "") and b in (None, ""):
        return True
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))
    return str(a).strip() == str(b).strip()


def main():
    a, b = sys.argv[1], sys.argv[2]
    bad = 0
    for sheet, col, first in (("Tổng hợp", 3, 11), ("Chi tiết", 4, 4)):
        ra, na = column(a, sheet, col, first)
        rb, nb = column(b, sheet, col, first)
        if len(ra) != len(rb):
            print(f"{sheet}: {len(ra)} rows vs {len(rb)} rows")
            bad += 1
        for i, ((ca, va), (cb, vb)) in enumerate(zip(ra, rb)):
            if not same(va, vb) or not same(ca, cb):
                print(f"{sheet} row {first + i}: {ca!r} {va!r} vs {cb!r} {vb!r}")
                bad += 1
        print(f"{sheet}: {len(ra)} rows compared, sheets {na} vs {nb}")
        if na != nb:
            bad += 1
    print("same merged values" if not bad else f"{bad} difference(s)")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
