#!/usr/bin/env python3
"""Builds the fixtures of Tests/FormImportTests/Fixtures: a revised CCHC form of our own making
(sections renamed, rows dropped and added, a new ratio with its sub-rows, a new yes/no row and a
new money row), as a blank workbook (openpyxl, the way a province's office would save it), a blank
CSV, a filled CSV, a CSV with three planted errors, and three files that are not forms.

Run from the repository root:  python3 scripts/make-forms-fixtures.py
"""
import csv
import os

import openpyxl
from openpyxl.styles import Alignment, Font

OUT = os.path.join("Tests", "FormImportTests", "Fixtures")

# (STT, label, unit, filled value). STT "" is an unnumbered sub-row; "Trong đó" a breakdown marker.
ROWS = [
    ("1", "Công tác chỉ đạo, điều hành cải cách hành chính", "", None),          # renamed section
    ("1.1", "Số văn bản chỉ đạo CCHC đã ban hành (kết luận, chỉ thị, công văn chỉ đạo, quán triệt)", "Văn bản", "12"),
    ("1.2", "Tỷ lệ hoàn thành Kế hoạch CCHC năm (lũy kế đến thời điểm báo cáo)", "%", "50%"),
    ("1.2.1", "Số nhiệm vụ đề ra trong kế hoạch", "Nhiệm vụ", "40"),
    ("1.2.2", "Số nhiệm vụ đã hoàn thành", "Nhiệm vụ", "20"),
    ("1.3", "Kiểm tra CCHC", "", None),
    ("1.3.1", "Số UBND cấp xã đã kiểm tra", "Đơn vị", "5"),
    ("1.3.2", "Số vấn đề phát hiện qua kiểm tra", "Vấn đề", "8"),
    ("1.3.3", "Số vấn đề phát hiện đã xử lý xong", "Vấn đề", "6"),
    ("1.3.4", "Tỷ lệ xử lý các vấn đề phát hiện qua kiểm tra", "%", "75%"),
    ("1.4", "Tổ chức đối thoại của lãnh đạo với người dân, cộng đồng doanh nghiệp", "Có/không", "Có"),  # was 1.6
    ("1.5", "Ban hành Kế hoạch chuyển đổi số năm", "Có/không", "Không"),                            # new yes/no
    ("1.6", "Kinh phí bố trí cho công tác CCHC trong năm", "Triệu đồng", "1.250,5"),                 # new money
    ("2", "Cải cách thể chế và pháp luật", "", None),                                                # renamed section
    ("2.1", "Số VBQPPL đã ban hành/tham mưu ban hành", "Văn bản", "3"),
    ("2.2", "Số VBQPPL đã kiểm tra theo thẩm quyền", "Văn bản", "4"),
    ("2.2.1", "Tỷ lệ xử lý VBQPPL sau kiểm tra", "%", "50%"),
    ("", "Tổng số VBQPPL cần phải xử lý sau kiểm tra", "Văn bản", "2"),
    ("", "Số VBQPPL có kiến nghị xử lý đã được xử lý xong", "Văn bản", "1"),
    ("3", "Cải cách thủ tục hành chính", "", None),
    ("3.1", "Thống kê TTHC", "", None),
    ("3.1.1", "Số TTHC công bố mới", "Thủ tục", "7"),
    ("3.1.2", "Tổng số TTHC thuộc thẩm quyền giải quyết tại cơ quan, đơn vị", "Thủ tục", "375"),
    ("Trong đó", "Số TTHC cấp tỉnh", "Thủ tục", "265"),                                              # new (was cấp huyện)
    ("", "Số TTHC cấp xã", "Thủ tục", "110"),
    ("3.2", "Tỷ lệ hồ sơ TTHC tiếp nhận được giải quyết đúng hạn", "%", "98%"),
    ("", "Tổng số hồ sơ TTHC đã giải quyết xong", "Hồ sơ", "1000"),
    ("", "Số hồ sơ TTHC giải quyết đúng hạn", "Hồ sơ", "980"),
    ("3.3", "Tỷ lệ hồ sơ TTHC được số hóa kết quả giải quyết", "%", "40%"),                            # new ratio
    ("", "Tổng số hồ sơ TTHC đã giải quyết xong trong kỳ", "Hồ sơ", "500"),
    ("", "Số hồ sơ TTHC được số hóa kết quả giải quyết", "Hồ sơ", "200"),
    ("4", "Cải cách tài chính công", "", None),                                                      # was section 6
    ("4.1", "Tỷ lệ thực hiện kế hoạch giải ngân vốn đầu tư công", "%", "62,5%"),
    ("4.1.1", "Kế hoạch được giao", "Triệu đồng", "8000"),
    ("4.1.2", "Đã thực hiện", "Triệu đồng", "5000"),
]

# Planted errors: a ratio that is not num/den, a part above its whole, a word on a yes/no row.
ERRORS = {
    "Tỷ lệ xử lý các vấn đề phát hiện qua kiểm tra": "90%",        # ratio-mismatch (6 / 8 = 75%)
    "Số TTHC cấp xã": "400",                                         # part-exceeds-whole (3.1.2 = 375)
    "Ban hành Kế hoạch chuyển đổi số năm": "Đang xây dựng",           # type-error on a yes/no row
}

TITLE = "BIỂU THỐNG KÊ SỐ LIỆU VỀ KẾT QUẢ THỰC HIỆN CÔNG TÁC CẢI CÁCH HÀNH CHÍNH NĂM 2025"
HEAD = [
    ["Phụ lục", "", "", "", ""],
    [TITLE, "", "", "", ""],
    ["(Kèm theo Báo cáo số      /BC-UBND ngày    /    /2025 của UBND xã Bằng Vân)", "", "", "", ""],
    ["", "", "", "", ""],
    ["STT", "Chỉ tiêu thống kê", "Kết quả thống kê", "", "Ghi chú"],
    ["", "", "Đơn vị tính", "Số liệu", ""],
]


def write_csv(name, rows):
    with open(os.path.join(OUT, name), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        for r in rows:
            w.writerow(r)


def table(values):
    out = [list(h) for h in HEAD]
    for code, label, unit, value in ROWS:
        v = values(label, value) if value is not None else ""
        out.append([code, label, unit, v or "", ""])
    return out


def blank_workbook(name):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Biểu 2025"
    bold = Font(bold=True)
    for r, row in enumerate(HEAD, start=1):
        for c, v in enumerate(row, start=1):
            if v:
                ws.cell(row=r, column=c, value=v).font = bold
    ws.merge_cells("C5:D5")
    for i, (code, label, unit, _value) in enumerate(ROWS):
        r = len(HEAD) + 1 + i
        heading = unit == "" and code != "" and "." not in code
        for c, v in enumerate([code, label, unit], start=1):
            if v:
                cell = ws.cell(row=r, column=c, value=v)
                cell.alignment = Alignment(wrap_text=True, vertical="center")
                if heading or (unit == "" and code):
                    cell.font = bold
        if unit == "%":
            ws.cell(row=r, column=4).number_format = "0%"
    ws.column_dimensions["B"].width = 70
    wb.save(os.path.join(OUT, name))


def with_head(rows, unit, period):
    """The table under a head naming the unit and the period (for validate --previous and merge)."""
    out = [list(r) for r in rows]
    out[1] = [TITLE.replace(" NĂM 2025", ""), "", "", "", ""]
    out[2] = ["(Kèm theo Báo cáo số 15/BC-UBND của %s)" % unit, "", "", "", ""]
    out[3] = ["Kỳ báo cáo: %s" % period, "", "", "", ""]
    return out


def main():
    os.makedirs(OUT, exist_ok=True)
    write_csv("revised-blank.csv", table(lambda label, value: ""))
    write_csv("revised-filled.csv", table(lambda label, value: value))
    write_csv("revised-errors.csv", table(lambda label, value: ERRORS.get(label, value)))
    if not os.path.exists(os.path.join(OUT, "revised-blank.xlsx")) or os.environ.get("REBUILD_XLSX"):
        blank_workbook("revised-blank.xlsx")  # openpyxl stamps the time: rebuilt only when asked
    # Files on the old and the new version, for the row map (validate --previous, merge):
    # the seed (cchc-2023) with its period named, and the revised form filled by two units.
    with open(os.path.join("Examples", "ngan-son-q1-2023.csv"), encoding="utf-8") as f:
        seed = list(csv.reader(f))
    seed.insert(3, ["Kỳ báo cáo: Quý I/2023", "", "", "", ""])
    write_csv("old-form-ngan-son-q1-2023.csv", seed)
    # 1.1 counts from the start of the year: 13 in Q1, 12 at 6 months is a decrease.
    write_csv("revised-ngan-son-6-thang-2023.csv",
              with_head(table(lambda label, value: "12" if label.startswith("Số văn bản chỉ đạo") else value),
                        "UBND huyện Ngân Sơn", "6 tháng đầu năm 2023"))
    write_csv("revised-bang-van-q1-2023.csv",
              with_head(table(lambda label, value: value), "UBND xã Bằng Vân", "Quý I/2023"))
    # Not forms.
    write_csv("not-a-form-random.csv", [["Họ và tên", "Ngày sinh", "Quê quán"],
                                        ["Nguyễn Văn A", "01/02/1990", "Bắc Kạn"],
                                        ["Trần Thị B", "03/04/1992", "Thái Nguyên"]])
    write_csv("not-a-form-empty-table.csv", HEAD + [["", "", "", "", ""]])
    write_csv("not-a-form-no-codes.csv", HEAD + [["", "Số văn bản đã ban hành", "Văn bản", "", ""],
                                                 ["", "Tỷ lệ hồ sơ đúng hạn", "%", "", ""]])


if __name__ == "__main__":
    main()
