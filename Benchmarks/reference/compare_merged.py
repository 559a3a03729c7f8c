#!/usr/bin/env python3
"""Checks that two merged workbooks hold the same merged values: the value column (D) of the
"Tổng hợp" sheet, and on "Chi tiết" the merged column (E) and every unit's column, row by row
(cached values of formulas, read with openpyxl), plus the number of sheets. Prints the
differences; exit 1 if any.

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
    # Every unit's value on Chi tiết (the last column holds the merge notes, worded freely).
    wa = load_workbook(a, read_only=True, data_only=True)["Chi tiết"]
    wb = load_workbook(b, read_only=True, data_only=True)["Chi tiết"]
    cells = 0
    for ra, rb in zip(wa.iter_rows(min_row=3, values_only=True), wb.iter_rows(min_row=3, values_only=True)):
        if len(ra) != len(rb):
            bad += 1
            continue
        for j, (va, vb) in enumerate(zip(ra[:-1], rb[:-1])):
            cells += 1
            if not same(va, vb):
                bad += 1
                if bad < 20:
                    print(f"Chi tiết {ra[0]!r} column {j + 1}: {va!r} vs {vb!r}")
    print(f"Chi tiết: {cells} cells compared")
    print("same merged values" if not bad else f"{bad} difference(s)")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
