#!/usr/bin/env python3
"""Builds the seed report (UBND huyện Ngân Sơn, CCHC quý I/2023) as a real Word document.

Source: ../shared/reference/ngan-son-cchc-q1-2023.md (the report as printed, transcribed to
Markdown). Output: Examples/ngan-son-q1-2023.docx (committed; rebuild with this script).

What the document holds, as a Vietnamese office would type it in Word:
  - the letterhead as a borderless two-column table (issuing body / number | motto / place and date),
  - the narrative: headings (Word heading styles), numbered sections and sentences with their
    numbers exactly as printed, bold/italic runs where the print has them,
  - the signature block as a borderless two-column table (Nơi nhận | TM. ỦY BAN NHÂN DÂN),
  - a page break, then the appendix's title lines ("Phụ lục", the title, "(Kèm theo Báo cáo số …)")
    and the appendix as ONE Word table: two header rows marked to repeat on each page
    (w:tblHeader), "Kết quả thống kê" spanning two columns (w:gridSpan), STT / Chỉ tiêu / Ghi chú
    spanning both header rows and "Trong đó" spanning its two sub-rows (w:vMerge), the unit cell of
    1.5.2 and the label of 1.1 as several paragraphs in one cell.
The printed report breaks the table over pages; Word repeats the header itself, so the page-break
artefacts of the print (the header repeated, a label's last words on the next page) are joined
back into one row here, as they are in the Word file the print came from.

Usage: scripts/make-seed-docx.py [SOURCE.md] [OUT.docx]      (needs python-docx)
"""
import os
import re
import sys

import docx
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCE = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "shared", "reference", "ngan-son-cchc-q1-2023.md")
OUT = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "Examples", "ngan-son-q1-2023.docx")

lines = open(SOURCE, encoding="utf-8").read().split("\n")
appendix_at = next(i for i, l in enumerate(lines) if l.strip().startswith("**Phụ lục**"))
signature_at = next(i for i, l in enumerate(lines) if l.strip().startswith("***Nơi nhận:***"))


def add_runs(paragraph, text):
    """Markdown/HTML emphasis (**b**, *i*, <b>, <i>) as Word runs; the text itself as printed."""
    text = text.replace("\\*", "\x00")
    tokens = re.split(r"(\*\*\*|\*\*|\*|</?b>|</?i>)", text)
    bold = italic = False
    for t in tokens:
        if t == "***":
            bold = italic = not bold
        elif t in ("**", "<b>", "</b>"):
            bold = t != "</b>" and not (t == "**" and bold)
        elif t in ("*", "<i>", "</i>"):
            italic = t != "</i>" and not (t == "*" and italic)
        elif t:
            run = paragraph.add_run(t.replace("\x00", "*"))
            run.bold = bold or None
            run.italic = italic or None
    return paragraph


def plain(text):
    return re.sub(r"\*+|</?[bi]>", "", text.replace("\\*", "\x00")).replace("\x00", "*").strip()


doc = docx.Document()
style = doc.styles["Normal"]
style.font.name = "Times New Roman"
style.font.size = Pt(13)


def borderless(table):
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        b = OxmlElement(f"w:{side}")
        b.set(qn("w:val"), "nil")
        borders.append(b)
    table._tbl.tblPr.append(borders)


# Letterhead: a borderless two-column table, as in every administrative report (NĐ 30/2020).
head = doc.add_table(rows=2, cols=2)
borderless(head)
head.cell(0, 0).paragraphs[0].add_run("ỦY BAN NHÂN DÂN\nHUYỆN NGÂN SƠN").bold = True
head.cell(0, 1).paragraphs[0].add_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").bold = True
head.cell(0, 1).add_paragraph().add_run("Độc lập - Tự do - Hạnh phúc").bold = True

# The narrative, line by line.
body = [l for l in lines[:signature_at]]
first = True
for raw in body:
    line = raw.rstrip()
    if not line.strip():
        continue
    if first and line.strip().startswith("Số:"):
        head.cell(1, 0).paragraphs[0].add_run(plain(line))
        continue
    if line.strip().startswith("Ngân Sơn, ngày"):
        head.cell(1, 1).paragraphs[0].add_run(plain(line)).italic = True
        first = False
        continue
    m = re.match(r"^(#{1,6})\s+(.*)$", line)
    if m:
        level = min(len(m.group(1)), 4)
        p = doc.add_paragraph(style=f"Heading {level}")
        add_runs(p, m.group(2).strip())
        continue
    p = doc.add_paragraph()
    add_runs(p, line.strip())

# Signature block: a borderless two-column table.
sig_lines = [l.rstrip() for l in lines[signature_at:appendix_at] if l.strip()]
sign = doc.add_table(rows=1, cols=2)
borderless(sign)
left, right = sign.cell(0, 0), sign.cell(0, 1)
left_first = right_first = True
for l in sig_lines:
    to_right = l.startswith("**TM.") or l.startswith("CHỦ TỊCH") or l.startswith("**Nguyễn")
    if to_right:
        p = right.paragraphs[0] if right_first else right.add_paragraph()
        right_first = False
    else:
        p = left.paragraphs[0] if left_first else left.add_paragraph()
        left_first = False
    if to_right:
        p.add_run(plain(l)).bold = True
    else:
        add_runs(p, l.rstrip())

# The appendix on a new page: its title lines, then the table.
doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
title_lines = [l.strip() for l in lines[appendix_at:] if l.strip() and not l.strip().startswith("|")][:3]
# "**Phụ lục**  " / "**BIỂU THỐNG KÊ …**  " / "(Kèm theo …)"
for t in title_lines:
    p = doc.add_paragraph()
    add_runs(p, t.rstrip())

# The appendix table rows from the Markdown tables (one per printed page).
rows = []
for l in lines[appendix_at:]:
    s = l.strip()
    if not s.startswith("|"):
        continue
    cells = [c.strip() for c in s.strip("|").split("|")]
    if set("".join(cells)) <= set("-: "):
        continue
    cells = (cells + [""] * 5)[:5]
    if plain(cells[0]) == "STT" or plain(cells[2]) == "Đơn vị tính":
        continue  # the header the print repeats on each page; Word repeats it itself
    rows.append(cells)

# Join a label's last words that the print carried to the next page back onto their row.
joined = []
for i, r in enumerate(rows):
    is_tail = (not r[0] and not any(r[2:]) and joined and plain(r[1])[:1].islower())
    if is_tail:
        prev = joined[-1]
        tail = plain(r[1])
        if not plain(prev[1]).endswith(tail):  # the transcript sometimes repeats the word
            prev[1] = prev[1] + " " + r[1]
        continue
    joined.append(r)
rows = joined

table = doc.add_table(rows=2 + len(rows), cols=5)
table.style = doc.styles["Table Grid"]
# Header: two rows, marked to repeat at the top of each page.
h0, h1 = table.rows[0].cells, table.rows[1].cells
h0[0].merge(h1[0])
h0[1].merge(h1[1])
h0[4].merge(h1[4])
h0[2].merge(h0[3])
for tr in (table.rows[0], table.rows[1]):
    trPr = tr._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    trPr.append(el)
table.cell(0, 0).paragraphs[0].add_run("STT").bold = True
table.cell(0, 1).paragraphs[0].add_run("Chỉ tiêu thống kê").bold = True
table.cell(0, 2).paragraphs[0].add_run("Kết quả thống kê").bold = True
table.cell(0, 4).paragraphs[0].add_run("Ghi chú").bold = True
table.cell(1, 2).paragraphs[0].add_run("Đơn vị tính").bold = True
table.cell(1, 3).paragraphs[0].add_run("Số liệu").bold = True

# "Trong đó" over the sub-rows it introduces: one vertically merged cell.
trong_do = [i for i, r in enumerate(rows) if plain(r[0]) == "Trong đó"]
for i, r in enumerate(rows):
    tr = 2 + i
    for j, text in enumerate(r):
        if j == 0 and i in trong_do:
            continue
        cell = table.cell(tr, j)
        if j == 1 and plain(r[0]) == "1.1" and "</b>" in text:
            # The label as two paragraphs: the indicator in bold, its explanation below.
            bold_part, rest = text.split("</b>", 1)
            add_runs(cell.paragraphs[0], bold_part + "</b>")
            add_runs(cell.add_paragraph(), rest.strip())
            continue
        parts = text.split("<br>")
        add_runs(cell.paragraphs[0], parts[0])
        for part in parts[1:]:
            add_runs(cell.add_paragraph(), part)
for i in trong_do:
    # The sub-rows under "Trong đó" run to the next numbered row.
    end = i
    while end + 1 < len(rows) and not plain(rows[end + 1][0]) and plain(rows[end + 1][1]):
        end += 1
    top = table.cell(2 + i, 0)
    if end > i:
        top = top.merge(table.cell(2 + end, 0))
    add_runs(top.paragraphs[0], rows[i][0])

# Column widths as in the printed appendix (the label column takes most of the page).
from docx.shared import Cm
table.autofit = False
for row in table.rows:
    for cell, width in zip(row.cells, (Cm(1.6), Cm(8.4), Cm(2.6), Cm(2.2), Cm(1.8))):
        cell.width = width
for col, cm in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), (1.6, 8.4, 2.6, 2.2, 1.8)):
    col.set(qn("w:w"), str(int(cm * 567)))

core = doc.core_properties
core.author = "UBND huyện Ngân Sơn"
core.title = "Báo cáo tình hình thực hiện công tác CCHC quý I năm 2023"
core.comments = "Built by scripts/make-seed-docx.py from shared/reference/ngan-son-cchc-q1-2023.md"
import datetime
core.created = core.modified = datetime.datetime(2023, 3, 10, 8, 0, 0)
core.last_modified_by = "bieumau"
core.revision = 1
doc.save(OUT)
print(f"{OUT}: {len(rows)} appendix rows")
