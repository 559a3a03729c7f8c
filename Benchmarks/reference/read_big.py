"""Reference readers for "read a big sheet to CSV": fastexcel, python-calamine, openpyxl (read_only)."""
import csv, sys
tool, src, dst = sys.argv[1:4]
with open(dst, "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    if tool == "calamine":
        from python_calamine import CalamineWorkbook
        wb = CalamineWorkbook.from_path(src)
        for row in wb.get_sheet_by_index(0).to_python():
            w.writerow(row)
    elif tool == "fastexcel":
        import fastexcel
        reader = fastexcel.read_excel(src)
        sheet = reader.load_sheet(0, header_row=None)
        # fastexcel hands back columnar Arrow data; Arrow's native CSV writer saves it.
        import pyarrow.csv as pacsv
        f.close()
        pacsv.write_csv(sheet.to_arrow(), dst, pacsv.WriteOptions(include_header=False))
    elif tool == "openpyxl":
        from openpyxl import load_workbook
        wb = load_workbook(src, read_only=True, data_only=True)
        for row in wb.worksheets[0].iter_rows(values_only=True):
            w.writerow(row)
    else:
        sys.exit(f"unknown tool {tool}")
