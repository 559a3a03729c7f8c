#!/usr/bin/env python3
"""Reference merge in Python, doing the same merge as `bieumau merge` (except validation):

- reads every unit workbook in UNIT_DIR (sorted by name) with python-calamine (or openpyxl
  read_only with --openpyxl) and computes the SHA-256 of its bytes (hashlib);
- reads the unit, parent body, period and report line from the lines above the table;
- finds the table under the STT | Chỉ tiêu thống kê header (two header rows, repeated headers skipped);
- matches rows to the form (YAML): coded rows by code then label, unnumbered sub-rows by their
  parent (the last coded row or its ancestors) and the normalised label, else by label alone;
- reads values: numbers (and Vietnamese-formatted number texts) as Decimal, status texts,
  Có/Không, choices, text;
- merges by the form's merge rules: sum (Decimal, with notes naming units with status texts or
  blanks), ratio recomputed as Σ numerator / Σ denominator × 100 (rounded half up to the row's
  decimals), count-yes (with the units answering Không), choices with counts, per-unit;
- writes with XlsxWriter (formats created once per workbook): "Tổng hợp" in the official layout
  (national header block, merged two-row table header, formats by row kind, ratio formulas,
  estimated row heights, A4 landscape page setup), "Chi tiết" (rows × units, merged column,
  notes), "Nguồn" (file, SHA-256, unit, period, outcome, link to the unit's sheet), one sheet per
  unit in the official layout, and a bar chart of the form's key ratios per unit.
It does NOT validate the units (bieumau validates every input against all the form's rules).

XlsxWriter uses temporary files (as libxlsxwriter does); MERGE_IN_MEMORY=1 keeps them in memory.
Check that two merges agree with compare_merged.py.

--no-unit-sheets leaves out the per-unit sheets (as `bieumau merge --unit-sheets no`): "Tổng hợp",
"Chi tiết" (the rows × units matrix) and "Nguồn" only — the national-scale workload.

Usage: merge_calamine.py [--openpyxl] [--no-unit-sheets] UNIT_DIR OUT.xlsx [--form FORM.yaml] [--unit NAME] [--period TEXT]"""
import functools
import hashlib
import io
import os
import re
import sys
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import xlsxwriter
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def parse_args(argv):
    opts = {"openpyxl": False, "form": os.path.join(ROOT, "Templates", "cchc-2023", "form.yaml"),
            "unit": "ỦY BAN NHÂN DÂN TỈNH BẮC KẠN", "period": None, "unit_sheets": True}
    pos = []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--openpyxl":
            opts["openpyxl"] = True
        elif a == "--no-unit-sheets":
            opts["unit_sheets"] = False
        elif a in ("--form", "--unit", "--period"):
            opts[a[2:]] = argv[i + 1]
            i += 1
        else:
            pos.append(a)
        i += 1
    if len(pos) != 2:
        sys.exit(__doc__.splitlines()[-1])
    return opts, pos[0], pos[1]


OPTS, UNIT_DIR, OUT = parse_args(sys.argv[1:])
IN_MEMORY = os.environ.get("MERGE_IN_MEMORY") == "1"

# ── The form ──────────────────────────────────────────────────────────────────────────────────
FORM = yaml.safe_load(open(OPTS["form"], encoding="utf-8"))
ROWS = FORM["rows"]
BY_ID = {r["id"]: r for r in ROWS}
HEAD = FORM.get("headers", {})
H_CODE, H_LABEL = HEAD.get("code", "STT"), HEAD.get("label", "Chỉ tiêu thống kê")
H_RESULT, H_UNIT = HEAD.get("result", "Kết quả thống kê"), HEAD.get("unit", "Đơn vị tính")
H_VALUE, H_NOTE = HEAD.get("value", "Số liệu"), HEAD.get("note", "Ghi chú")

MARKUP = re.compile(r"</?(?:b|i|u|br|em|strong|sup|sub|span|p)\b[^>]*>", re.I)
EDGE = "".join(chr(c) for c in range(0x21, 0x7F) if not chr(c).isalnum()) + "…“”‘’–—"


def clean(v):
    """Cell text: NFC, markup removed, white space collapsed."""
    if v is None:
        return ""
    if isinstance(v, float):
        return repr(v)
    s = unicodedata.normalize("NFC", str(v))
    if "<" in s:
        s = MARKUP.sub("", s)
    return " ".join(s.split())


@functools.lru_cache(maxsize=None)
def key(text):
    """Matching key: case, white space and punctuation at word ends do not matter."""
    words = (w.strip(EDGE) for w in clean(text).lower().split())
    return " ".join(w for w in words if w)


def merge_rule(r):
    if "merge" in r:
        return r["merge"]
    k = r["kind"]
    if k in ("section", "group"):
        return "none"
    if k in ("count", "money"):
        return "sum"
    if k == "ratio":
        return "ratio" if r.get("numerator") and r.get("denominator") else "per-unit"
    return {"yesno": "count-yes", "choice": "choices"}.get(k, "per-unit")


def row_style(r):
    if "style" in r:
        return r["style"]
    if r["kind"] in ("section", "group"):
        return "bold"
    code = str(r.get("code", ""))
    if not code:
        return "italic"
    return "bold" if len(code.split(".")) <= 2 else "normal"


for r in ROWS:
    r["code"] = str(r.get("code", "") or "")
    r["rule"] = merge_rule(r)
    r["keys"] = {key(x) for x in [r["label"]] + r.get("variants", [])}
    r["style_"] = row_style(r)
RULE_TEXT = {"none": "", "sum": "Tổng / sum", "ratio": "Tử/mẫu × 100 / ratio", "count-yes": "Số đơn vị Có / count yes",
             "choices": "Các lựa chọn / choices", "per-unit": "Từng đơn vị / per unit"}
BY_CODE = {}
SUBS = {}
BY_KEY = {}
for r in ROWS:
    if r["code"]:
        BY_CODE.setdefault(r["code"], []).append(r)
    elif r.get("parent"):
        SUBS.setdefault(r["parent"], []).append(r)
    for k in r["keys"]:
        BY_KEY.setdefault(k, []).append(r)
STATUS = {key(s): s for s in FORM.get("status_texts", [])}
YES = {key(s) for s in FORM.get("yes_texts", ["Có"])}
NO = {key(s) for s in FORM.get("no_texts", ["Không"])}
CODE_RE = re.compile(r"^[0-9]{1,3}(\.[0-9]{1,3})*\.?$")
VI_NUMBER = re.compile(r"^-?[0-9]{1,3}(\.[0-9]{3})*(,[0-9]+)?$|^-?[0-9]+(,[0-9]+)?$")
HEADER_KEYS = {key(x) for x in (H_CODE, H_LABEL, H_RESULT, H_UNIT, H_VALUE, H_NOTE)}
BODY_PREFIXES = ("ủy ban", "uỷ ban", "ubnd", "sở ", "phòng ", "huyện ", "xã ", "tỉnh ", "thành phố", "phường ")
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
PERIOD_RE = re.compile(r"(quý\s+(i{1,3}|iv)|6\s+tháng|năm)\D*?(\d{4})", re.I)


def parse_period(text):
    m = PERIOD_RE.search(text)
    if not m:
        return None
    kind = m.group(1).lower()
    if kind.startswith("quý"):
        return ("Quý " + m.group(2).upper(), int(m.group(3)))
    return ("6 tháng" if kind.startswith("6") else "Năm", int(m.group(3)))


def period_text(p):
    return f"{p[0]} năm {p[1]}" if p else ""


# ── Reading a unit ────────────────────────────────────────────────────────────────────────────
def read_grid(data):
    if OPTS["openpyxl"]:
        from openpyxl import load_workbook
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        rows = [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
        wb.close()
        return rows
    from python_calamine import CalamineWorkbook
    return CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()


def cell(row, i):
    return row[i] if i < len(row) else None


def number(v):
    if isinstance(v, bool):
        return None
    if isinstance(v, int):
        return Decimal(v)
    if isinstance(v, float):
        return Decimal(repr(v)).normalize() if v == v else None
    s = clean(v).rstrip("%").strip()
    if VI_NUMBER.match(s):
        try:
            return Decimal(s.replace(".", "").replace(",", "."))
        except InvalidOperation:
            return None
    return None


def interpret(v, r):
    """(kind, value, raw): kind is empty, number, status, yes, no, choices or text."""
    if v is None or v == "":
        return ("empty", None, "")
    raw = clean(v)
    if not isinstance(v, (int, float)):
        k = key(raw)
        if k in STATUS:
            return ("status", STATUS[k], raw)
        if r["kind"] == "yesno":
            if k in YES:
                return ("yes", True, raw)
            if k in NO:
                return ("no", False, raw)
        if r["kind"] == "choice":
            chosen = []
            for part in raw.split(";"):
                pk = key(part)
                match = next((c for c in r.get("choices", []) if key(c) == pk), None)
                if match is None:
                    return ("text", raw, raw)
                chosen.append(match)
            return ("choices", chosen, raw)
        if r["kind"] == "text":
            return ("text", raw, raw)
    n = number(v)
    if n is None:
        return ("text", raw, raw)
    if r["kind"] == "ratio" and isinstance(v, float) and abs(v) <= 1:
        n = (n * 100).normalize()  # a fraction formatted as a percentage
    return ("number", n, raw)


def read_unit(path, data):
    grid = read_grid(data)
    header = next((i for i, row in enumerate(grid)
                   if key(cell(row, 0)) == key(H_CODE) and key(cell(row, 1)) == key(H_LABEL)), None)
    if header is None:
        raise ValueError("no STT | Chỉ tiêu thống kê header")
    meta = {"unit": None, "parent": None, "period": None, "number": None, "date": None}
    bodies = []
    for row in grid[:header]:
        for v in row:
            t = clean(v)
            if not t:
                continue
            low = t.lower()
            if "kèm theo" in low:
                m = re.search(r"số\s*([0-9]*\s*/\s*[A-Za-zĐđ0-9-]+)", t)
                meta["number"] = m.group(1).replace(" ", "") if m else None
                m = re.search(r"ngày\s*([0-9]{1,2})\s*/\s*([0-9]{1,2})\s*/\s*([0-9]{4})", t)
                meta["date"] = f"ngày {int(m.group(1))}/{int(m.group(2))}/{m.group(3)}" if m else None
            elif low.startswith(BODY_PREFIXES):
                bodies.append(t)
            elif meta["period"] is None and parse_period(t) and len(t) < 40:
                meta["period"] = parse_period(t)
    if bodies:
        meta["unit"] = bodies[-1]
        meta["parent"] = bodies[-2] if len(bodies) > 1 else None
    start = header + 1
    if start < len(grid) and key(cell(grid[start], 0)) == "" and any(key(v) in HEADER_KEYS for v in grid[start] if v):
        start += 1
    values = {}
    used = set()
    context = None
    for row in grid[start:]:
        stt, label = clean(cell(row, 0)), clean(cell(row, 1))
        if not stt and not label:
            continue
        if key(stt) == key(H_CODE):
            continue  # the header repeated at a page break
        k = key(label)
        code = stt.rstrip(".") if CODE_RE.match(stt) else ""
        match = None
        if code:
            cands = BY_CODE.get(code, [])
            match = next((r for r in cands if r["id"] not in used and k in r["keys"]), None) \
                or next((r for r in cands if r["id"] not in used), None)
        else:
            parent = context
            while parent and match is None:
                match = next((r for r in SUBS.get(parent, []) if r["id"] not in used and k in r["keys"]), None)
                parent = BY_ID[parent].get("parent")
            if match is None:
                byk = [r for r in BY_KEY.get(k, []) if r["id"] not in used]
                match = byk[0] if len(byk) == 1 else None
        if match is None:
            continue
        used.add(match["id"])
        if match["code"]:
            context = match["id"]
        values[match["id"]] = (interpret(cell(row, 3), match), clean(cell(row, 4)))
    return meta, values


# ── Merging ───────────────────────────────────────────────────────────────────────────────────
def names(units, limit=20):
    if len(units) <= limit:
        return ", ".join(units)
    return ", ".join(units[:limit]) + f" và {len(units) - limit} đơn vị khác"


def merge(units):
    """units: [(name, values)] → {row id: (kind, value, note)}; kind as in interpret()."""
    merged = {}
    empty = (("empty", None, ""), "")
    for r in ROWS:
        rule = r["rule"]
        if rule in ("none", "ratio"):
            continue
        vals = [(name, values.get(r["id"], empty)[0]) for name, values in units]
        if rule == "sum":
            total, any_number, status, blank, text = Decimal(0), False, {}, [], []
            for name, (kind, v, raw) in vals:
                if kind == "number":
                    total += v
                    any_number = True
                elif kind == "empty":
                    blank.append(name)
                elif kind == "status":
                    status.setdefault(v, []).append(name)
                else:
                    text.append(f"{name} (“{raw}”)")
            notes = [f"{s}: {names(u)}" for s, u in status.items()]
            if blank and len(blank) != len(vals):
                notes.append(f"Để trống: {names(blank)}")
            if text:
                notes.append(f"Không đọc được số: {names(text)}")
            note = "; ".join(notes)
            if any_number:
                merged[r["id"]] = ("number", total, note)
            elif not blank and not text and len(status) == 1:
                merged[r["id"]] = ("status", next(iter(status)), note)
            else:
                merged[r["id"]] = ("empty", None, note)
        elif rule == "count-yes":
            yes, no = 0, []
            for name, (kind, v, raw) in vals:
                if kind == "yes" or (kind == "number" and v == 1):
                    yes += 1
                elif kind == "no" or (kind == "number" and v == 0):
                    no.append(name)
            note = "Số đơn vị trả lời Có" + (f"; Không: {names(no)}" if no else "")
            merged[r["id"]] = ("number", Decimal(yes), note)
        elif rule == "choices":
            counts = {}
            for name, (kind, v, raw) in vals:
                if kind == "choices":
                    for c in set(v):
                        counts[c] = counts.get(c, 0) + 1
            text = "; ".join(f"{c} ({counts[c]})" for c in r.get("choices", []) if c in counts)
            merged[r["id"]] = ("text", text, "") if text else ("empty", None, "")
        else:
            merged[r["id"]] = ("empty", None, "Không tổng hợp được; xem số liệu từng đơn vị ở trang Chi tiết")
    for r in ROWS:
        if r["rule"] != "ratio":
            continue
        num, den = merged.get(r["numerator"]), merged.get(r["denominator"])
        note = "Tính lại từ tổng tử số / tổng mẫu số × 100"
        if num and den and num[0] == "number" and den[0] == "number":
            if den[1] != 0:
                q = (num[1] * 100 / den[1]).quantize(Decimal(10) ** -r.get("decimals", 2), rounding=ROUND_HALF_UP)
                merged[r["id"]] = ("number", q, "")
            else:
                merged[r["id"]] = ("empty", None, note + "; Tổng mẫu số bằng 0, không tính được tỷ lệ")
        else:
            merged[r["id"]] = ("empty", None, note + "; Không đủ số liệu tử số và mẫu số để tính")
    return merged


# ── Writing ───────────────────────────────────────────────────────────────────────────────────
WIDTHS = [7, 60, 14, 14, 16]
FIRST_DATA_ROW = 10
FONT = "Times New Roman"


def lines_of(text, width_units, size, bold=False, upper=False):
    per = size * 0.72 / 12 * (1.35 if upper else 1) * (1.08 if bold else 1)
    usable = max(width_units - 1.5, 1)
    total = 0
    for para in text.split("\n"):
        line, count = 0.0, 1
        for word in para.split(" "):
            if not word:
                continue
            w = len(word) * per
            add = w if line == 0 else line + per + w
            if add > usable and line > 0:
                count += 1
                line = w
            else:
                line = add
            while line > usable:
                count += 1
                line -= usable
        total += count
    return max(total, 1)


def height(lines, size):
    return lines * size * 1.22 + 3


class Formats:
    """Every format once per workbook, keyed by what it says."""

    def __init__(self, wb):
        self.wb = wb
        self.cache = {}

    def get(self, **spec):
        k = tuple(sorted(spec.items()))
        f = self.cache.get(k)
        if f is None:
            f = self.cache[k] = self.wb.add_format(spec)
        return f

    def table(self, r, role, num_format=None):
        k = (r["id"], role, num_format)
        f = self.cache.get(k)
        if f is None:
            f = self.cache[k] = self._table(r, role, num_format)
        return f

    def _table(self, r, role, num_format):
        bold = r["style_"] == "bold" and role != "note"
        italic = r["style_"] == "italic"
        spec = {"font_name": FONT, "font_size": 12, "bold": bold, "italic": italic, "valign": "vcenter",
                "text_wrap": True, "border": 1}
        if role in ("code", "unit", "text"):
            spec["align"] = "center"
        elif role in ("label", "note"):
            spec["align"] = "left"
            if role == "label" and not r["code"] and r["kind"] not in ("section", "group"):
                spec["indent"] = 1
        else:
            spec["align"] = "right"
        if role == "text":
            spec["num_format"] = "@"
        elif num_format:
            spec["num_format"] = num_format
        return self.get(**spec)


ROW_LINES = {}  # per form row: lines of its label and unit (the same on every sheet)


def decimals_of(n):
    e = n.normalize().as_tuple().exponent
    return max(-e, 0) if isinstance(e, int) else 0


def write_appendix(ws, fmts, meta, values, merged_sheet):
    """One appendix in the official layout. values: {id: (kind, value, note)}."""
    for c, w in enumerate(WIDTHS):
        ws.set_column(c, c, w)
    ws.set_paper(9)
    ws.set_landscape()
    ws.set_margins(left=30 / 25.4, right=15 / 25.4, top=20 / 25.4, bottom=20 / 25.4)
    ws.fit_to_pages(1, 0)
    ws.center_horizontally()
    ws.set_footer('&C&"Times New Roman,Regular"&11Trang &P/&N')
    hdr = lambda size, bold=False, italic=False: fmts.get(font_name=FONT, font_size=size, bold=bold, italic=italic,
                                                          align="center", valign="vcenter", text_wrap=True)
    parent = (meta.get("parent") or "").upper()
    unit = (meta.get("unit") or "").upper()
    ws.merge_range(0, 0, 0, 1, parent, hdr(12))
    ws.merge_range(1, 0, 1, 1, unit, hdr(12, True))
    ws.merge_range(0, 2, 0, 4, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", hdr(12, True))
    ws.merge_range(1, 2, 1, 4, "Độc lập - Tự do - Hạnh phúc", hdr(13, True))
    ws.set_row(0, 18)
    ws.set_row(1, height(lines_of(unit, WIDTHS[0] + WIDTHS[1], 12, True, True), 12))
    ws.set_row(2, 12)
    full = sum(WIDTHS)
    title = FORM["title"].upper()
    ws.merge_range(3, 0, 3, 4, FORM.get("appendix_label", "Phụ lục"), hdr(13, True))
    ws.merge_range(4, 0, 4, 4, title, hdr(13, True))
    ws.set_row(4, height(lines_of(title, full, 13, True, True), 13))
    number = meta.get("number") or "…/BC-UBND"
    reference = f"(Kèm theo Báo cáo số {number} {meta.get('date') or 'ngày …'} của {meta.get('unit') or '…'})"
    ws.merge_range(5, 0, 5, 4, reference, hdr(13, italic=True))
    ws.set_row(5, height(lines_of(reference, full, 13), 13))
    ws.merge_range(6, 0, 6, 4, period_text(meta.get("period")), hdr(13))
    ws.set_row(6, 18)
    ws.set_row(7, 8)
    th = fmts.get(font_name=FONT, font_size=12, bold=True, align="center", valign="vcenter", text_wrap=True, border=1)
    ws.merge_range(8, 0, 9, 0, H_CODE, th)
    ws.merge_range(8, 1, 9, 1, H_LABEL, th)
    ws.merge_range(8, 2, 8, 3, H_RESULT, th)
    ws.write_string(9, 2, H_UNIT, th)
    ws.write_string(9, 3, H_VALUE, th)
    ws.merge_range(8, 4, 9, 4, H_NOTE, th)
    ws.set_row(8, 20)
    ws.set_row(9, 20)
    ws.repeat_rows(8, 9)
    ws.freeze_panes(FIRST_DATA_ROW, 0)
    for i, r in enumerate(ROWS):
        x = FIRST_DATA_ROW + i
        ws.write_string(x, 0, r["code"] or r.get("marker", ""), fmts.table(r, "code"))
        ws.write_string(x, 1, r["label"], fmts.table(r, "label"))
        ws.write_string(x, 2, r.get("unit", ""), fmts.table(r, "unit"))
        kind, v, note = values.get(r["id"], ("empty", None, ""))
        shown = None
        if kind == "number":
            if r["kind"] == "ratio":
                places = max(decimals_of(v), r.get("decimals", 0))
                f = fmts.table(r, "value", "0." + "0" * places + "%" if places else "0%")
                if r["rule"] == "ratio":
                    n = FIRST_DATA_ROW + ROWS_INDEX[r["numerator"]] + 1
                    d = FIRST_DATA_ROW + ROWS_INDEX[r["denominator"]] + 1
                    ws.write_formula(x, 3, f'=IF(N(D{d})=0,"",N(D{n})/N(D{d}))', f, float(v / 100))
                else:
                    ws.write_number(x, 3, float(v / 100), f)
            else:
                places = max(decimals_of(v), r.get("decimals", 0))
                ws.write_number(x, 3, float(v), fmts.table(r, "value", "#,##0." + "0" * places if places else "#,##0"))
        elif kind == "empty":
            ws.write_blank(x, 3, None, fmts.table(r, "value"))
        else:
            shown = {"yes": "Có", "no": "Không"}.get(kind) or ("; ".join(v) if kind == "choices" else str(v))
            ws.write_string(x, 3, shown, fmts.table(r, "text"))
        if note:
            ws.write_string(x, 4, note, fmts.table(r, "note"))
        else:
            ws.write_blank(x, 4, None, fmts.table(r, "note"))
        base = ROW_LINES.get(r["id"])
        if base is None:
            bold = r["style_"] == "bold"
            indent = 1 if not r["code"] and r["kind"] not in ("section", "group") else 0
            base = ROW_LINES[r["id"]] = max(lines_of(r["label"], WIDTHS[1] - indent * 1.5, 12, bold),
                                            lines_of(r.get("unit", ""), WIDTHS[2], 12, bold))
        lines = base
        if note:
            lines = max(lines, lines_of(note, WIDTHS[4], 12))
        if shown:
            lines = max(lines, lines_of(shown, WIDTHS[3], 12, r["style_"] == "bold"))
        ws.set_row(x, height(lines, 12))


ROWS_INDEX = {r["id"]: i for i, r in enumerate(ROWS)}


def sheet_names(units, reserved):
    used = {x.lower() for x in reserved}
    out = []
    for unit in units:
        name = " ".join(unit.split())
        for prefix in ("ủy ban nhân dân ", "uỷ ban nhân dân ", "ubnd "):
            if name.lower().startswith(prefix):
                name = name[len(prefix):]
        name = "".join("-" if ch in "[]:*?/\\" else ch for ch in name).strip("' ") or "Đơn vị"
        name = name[:31]
        cand, n = name, 2
        while cand.lower() in used:
            suffix = f" ({n})"
            cand = name[:31 - len(suffix)] + suffix
            n += 1
        used.add(cand.lower())
        out.append(cand)
    return out


def main():
    files = sorted(f for f in os.listdir(UNIT_DIR) if f.lower().endswith(".xlsx") and not f.startswith((".", "~$")))
    accepted, rejected = [], []
    for f in files:
        path = os.path.join(UNIT_DIR, f)
        with open(path, "rb") as fh:
            data = fh.read()
        sha = hashlib.sha256(data).hexdigest()
        try:
            meta, values = read_unit(path, data)
        except Exception as e:  # noqa: BLE001 - every unreadable file is a rejection
            rejected.append((path, sha, str(e)))
            continue
        name = meta["unit"] or os.path.splitext(f)[0]
        accepted.append((path, sha, name, meta, values))
    units = [(a[2], a[4]) for a in accepted]
    merged = merge(units)
    periods = [a[3]["period"] for a in accepted if a[3]["period"]]
    period = parse_period(OPTS["period"]) if OPTS["period"] else (max(set(periods), key=periods.count) if periods else None)

    wb = xlsxwriter.Workbook(OUT, {"in_memory": IN_MEMORY})
    wb.set_properties({"title": f"{FORM.get('appendix_label', 'Phụ lục')}: {FORM['title']}", "subject": period_text(period),
                       "author": "merge_calamine.py", "company": OPTS["unit"]})
    wb.set_custom_property("bieumau.form", FORM["form"])
    wb.set_custom_property("bieumau.kind", "merged")
    wb.set_custom_property("bieumau.units", str(len(accepted)))
    fmts = Formats(wb)
    # Tổng hợp
    summary = wb.add_worksheet("Tổng hợp")
    write_appendix(summary, fmts, {"unit": OPTS["unit"], "period": period}, merged, True)
    names_ = sheet_names([a[2] for a in accepted], ["Tổng hợp", "Chi tiết", "Nguồn", "Danh mục"])

    # Chi tiết
    ws = wb.add_worksheet("Chi tiết")
    title = fmts.get(font_size=13, bold=True)
    head = fmts.get(bold=True, align="center", text_wrap=True, border=1)
    text = fmts.get(text_wrap=True, border=1)
    bold = fmts.get(bold=True, text_wrap=True, border=1)
    num = fmts.get(border=1, num_format="#,##0.###")
    mnum = fmts.get(bold=True, border=1, num_format="#,##0.###")
    status = fmts.get(italic=True, font_color="#9C5700", bg_color="#FFEB9C", border=1)
    notef = fmts.get(italic=True, text_wrap=True, border=1)
    pct = lambda places: fmts.get(border=1, num_format="0." + "0" * places + "%" if places else "0%")
    ws.write_string(0, 0, f"Chi tiết số liệu từng đơn vị — {OPTS['unit']} — {period_text(period)}", title)
    ws.write_string(1, 0, f"Details per unit: {len(accepted)} đơn vị / units")
    h = 2
    for c, t in enumerate(["STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Cách tổng hợp / rule", "Tổng hợp / merged"]):
        ws.write_string(h, c, t, head)
    for j, a in enumerate(accepted):
        ws.write_string(h, 5 + j, a[2], head)
    note_col = 5 + len(accepted)
    ws.write_string(h, note_col, "Ghi chú tổng hợp / merge note", head)
    for c, w in enumerate([7, 50, 12, 22, 20]):
        ws.set_column(c, c, w)
    if accepted:
        ws.set_column(5, note_col - 1, 14)
    ws.set_column(note_col, note_col, 60)
    ws.freeze_panes(h + 1, 5)
    ws.set_row(h, 45)

    def put(x, c, r, val, is_merged):
        kind, v = val[0], val[1]
        if kind == "empty":
            if is_merged and r["rule"] == "per-unit":
                ws.write_string(x, c, "không tổng hợp được", status)
            else:
                ws.write_blank(x, c, None, text)
        elif kind == "number":
            if r["kind"] == "ratio":
                places = r.get("decimals", 2)
                q = (v / 100).quantize(Decimal(10) ** -(places + 2), rounding=ROUND_HALF_UP)
                ws.write_number(x, c, float(q), pct(min(places, 4)))
            else:
                ws.write_number(x, c, float(v), mnum if is_merged else num)
        elif kind == "status":
            ws.write_string(x, c, v, status)
        elif kind in ("yes", "no"):
            ws.write_string(x, c, "Có" if kind == "yes" else "Không", text)
        elif kind == "choices":
            ws.write_string(x, c, "; ".join(v), text)
        else:
            ws.write_string(x, c, str(v), bold if is_merged else text)

    empty = (("empty", None, ""), "")
    for i, r in enumerate(ROWS):
        x = h + 1 + i
        heading = r["rule"] == "none"
        ws.write_string(x, 0, r["code"] or r.get("marker", ""), bold if heading else text)
        ws.write_string(x, 1, r["label"], bold if heading else text)
        ws.write_string(x, 2, r.get("unit", ""), text)
        ws.write_string(x, 3, RULE_TEXT[r["rule"]], text)
        m = merged.get(r["id"], ("empty", None, ""))
        if heading:
            for c in range(4, note_col):
                ws.write_blank(x, c, None, text)
        else:
            put(x, 4, r, m, True)
            for j, a in enumerate(accepted):
                put(x, 5 + j, r, a[4].get(r["id"], empty)[0], False)
        ws.write_string(x, note_col, m[2], notef) if m[2] else ws.write_blank(x, note_col, None, notef)
    key_rows = [ROWS_INDEX[k] for k in FORM.get("key_ratios", []) if k in ROWS_INDEX]
    if key_rows and accepted:
        chart = wb.add_chart({"type": "bar"})
        for i in key_rows:
            r = ROWS[i]
            label = r["label"] if len(r["label"]) <= 48 else r["label"][:47] + "…"
            chart.add_series({"name": f"{r['code']} {label}", "categories": ["Chi tiết", h, 4, h, note_col - 1],
                              "values": ["Chi tiết", h + 1 + i, 4, h + 1 + i, note_col - 1]})
        chart.set_title({"name": "Các tỷ lệ chính theo đơn vị / Key ratios by unit"})
        chart.set_x_axis({"name": "Đơn vị / unit"})
        chart.set_y_axis({"name": "%", "num_format": "0%"})
        ws.insert_chart(h + len(ROWS) + 3, 1, chart,
                        {"x_scale": 2.5, "y_scale": min(40, max(1.5, (len(accepted) + 1) * len(key_rows) / 12))})

    # Nguồn
    src = wb.add_worksheet("Nguồn")
    mono = fmts.get(font_name="Courier New", font_size=9, border=1)
    n0 = fmts.get(border=1, num_format="0")
    good = fmts.get(font_color="#006100", bg_color="#C6EFCE", text_wrap=True, border=1)
    bad = fmts.get(font_color="#9C0006", bg_color="#FFC7CE", text_wrap=True, border=1)
    src.write_string(0, 0, f"Nguồn số liệu / Sources — {OPTS['unit']} — {period_text(period)}", title)
    src.write_string(1, 0, f"Đã tổng hợp {len(accepted)} tệp; bị loại {len(rejected)} / merged {len(accepted)}, rejected {len(rejected)}")
    for c, t in enumerate(["STT", "Tệp / file", "SHA-256", "Đơn vị / unit", "Kỳ báo cáo / period", "Kết quả / outcome",
                           "Lý do, ghi chú / reason", "Trang tính / sheet"]):
        src.write_string(3, c, t, head)
    for c, w in enumerate([6, 34, 30, 34, 18, 16, 60, 24]):
        src.set_column(c, c, w)
    src.freeze_panes(4, 0)
    x = 4
    for j, (path, sha, name, meta, _) in enumerate(accepted):
        src.write_number(x, 0, j + 1, n0)
        src.write_string(x, 1, path, text)
        src.write_string(x, 2, sha, mono)
        src.write_string(x, 3, name, text)
        src.write_string(x, 4, period_text(meta["period"]) or "(không ghi / not given)", text)
        src.write_string(x, 5, "Đã tổng hợp / merged", good)
        src.write_blank(x, 6, None, text)
        if OPTS["unit_sheets"]:
            src.write_url(x, 7, "internal:'" + names_[j].replace("'", "''") + "'!A1", string=names_[j])
        else:
            src.write_blank(x, 7, None, text)
        x += 1
    for path, sha, reason in rejected:
        src.write_number(x, 0, x - 3, n0)
        src.write_string(x, 1, path, text)
        src.write_string(x, 2, sha, mono)
        src.write_string(x, 5, "Bị loại / rejected", bad)
        src.write_string(x, 6, reason, text)
        x += 1

    # One sheet per unit, its appendix as received.
    for j, (path, sha, name, meta, values) in enumerate(accepted if OPTS["unit_sheets"] else []):
        ws = wb.add_worksheet(names_[j])
        write_appendix(ws, fmts, meta, {k: (v[0][0], v[0][1], v[1]) for k, v in values.items()}, False)
    wb.close()
    print(f"merged {len(accepted)} units, rejected {len(rejected)}")


if __name__ == "__main__":
    main()
