#!/usr/bin/env python3
"""Re-encodes the seed CSV (Examples/ngan-son-q1-2023.csv, UTF-8) as a unit on an old computer
would have typed it: in TCVN3 (ABC, .VnTime fonts) and in VNI (VNI-Windows, VNI-Times fonts).

Written apart from the Swift reader (Sources/VietnameseText) so that a fixture is not the reader's
own output:
  - TCVN3 through glibc iconv (`iconv -t TCVN5712-1`; VN3 is the part of TCVN 5712:1993 the .Vn fonts
    hold). TCVN3 has no capitals with tones: they are typed in the capital fonts (.VnTimeH) with the
    lower-case codes, so they are lowered before encoding, as the typist's bytes were.
  - VNI from the VNI-Windows rules below (mark bytes after a base letter).
Usage: scripts/make-legacy-csv.py [OUT_DIR]   (default Tests/CLITests/Fixtures/legacy)
"""
import os
import subprocess
import sys
import unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(ROOT, "Examples", "ngan-son-q1-2023.csv")
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "Tests", "CLITests", "Fixtures", "legacy")
os.makedirs(OUT, exist_ok=True)
text = unicodedata.normalize("NFC", open(SRC, encoding="utf-8", newline="").read())

# --- TCVN3 -----------------------------------------------------------------------------------------
BASE_CAPITALS = set("ĂÂÊÔƠƯĐ")
typed = "".join(c.lower() if ord(c) > 127 and c.isupper() and c not in BASE_CAPITALS else c for c in text)
tcvn3 = subprocess.run(["iconv", "-f", "UTF-8", "-t", "TCVN5712-1"], input=typed.encode("utf-8"),
                       capture_output=True, check=True).stdout
# VN3 only: no byte in the C0 range but tab/CR/LF, none in 0x80-0xA0 (VN1's capitals with tones).
assert all(b >= 0x20 or b in (9, 10, 13) for b in tcvn3)
assert not any(0x80 <= b <= 0xA0 for b in tcvn3)
open(os.path.join(OUT, "ngan-son-q1-2023-tcvn3.csv"), "wb").write(tcvn3)

# --- VNI -------------------------------------------------------------------------------------------
# Mark bytes (lower-case forms; a capital letter takes the byte minus 0x20).
TONE = {"\u0300": 0xF8, "\u0301": 0xF9, "\u0309": 0xFB, "\u0303": 0xF5, "\u0323": 0xEF}
CIRCUMFLEX = {None: 0xE2, "\u0300": 0xE0, "\u0301": 0xE1, "\u0309": 0xE5, "\u0303": 0xE3, "\u0323": 0xE4}
BREVE = {None: 0xEA, "\u0300": 0xE8, "\u0301": 0xE9, "\u0309": 0xFA, "\u0303": 0xFC, "\u0323": 0xEB}
I_TONED = {"\u0300": 0xEC, "\u0301": 0xED, "\u0309": 0xE6, "\u0303": 0xF3, "\u0323": 0xF2}


def vni(ch):
    if ord(ch) < 128:
        return bytes([ord(ch)])
    if ch in "đĐ":
        return bytes([0xF1 if ch == "đ" else 0xD1])
    upper = ch.isupper()
    shift = 0x20 if upper else 0
    d = unicodedata.normalize("NFD", ch)
    base, marks = d[0], d[1:]
    vowel = next((m for m in marks if m in "\u0302\u0306\u031B"), None)
    tone = next((m for m in marks if m in TONE), None)
    if vowel == "\u031B":
        letter = (0xF4 if base.lower() == "o" else 0xF6) - shift
        return bytes([letter] + ([TONE[tone] - shift] if tone else []))
    if base.lower() == "i" and tone and not vowel:
        return bytes([I_TONED[tone] - shift])
    if base.lower() == "y" and tone == "\u0323":
        return bytes([0xEE - shift])
    if vowel == "\u0302":
        return bytes([ord(base), CIRCUMFLEX[tone] - shift])
    if vowel == "\u0306":
        return bytes([ord(base), BREVE[tone] - shift])
    if tone:
        return bytes([ord(base), TONE[tone] - shift])
    raise ValueError(f"no VNI form for {ch!r}")


open(os.path.join(OUT, "ngan-son-q1-2023-vni.csv"), "wb").write(b"".join(vni(c) for c in text))
print(f"wrote {OUT}/ngan-son-q1-2023-tcvn3.csv and -vni.csv")
