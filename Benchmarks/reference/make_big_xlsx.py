"""Deterministic N x 10 sheet for the read benchmark (python XlsxWriter, constant_memory): integers,
decimals, a percent and a date column, inline strings with Vietnamese text and quotes.
Usage: make_big_xlsx.py OUT.xlsx [ROWS]"""
import sys, xlsxwriter
rows = int(sys.argv[2]) if len(sys.argv) > 2 else 200_000
wb = xlsxwriter.Workbook(sys.argv[1], {"constant_memory": True})
ws = wb.add_worksheet("Data")
date = wb.add_format({"num_format": "dd/mm/yyyy"})
pct = wb.add_format({"num_format": "0.00%"})
ws.write_row(0, 0, ["STT", "Đơn vị", "Chỉ tiêu", "Kế hoạch", "Thực hiện", "Tỉ lệ", "Ngày", "Mã", "Ghi chú", "Giá trị"])
for i in range(1, rows):
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
