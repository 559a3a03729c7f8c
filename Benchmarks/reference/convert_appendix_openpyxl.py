"""Reference: openpyxl laying out the seed appendix CSV (same layout as convert_appendix.c)."""
import csv, sys
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
src, dst = sys.argv[1], sys.argv[2]
wb = Workbook(); ws = wb.active; ws.title = "Phụ lục"
F = "Times New Roman"; thin = Side(style="thin"); box = Border(left=thin, right=thin, top=thin, bottom=thin)
bold = Font(name=F, bold=True); plain = Font(name=F)
for col, w in zip("ABCDE", (7, 60, 14, 14, 16)):
    ws.column_dimensions[col].width = w
ws.page_setup.orientation = "landscape"; ws.page_setup.paperSize = 9
ws.page_setup.fitToWidth = 1; ws.page_setup.fitToHeight = 0; ws.sheet_properties.pageSetUpPr.fitToPage = True
def put(ref, text, font=bold, center=True):
    ws[ref] = text; ws[ref].font = font
    if center: ws[ref].alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
ws.merge_cells("A1:B1"); put("A1", "UBND TỈNH BẮC KẠN")
ws.merge_cells("C1:E1"); put("C1", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
ws.merge_cells("A2:B2"); put("A2", "ỦY BAN NHÂN DÂN HUYỆN NGÂN SƠN")
ws.merge_cells("C2:E2"); put("C2", "Độc lập - Tự do - Hạnh phúc")
ws.merge_cells("A4:E4"); put("A4", "Phụ lục")
ws.merge_cells("A6:A7"); put("A6", "STT"); ws.merge_cells("B6:B7"); put("B6", "Chỉ tiêu thống kê")
ws.merge_cells("C6:D6"); put("C6", "Kết quả thống kê"); ws.merge_cells("E6:E7"); put("E6", "Ghi chú")
put("C7", "Đơn vị tính"); put("D7", "Số liệu")
ws.print_title_rows = "6:7"; ws.freeze_panes = "A8"
row, in_table = 8, False
with open(src, newline="", encoding="utf-8") as f:
    for rec in csv.reader(f):
        if not in_table:
            in_table = rec and rec[0] == "STT"
            continue
        if rec[0] == "STT" or (len(rec) > 3 and rec[3] == "Số liệu"):
            continue
        for c, v in enumerate(rec[:5]):
            cell = ws.cell(row=row, column=c + 1)
            try:
                cell.value = float(v) if c == 3 else v
                if c == 3: cell.number_format = "#,##0"
            except ValueError:
                cell.value = v
            cell.font = plain; cell.border = box
        row += 1
wb.save(dst)
