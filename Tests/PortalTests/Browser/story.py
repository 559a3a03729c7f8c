#!/usr/bin/env python3
"""The portal's whole story in a real browser (headless Chromium driven by Playwright).

Starts `bieumau serve` on a fresh data folder, then: the collector signs in and creates a collection
of three units; unit A uploads a file with errors, sees them grouped by section, downloads the
annotated copy, uploads a fixed file and submits; unit B submits (an .xlsx made by `bieumau convert`);
C does nothing; the dashboard shows 2/3 with C missing; the merged workbook is downloaded and its
totals are checked against the inputs (openpyxl). A screenshot of each page goes to --shots.

Usage: story.py --bin .build/debug/bieumau --port 18090 --work /tmp/x --shots docs/images/portal
Exit status 0 when every check passed; the first failed check is printed and exits 1.
"""
import argparse
import datetime
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request

from playwright.sync_api import sync_playwright, expect

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
SEED = os.path.join(ROOT, "Examples", "ngan-son-q1-2023.csv")
UNIT_A, UNIT_B, UNIT_C = "UBND xã Bằng Vân", "UBND xã Thượng Quan", "UBND xã Vân Tùng"
PASSWORD = "mat-khau-thu-nghiem"


def check(condition, what):
    if not condition:
        print("FAILED: " + what, file=sys.stderr)
        sys.exit(1)
    print("ok - " + what)


def unit_file(unit, fixed, value_1_1):
    """The seed appendix as `unit`'s file; `fixed` corrects the seed's three errors."""
    lines = open(SEED, encoding="utf-8").read().split("\n")
    out = []
    for line in lines:
        line = line.replace("của UBND huyện Ngân Sơn", "của " + unit)
        if line.startswith("1.1,"):
            line = re.sub(r",Văn bản,13,", ",Văn bản,%d," % value_1_1, line)
        if fixed:
            line = line.replace("ngày /3/2022", "ngày /3/2023")
            if line.startswith("1.6,"):
                line = line.replace(",Có/không,0,", ",Có/không,Không,")
            if line.startswith("3.1.4,"):
                line = line.replace(",Thủ tục,,", ",Thủ tục,375,")
        out.append(line)
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--port", type=int, default=18090)
    ap.add_argument("--work", required=True)
    ap.add_argument("--shots", required=True)
    ap.add_argument("--chromium", default="/usr/bin/chromium")
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    os.makedirs(args.shots, exist_ok=True)
    data = os.path.join(args.work, "data")
    base = "http://127.0.0.1:%d" % args.port

    # Input files: A with errors, A fixed, B as a workbook converted by bieumau itself.
    a_bad = os.path.join(args.work, "bang-van-loi.csv")
    a_fixed = os.path.join(args.work, "bang-van-da-sua.csv")
    b_csv = os.path.join(args.work, "thuong-quan.csv")
    b_xlsx = os.path.join(args.work, "thuong-quan.xlsx")
    open(a_bad, "w", encoding="utf-8").write(unit_file(UNIT_A, False, 13))
    open(a_fixed, "w", encoding="utf-8").write(unit_file(UNIT_A, True, 13))
    open(b_csv, "w", encoding="utf-8").write(unit_file(UNIT_B, True, 7))
    r = subprocess.run([args.bin, "convert", b_csv, "-o", b_xlsx, "--force", "--unit", UNIT_B, "--period", "Quý I/2023"],
                       capture_output=True, text=True)
    check(r.returncode == 0, "bieumau convert made B's workbook (%s)" % r.stderr.strip())

    r = subprocess.run([args.bin, "serve", "--data", data, "--add-user", "thu.nguyen"], input=PASSWORD + "\n",
                       capture_output=True, text=True)
    check(r.returncode == 0, "serve --add-user created the collector's account (%s)" % r.stderr.strip())

    server = subprocess.Popen([args.bin, "serve", "--data", data, "--port", str(args.port)],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        for _ in range(100):
            if server.poll() is not None:
                check(False, "the server is running (it exited with %s: is port %d taken?)" % (server.returncode, args.port))
            try:
                urllib.request.urlopen(base + "/login", timeout=1)
                break
            except Exception:
                time.sleep(0.1)
        run_story(args, base)
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


def shot(page, args, name):
    page.screenshot(path=os.path.join(args.shots, name + ".png"), full_page=True)


def run_story(args, base):
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=args.chromium, args=["--no-sandbox"])
        collector = browser.new_context(viewport={"width": 1200, "height": 800}, accept_downloads=True)
        page = collector.new_page()
        console_errors = []
        page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)

        # 1. Sign in (by keyboard: Tab from the name to the password, Enter submits).
        page.goto(base + "/")
        expect(page.locator("h1")).to_contain_text("Đăng nhập")
        shot(page, args, "01-dang-nhap")
        page.fill("#name", "thu.nguyen")
        page.fill("#password", "sai-mat-khau")
        page.press("#password", "Enter")
        expect(page.locator("#login-error")).to_be_visible()
        check("Sai tên đăng nhập" in page.inner_text("#login-error"), "a wrong password is refused with a message")
        page.fill("#name", "thu.nguyen")
        page.keyboard.press("Tab")
        page.keyboard.type(PASSWORD)
        page.keyboard.press("Enter")
        page.wait_for_url(base + "/collections")
        check(page.url.endswith("/collections"), "signed in, on the collections page")

        # 2. A collection of three units.
        deadline = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
        page.fill("#title", "Báo cáo CCHC Quý I/2023")
        page.fill("#period", "Quý I/2023")
        page.fill("#deadline", deadline)
        page.fill("#parentUnit", "UBND huyện Ngân Sơn")
        page.fill("#units", "\n".join([UNIT_A, UNIT_B, UNIT_C]))
        shot(page, args, "02-tao-dot")
        page.click("button:has-text('Tạo đợt báo cáo')")
        page.wait_for_url(re.compile(r".*/collections/\d+$"))
        dashboard_url = page.url
        expect(page.locator("#progress-text")).to_have_text("đã nộp 0/3")
        page.click("#links")
        links = page.locator("td.url code").all_inner_texts()
        check(len(links) == 3 and all("/u/" in l for l in links), "three printable upload links")
        shot(page, args, "03-duong-dan")
        page.emulate_media(media="print")
        shot(page, args, "03b-duong-dan-ban-in")
        page.emulate_media(media="screen")
        link_a, link_b = links[0], links[1]

        # 3. Unit A: a file with errors.
        unit_ctx = browser.new_context(viewport={"width": 1200, "height": 800}, accept_downloads=True)
        ua = unit_ctx.new_page()
        ua.goto(link_a)
        expect(ua.locator("h1")).to_contain_text(UNIT_A)
        shot(ua, args, "04-trang-don-vi")
        with ua.expect_download() as d:
            ua.click("#dl-template")
        template = os.path.join(args.work, "mau.xlsx")
        d.value.save_as(template)
        check(open(template, "rb").read(2) == b"PK", "the blank form downloads as a workbook")
        ua.set_input_files("#file", os.path.join(args.work, "bang-van-loi.csv"))
        started = time.time()
        ua.click("#upload-button")
        ua.wait_for_url(re.compile(r".*/files/\d+$"))
        elapsed = time.time() - started
        check(elapsed < 1.0, "the check result is shown within a second (%.2f s)" % elapsed)
        check(ua.inner_text("#summary").startswith("3 lỗi"), "A sees its 3 errors: " + ua.inner_text("#summary"))
        headings = ua.locator("section.findings h2").all_inner_texts()
        check(any(h.startswith("[1]") for h in headings) and any(h.startswith("[3]") for h in headings),
              "findings are grouped by section: %s" % headings)
        shot(ua, args, "05-ket-qua-co-loi")
        check("1.6" in "\n".join(ua.locator("section.findings").all_inner_texts()), "the yes/no error of row 1.6 is named")
        with ua.expect_download() as d:
            ua.click("#dl-annotated")
        annotated = os.path.join(args.work, "kiem-tra.xlsx")
        d.value.save_as(annotated)
        import openpyxl
        wb = openpyxl.load_workbook(annotated)
        check("Kiểm tra" in wb.sheetnames, "the annotated copy has its findings sheet: %s" % wb.sheetnames)
        # Submitting needs the explicit confirmation: without the box ticked nothing is submitted.
        ua.click("#submit-button")
        check(ua.locator("#submitted").count() == 0, "a file with errors is not submitted without confirmation")

        # A fixed file, submitted.
        ua.goto(link_a)
        ua.set_input_files("#file", a_fixed_path(args))
        ua.click("#upload-button")
        ua.wait_for_url(re.compile(r".*/files/\d+$"))
        check(ua.inner_text("#summary").startswith("0 lỗi"), "the fixed file has no errors: " + ua.inner_text("#summary"))
        ua.click("#submit-button")
        expect(ua.locator("#submitted")).to_be_visible()
        shot(ua, args, "06-da-nop")
        ua.goto(link_a)
        check(ua.locator("#history tbody tr").count() == 2, "A's page lists both uploads")
        shot(ua, args, "07-lich-su-don-vi")

        # 4. Unit B submits a workbook.
        ub = unit_ctx.new_page()
        ub.goto(link_b)
        ub.set_input_files("#file", os.path.join(args.work, "thuong-quan.xlsx"))
        ub.click("#upload-button")
        ub.wait_for_url(re.compile(r".*/files/\d+$"))
        check(ub.inner_text("#summary").startswith("0 lỗi"), "B's workbook has no errors: " + ub.inner_text("#summary"))
        ub.click("#submit-button")
        expect(ub.locator("#submitted")).to_be_visible()

        # A's link cannot be used for another unit's file: B's file uploaded on A's link is refused.
        ua.goto(link_a)
        ua.set_input_files("#file", os.path.join(args.work, "thuong-quan.xlsx"))
        ua.click("#upload-button")
        ua.wait_for_url(re.compile(r".*/files/\d+$"))
        check("Thượng Quan" in ua.inner_text("#refusal"), "another unit's file is refused with the reason")
        check(ua.locator("#submit-form").count() == 0, "a refused file offers no submit button")
        shot(ua, args, "08-tu-choi")

        # 5. The dashboard: 2/3, C missing.
        page.goto(dashboard_url)
        expect(page.locator("#progress-text")).to_have_text("đã nộp 2/3")
        check(UNIT_C in page.inner_text("#missing"), "C is named as missing")
        rows = page.locator("#units tbody tr").all_inner_texts()
        check("đã nộp" in rows[0] and "đã nộp" in rows[1] and "chưa nộp" in rows[2], "statuses per unit: %s" % rows)
        shot(page, args, "09-bang-theo-doi")
        with page.expect_download() as d:
            page.click("#dl-merged")
        merged = os.path.join(args.work, "tong-hop.xlsx")
        d.value.save_as(merged)
        wb = openpyxl.load_workbook(merged, data_only=True)
        summary = wb["Tổng hợp"]
        values = {}
        for row in summary.iter_rows(values_only=True):
            if row and row[0] is not None:
                values.setdefault(str(row[0]).strip(), row)
        total_1_1 = values.get("1.1")
        check(total_1_1 is not None and 20 in total_1_1, "merged 1.1 = 13 (A) + 7 (B) = 20: %s" % (total_1_1,))
        total_3_1_4 = values.get("3.1.4")
        check(total_3_1_4 is not None and 750 in total_3_1_4, "merged 3.1.4 = 375 + 375 = 750: %s" % (total_3_1_4,))
        sources = "\n".join(" ".join(str(c) for c in r if c is not None) for r in wb["Nguồn"].iter_rows(values_only=True))
        check(UNIT_C in sources, "the merged workbook names the missing unit C")
        with page.expect_download() as d:
            page.click("#dl-zip")
        zpath = os.path.join(args.work, "ban-goc.zip")
        d.value.save_as(zpath)
        import zipfile
        names = zipfile.ZipFile(zpath).namelist()
        check(len(names) == 2, "the zip holds the two latest originals: %s" % names)
        with page.expect_download() as d:
            page.click("#dl-csv")
        check(d.value.suggested_filename.endswith(".csv"), "the findings download as CSV")

        # English and print.
        page.click("a[hreflang=en]")
        expect(page.locator("#progress-text")).to_have_text("submitted 2/3")
        shot(page, args, "10-dashboard-english")
        page.click("a[hreflang=vi]")
        page.emulate_media(media="print")
        shot(page, args, "11-bang-theo-doi-ban-in")
        check(not console_errors, "no script errors in the console: %s" % console_errors)
        browser.close()


def a_fixed_path(args):
    return os.path.join(args.work, "bang-van-da-sua.csv")


if __name__ == "__main__":
    main()
