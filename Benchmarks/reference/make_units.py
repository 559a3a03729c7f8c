"""Generates N unit appendix workbooks (deterministic), laid out as units' own tools write them:
a header block naming the unit, the title, the period, then the STT | Chỉ tiêu thống kê |
Đơn vị tính | Số liệu | Ghi chú table — with XlsxWriter, no bieumau properties, so bieumau must
find the table and recognise the form from its rows.
Usage: make_units.py FORM.yaml OUT_DIR N"""
import os, random, sys
import xlsxwriter, yaml

form_path, out_dir, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
form = yaml.safe_load(open(form_path, encoding="utf-8"))
rows = form["rows"]
by_id = {r["id"]: r for r in rows}
os.makedirs(out_dir, exist_ok=True)
rng = random.Random(2023)

for u in range(1, n + 1):
    unit = f"ỦY BAN NHÂN DÂN XÃ THỬ NGHIỆM {u:03d}"
    values = {}
    for r in rows:
        k = r["kind"]
        if k == "count":
            values[r["id"]] = str(rng.randint(0, 500))
        elif k == "money":
            values[r["id"]] = f"{rng.randint(0, 90000)}.{rng.randint(0, 999):03d}"
    # parts must not exceed wholes: numerators at most their denominators
    for r in rows:
        if r.get("numerator"):
            num, den = r["numerator"], r["denominator"]
            d = int(float(values[den]))
            values[num] = str(rng.randint(0, d)) if by_id[num]["kind"] == "count" else f"{float(values[den]) * rng.random():.3f}"
    for r in rows:
        k = r["kind"]
        if k == "ratio":
            if r.get("numerator"):
                d = float(values[r["denominator"]])
                values[r["id"]] = f"{float(values[r['numerator']]) * 100 / d:.2f}" if d else ""
            else:
                values[r["id"]] = f"{rng.randint(0, 10000) / 100:.2f}"
        elif k == "yesno":
            values[r["id"]] = rng.choice(["Có", "Không"])
        elif k == "choice":
            values[r["id"]] = rng.choice(r["choices"])
    path = os.path.join(out_dir, f"xa-{u:03d}.xlsx")
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("Phụ lục")
    bold = wb.add_format({"bold": True})
    pct = wb.add_format({"num_format": "0.00"})
    ws.write(0, 0, "UBND HUYỆN THỬ NGHIỆM")
    ws.write(1, 0, unit, bold)
    ws.write(3, 0, form.get("appendix_label", "Phụ lục"), bold)
    ws.write(4, 0, form["title"], bold)
    ws.write(5, 0, f"(Kèm theo Báo cáo số {u}/BC-UBND ngày 14/3/2023 của {unit})")
    ws.write(6, 0, "Quý I năm 2023")
    ws.write_row(8, 0, ["STT", "Chỉ tiêu thống kê", "Kết quả thống kê", "", "Ghi chú"], bold)
    ws.write_row(9, 0, ["", "", "Đơn vị tính", "Số liệu", ""], bold)
    row = 10
    for r in rows:
        ws.write_string(row, 0, r.get("code") or r.get("marker") or "")
        ws.write_string(row, 1, r["label"])
        ws.write_string(row, 2, r.get("unit", ""))
        v = values.get(r["id"], "")
        if v != "" and r["kind"] in ("count", "money", "ratio"):
            ws.write_number(row, 3, float(v), pct if r["kind"] == "ratio" else None)
        elif v != "":
            ws.write_string(row, 3, v)
        row += 1
    wb.close()
