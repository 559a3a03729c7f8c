#!/usr/bin/env python3
"""bieumau benchmarks: runs bieumau beside the reference tools on the same generated workloads,
in one run, and prints medians of wall time, CPU time (user+sys) and peak memory, with CPU ratios
against each workload's reference. The machine is shared and noisy: compare ratios, not seconds.

Usage: Benchmarks/run [--quick] [--only convert,merge,merge-scale,read,write] [--markdown FILE]

merge-scale: the two-tier country (34 provinces, 3,321 communes): 700 and 3,400 unit workbooks
merged without per-unit sheets (bieumau merge --unit-sheets no; merge_calamine.py --no-unit-sheets),
each size once (the machine is shared). The unit workbooks are kept in $BENCH_UNITS (default
/tmp/bieumau-bench-units) between runs: generating 3,400 takes minutes.
"""
import argparse, os, shutil, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "Benchmarks")
REF = os.path.join(BENCH, "reference")
BIN = os.path.join(ROOT, ".build-release", "release", "bieumau")
PY = sys.executable


def measure(argv, cwd=None):
    """Runs argv; returns (wall s, cpu s (user+sys, microsecond resolution from wait4), peak RSS MiB),
    or a str saying why the tool failed (the run goes on: that tool is reported "not available")."""
    start = time.perf_counter()
    try:
        p = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    except OSError as e:
        return f"cannot start: {e}"
    err = p.stderr.read()
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - start
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode not in (0, 1):
        last = (err.decode("utf-8", "replace").strip().splitlines() or ["?"])[-1][:200]
        return f"exit {p.returncode}: {last}"
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024.0


def run_workload(name, tools, repeats, reference, results, out_dir):
    print(f"\n## {name}", flush=True)
    rows = []
    failures = {}
    for tool, argv_fn in tools:
        samples = []
        for i in range(repeats):
            s = measure(argv_fn(i))
            if isinstance(s, str):
                failures[tool] = s
                break
            samples.append(s)
        if tool in failures:
            print(f"  {tool}: not available ({failures[tool]})", file=sys.stderr, flush=True)
            rows.append((tool, None, None, None))
            continue
        wall = statistics.median(s[0] for s in samples)
        cpu = statistics.median(s[1] for s in samples)
        rss = max(s[2] for s in samples)
        rows.append((tool, wall, cpu, rss))
    ref_cpu = next((r[2] for r in rows if r[0] == reference), None)
    print(f"| tool | wall s (median of {repeats}) | CPU s | peak MiB | CPU ÷ {reference} |")
    print("|---|---:|---:|---:|---:|")
    for tool, wall, cpu, rss in rows:
        if wall is None:
            print(f"| {tool} | not available | – | – | – |")
            continue
        ratio = f"{cpu / ref_cpu:.2f}" if ref_cpu else "–"
        print(f"| {tool} | {wall:.3f} | {cpu:.3f} | {rss:.1f} | {ratio} |")
    results[name] = rows
    sys.stdout.flush()


def row_of(results, workload_prefix, tool):
    for name, rows in results.items():
        if name.startswith(workload_prefix) and (workload_prefix != "Merge" or not name.startswith("Merge at scale")):
            for r in rows:
                if r[0] == tool and r[1] is not None:
                    return r
    return None


def check_targets(results):
    """Prints each target with its measured value: met, missed, or not measured."""
    print("\n## Targets")
    checks = [
        ("Convert", "bieumau convert", "C + libxlsxwriter", "CPU ≤ 3× the C program", lambda b, r: (b[2] / r[2], b[2] / r[2] <= 3.0, f"{b[2] / r[2]:.2f}×")),
        ("Merge", "bieumau merge", "python-calamine + XlsxWriter", "CPU ≤ ½ of python-calamine + XlsxWriter (≥ 2× faster)", lambda b, r: (0, r[2] / b[2] >= 2.0, f"{r[2] / b[2]:.2f}× faster in CPU, {r[1] / b[1]:.2f}× in wall time")),
        ("Read", "bieumau dump XLSX → CSV", "fastexcel", "CPU ≤ fastexcel, peak < 64 MiB", lambda b, r: (0, b[2] <= r[2] and b[3] < 64, f"{b[2] / r[2]:.2f}× fastexcel's CPU, {b[3]:.0f} MiB")),
        ("Write", "bieumau dump CSV → XLSX", "C + libxlsxwriter (constant_memory)", "CPU ≤ 1.2× the C program, peak < 64 MiB", lambda b, r: (0, b[2] <= 1.2 * r[2] and b[3] < 64, f"{b[2] / r[2]:.2f}× C's CPU, {b[3]:.0f} MiB")),
    ]
    big = "Merge at scale: 3400" if any(k.startswith("Merge at scale: 3400") for k in results) else "Merge at scale: 120"
    checks += [
        ("Merge at scale: 700", "bieumau merge", "python-calamine + XlsxWriter", "CPU ≤ ½ of python-calamine + XlsxWriter",
         lambda b, r: (0, b[2] <= 0.5 * r[2], f"{b[2] / r[2]:.2f}× its CPU, {b[3]:.0f} MiB")),
        (big, "bieumau merge", "python-calamine + XlsxWriter", "CPU ≤ ½ of python-calamine + XlsxWriter, peak ≤ 512 MiB",
         lambda b, r: (0, b[2] <= 0.5 * r[2] and b[3] <= 512, f"{b[2] / r[2]:.2f}× its CPU, {b[3]:.0f} MiB (Python {r[3]:.0f} MiB)")),
    ]
    for prefix, tool, ref, target, judge in checks:
        b, r = row_of(results, prefix, tool), row_of(results, prefix, ref)
        if not b or not r:
            print(f"- {prefix}: {target} — not measured")
            continue
        _, ok, text = judge(b, r)
        print(f"- {prefix}: {target} — {'met' if ok else 'MISSED'} ({text})")


class Tee:
    def __init__(self, *streams): self.streams = streams
    def write(self, s):
        for st in self.streams: st.write(s)
    def flush(self):
        for st in self.streams: st.flush()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="smaller workloads, fewer repeats (a smoke run)")
    ap.add_argument("--only", default="convert,write,read,merge,merge-scale")
    ap.add_argument("--markdown", help="also write the tables to this file")
    args = ap.parse_args()
    if args.markdown:
        sys.stdout = Tee(sys.__stdout__, open(args.markdown, "w", encoding="utf-8"))
    only = set(args.only.split(","))
    work = tempfile.mkdtemp(prefix="bieumau-bench-")
    results = {}
    print(f"bieumau benchmarks — {time.strftime('%Y-%m-%d %H:%M')} — {os.cpu_count()} cores; work folder {work}")
    seed = os.path.join(ROOT, "Examples", "ngan-son-q1-2023.csv")
    cref = lambda prog: os.path.join(work, prog)
    for prog in ("convert_appendix", "write_big"):
        subprocess.run(["cc", "-O2", "-o", cref(prog), os.path.join(REF, prog + ".c")]
                       + subprocess.check_output(["pkg-config", "--cflags", "--libs", "xlsxwriter"], text=True).split(),
                       check=True)

    if "convert" in only:
        n = 3 if args.quick else 11
        out = lambda tool: (lambda i: os.path.join(work, f"convert-{tool}-{i}.xlsx"))
        run_workload("Convert one appendix (seed CSV → official XLSX), including process start", [
            ("C + libxlsxwriter", lambda i: [cref("convert_appendix"), seed, out("c")(i)]),
            ("bieumau convert", lambda i: [BIN, "convert", seed, "-o", out("bieumau")(i), "--force",
                                           "--unit", "ỦY BAN NHÂN DÂN HUYỆN NGÂN SƠN", "--period", "Quý I/2023"]),
            ("Python XlsxWriter", lambda i: [PY, os.path.join(REF, "convert_appendix_xlsxwriter.py"), seed, out("xw")(i)]),
            ("Python openpyxl", lambda i: [PY, os.path.join(REF, "convert_appendix_openpyxl.py"), seed, out("opx")(i)]),
        ], n, "C + libxlsxwriter", results, work)

    rows = 20_000 if args.quick else 200_000
    big_csv = os.path.join(work, "big.csv")
    if "write" in only:
        subprocess.run([PY, os.path.join(REF, "make_big_csv.py"), big_csv, str(rows)], check=True)
    if "write" in only:
        n = 1 if args.quick else 3
        out = lambda tool: (lambda i: os.path.join(work, f"write-{tool}-{i}.xlsx"))
        run_workload(f"Write a {rows:,} × 10 CSV to XLSX (streaming)", [
            ("C + libxlsxwriter (constant_memory)", lambda i: [cref("write_big"), big_csv, out("c")(i)]),
            ("bieumau dump CSV → XLSX", lambda i: [BIN, "dump", big_csv, "-o", out("bieumau")(i), "--force"]),
            ("Python XlsxWriter (constant_memory)", lambda i: [PY, os.path.join(REF, "write_big_xlsxwriter.py"), big_csv, out("xw")(i)]),
            ("Python openpyxl (write_only)", lambda i: [PY, os.path.join(REF, "write_big_openpyxl.py"), big_csv, out("opx")(i)]),
        ], n, "C + libxlsxwriter (constant_memory)", results, work)
    if "read" in only:
        n = 1 if args.quick else 3
        big_xlsx = os.path.join(work, "big.xlsx")
        subprocess.run([PY, os.path.join(REF, "make_big_xlsx.py"), big_xlsx, str(rows)], check=True)
        out = lambda tool: (lambda i: os.path.join(work, f"read-{tool}-{i}.csv"))
        run_workload(f"Read a {rows:,} × 10 sheet to CSV", [
            ("fastexcel", lambda i: [PY, os.path.join(REF, "read_big.py"), "fastexcel", big_xlsx, out("fx")(i)]),
            ("bieumau dump XLSX → CSV", lambda i: [BIN, "dump", big_xlsx, "-o", out("bieumau")(i), "--force"]),
            ("python-calamine", lambda i: [PY, os.path.join(REF, "read_big.py"), "calamine", big_xlsx, out("cal")(i)]),
            ("openpyxl (read_only)", lambda i: [PY, os.path.join(REF, "read_big.py"), "openpyxl", big_xlsx, out("opx")(i)]),
        ], n, "fastexcel", results, work)
    if "merge" in only:
        n = 1 if args.quick else 3
        units = 40 if args.quick else 700
        unit_dir = os.path.join(work, "units")
        subprocess.run([PY, os.path.join(REF, "make_units.py"), os.path.join(ROOT, "Templates", "cchc-2023", "form.yaml"), unit_dir, str(units)], check=True)
        out = lambda tool: (lambda i: os.path.join(work, f"merge-{tool}-{i}.xlsx"))
        run_workload(f"Merge {units} unit workbooks into the parent's workbook", [
            ("python-calamine + XlsxWriter", lambda i: [PY, os.path.join(REF, "merge_calamine.py"), unit_dir, out("cal")(i)]),
            ("bieumau merge", lambda i: [BIN, "merge", unit_dir, "-o", out("bieumau")(i), "--force",
                                         "--unit", "ỦY BAN NHÂN DÂN TỈNH BẮC KẠN", "--period", "Quý I/2023"]),
            ("openpyxl + XlsxWriter", lambda i: [PY, os.path.join(REF, "merge_calamine.py"), "--openpyxl", unit_dir, out("opx")(i)]),
        ], n, "python-calamine + XlsxWriter", results, work)
    if "merge-scale" in only:
        units_root = os.environ.get("BENCH_UNITS", "/tmp/bieumau-bench-units")
        largest = 120 if args.quick else 3400
        all_units = os.path.join(units_root, f"units-{largest}")
        if not (os.path.isdir(all_units) and len(os.listdir(all_units)) == largest):
            shutil.rmtree(all_units, ignore_errors=True)
            print(f"generating {largest} unit workbooks in {all_units}", file=sys.stderr, flush=True)
            subprocess.run([PY, os.path.join(REF, "make_units.py"), os.path.join(ROOT, "Templates", "cchc-2023", "form.yaml"),
                            all_units, str(largest)], check=True)
        names = sorted(os.listdir(all_units))
        for size in ((40, 120) if args.quick else (700, 3400)):
            unit_dir = all_units
            if size < largest:
                # The first N of the same units (the generator is seeded per unit).
                unit_dir = os.path.join(work, f"units-{size}")
                os.makedirs(unit_dir, exist_ok=True)
                for name in names[:size]:
                    os.symlink(os.path.join(all_units, name), os.path.join(unit_dir, name))
            out = lambda tool, size=size: (lambda i: os.path.join(work, f"merge{size}-{tool}-{i}.xlsx"))
            run_workload(f"Merge at scale: {size} units, no per-unit sheets", [
                ("python-calamine + XlsxWriter", lambda i, d=unit_dir, o=out("cal"): [PY, os.path.join(REF, "merge_calamine.py"), "--no-unit-sheets", d, o(i)]),
                ("bieumau merge", lambda i, d=unit_dir, o=out("bieumau"): [BIN, "merge", d, "-o", o(i), "--force", "--unit-sheets", "no",
                                                                            "--unit", "ỦY BAN NHÂN DÂN TỈNH BẮC KẠN", "--period", "Quý I/2023"]),
            ], 1, "python-calamine + XlsxWriter", results, work)
    check_targets(results)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
