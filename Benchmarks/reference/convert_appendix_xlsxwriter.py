"""Reference: Python XlsxWriter laying out the seed appendix CSV (same layout as convert_appendix.c)."""
import csv, sys, xlsxwriter
src, dst = sys.argv[1], sys.argv[2]
wb = xlsxwriter.Workbook(dst)
ws = wb.add_worksheet("Phụ lục")
F = "Times New Roman"
title = wb.add_format({"font_name": F, "bold": True, "align": "center"})
head = wb.add_format({"font_name": F, "bold": True, "border": 1, "align": "center", "valign": "vcenter", "text_wrap": True})
cell = wb.add_format({"font_name": F, "border": 1, "text_wrap": True})
num = wb.add_format({"font_name": F, "border": 1, "num_format": "#,##0"})
ws.set_column(0, 0, 7); ws.set_column(1, 1, 60); ws.set_column(2, 3, 14); ws.set_column(4, 4, 16)
ws.set_landscape(); ws.set_paper(9); ws.fit_to_pages(1, 0)
ws.merge_range(0, 0, 0, 1, "UBND TỈNH BẮC KẠN", title)
ws.merge_range(0, 2, 0, 4, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", title)
ws.merge_range(1, 0, 1, 1, "ỦY BAN NHÂN DÂN HUYỆN NGÂN SƠN", title)
ws.merge_range(1, 2, 1, 4, "Độc lập - Tự do - Hạnh phúc", title)
ws.merge_range(3, 0, 3, 4, "Phụ lục", title)
ws.merge_range(5, 0, 6, 0, "STT", head); ws.merge_range(5, 1, 6, 1, "Chỉ tiêu thống kê", head)
ws.merge_range(5, 2, 5, 3, "Kết quả thống kê", head); ws.merge_range(5, 4, 6, 4, "Ghi chú", head)
ws.write_string(6, 2, "Đơn vị tính", head); ws.write_string(6, 3, "Số liệu", head)
ws.repeat_rows(5, 6); ws.freeze_panes(7, 0)
row, in_table = 7, False
with open(src, newline="", encoding="utf-8") as f:
    for rec in csv.reader(f):
        if not in_table:
            in_table = rec and rec[0] == "STT"
            continue
        if rec[0] == "STT" or (len(rec) > 3 and rec[3] == "Số liệu"):
            continue
        for c, v in enumerate(rec[:5]):
            try:
                if c == 3:
                    ws.write_number(row, c, float(v), num)
                    continue
            except ValueError:
                pass
            ws.write_string(row, c, v, cell)
        row += 1
wb.close()
