#!/usr/bin/env bash
# Regenerates docs/images: the seed appendix (Ngân Sơn, Q1/2023) as an official workbook and the
# blank template, printed by LibreOffice and rasterised at 60 dpi.
# Needs: swift, soffice (libreoffice-calc-nogui), pdftoppm (poppler-utils).
set -euo pipefail
cd "$(dirname "$0")/.."
SCRATCH="${SCRATCH:-.build}"
OUT=docs/images
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

swift build --scratch-path "$SCRATCH" --build-tests >/dev/null
BIEUMAU_RENDER_DIR="$WORK" swift test --scratch-path "$SCRATCH" --skip-build \
    --filter "DocsExampleTests" >/dev/null
"$SCRATCH/debug/bieumau" template --form cchc-2023 -o "$WORK/mau-cchc-2023.xlsx" \
    --unit "Ủy ban nhân dân xã Bằng Vân" --parent "UBND huyện Ngân Sơn" --period "Quý I/2023" >/dev/null

PROFILE="-env:UserInstallation=file://$WORK/lo-profile"
soffice "$PROFILE" --headless --convert-to pdf --outdir "$WORK" \
    "$WORK/phu-luc-ngan-son-q1-2023.xlsx" "$WORK/mau-cchc-2023.xlsx" >/dev/null
mkdir -p "$OUT"
rm -f "$OUT"/phu-luc-ngan-son-q1-2023-*.png "$OUT"/mau-cchc-2023-*.png
pdftoppm -png -r 60 "$WORK/phu-luc-ngan-son-q1-2023.pdf" "$OUT/phu-luc-ngan-son-q1-2023"
pdftoppm -png -r 60 -f 1 -l 1 "$WORK/mau-cchc-2023.pdf" "$OUT/mau-cchc-2023"
ls -l "$OUT"
