#!/usr/bin/env python3
"""The portal on loopback, on a deadline day (issue #11). Not a timed test: prints figures.

(a) 150 units upload over one minute (uniformly spread start times): latency per upload, p50/p99.
(b) 150 units upload at once: time until all 150 are validated and stored.
Both: the server's peak memory (VmHWM) and a check that nothing was lost: 150 rows, 150 files,
each file's bytes hashing to its name and to what was sent.

Usage: bench.py --bin .build-release/release/bieumau [--port 18450] [--spread 60] [--units 150] [--trace]
--trace: the server prints where each upload's time goes (BIEUMAU_PORTAL_TRACE=1); the phases'
p50/p99 are printed: waiting for memory, body, multipart parse, waiting for a check slot, check
(read + validate), SHA-256, write + fsync, DB commit, response.
"""
import argparse
import hashlib
import json
import os
import random
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SEED = open(os.path.join(ROOT, "Examples", "ngan-son-q1-2023.csv"), encoding="utf-8").read()


def unit_file(name, i):
    text = SEED.replace("của UBND huyện Ngân Sơn", "của " + name).replace("ngày /3/2022", "ngày /3/2023")
    return text.replace(",Văn bản,13,", ",Văn bản,%d," % (i % 50)).encode("utf-8")


def post(url, body, headers, timeout=60):
    req = urllib.request.Request(url, data=body, method="POST", headers=headers)
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return r.status, r.read()


def multipart(data, name):
    boundary = "b" + uuid.uuid4().hex
    body = ("--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"%s\"\r\n\r\n" % (boundary, name)).encode()
    return body + data + ("\r\n--%s--\r\n" % boundary).encode(), "multipart/form-data; boundary=" + boundary


def peak_kib(pid):
    for line in open("/proc/%d/status" % pid):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def scenario(args, label, spread):
    work = tempfile.mkdtemp(prefix="portal-bench-")
    data = os.path.join(work, "data")
    base = "http://127.0.0.1:%d" % args.port
    subprocess.run([args.bin, "serve", "--data", data, "--add-user", "bench"], input=b"mat-khau-bench\n",
                   check=True, capture_output=True)
    env = dict(os.environ)
    if args.trace:
        env["BIEUMAU_PORTAL_TRACE"] = "1"
    log_path = os.path.join(work, "server.log")
    log = open(log_path, "w")
    server = subprocess.Popen([args.bin, "serve", "--data", data, "--port", str(args.port)],
                              stdout=subprocess.DEVNULL, stderr=log, env=env)
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/login", timeout=1)
                break
            except Exception:
                time.sleep(0.05)
        _, body = post(base + "/api/login", json.dumps({"name": "bench", "password": "mat-khau-bench"}).encode(),
                       {"Content-Type": "application/json"})
        token = json.loads(body)["token"]
        names = ["UBND xã Số %03d" % i for i in range(args.units)]
        _, body = post(base + "/api/collections",
                       json.dumps({"form": "cchc-2023", "period": "Quý I/2023", "deadline": "2099-01-01",
                                   "parentUnit": "UBND tỉnh Bắc Kạn", "units": names}).encode(),
                       {"Content-Type": "application/json", "Authorization": "Bearer " + token})
        links = [u["token"] for u in json.loads(body)["units"]]
        files = [unit_file(n, i) for i, n in enumerate(names)]
        results = [None] * args.units
        start_gate = threading.Barrier(args.units + 1)
        offsets = sorted(random.uniform(0, spread) for _ in range(args.units)) if spread > 0 else [0.0] * args.units

        def one(i):
            body, ctype = multipart(files[i], "bao-cao.csv")
            start_gate.wait()
            t0 = time.monotonic()
            if offsets[i] > 0:
                time.sleep(offsets[i])
            t1 = time.monotonic()
            status, reply = post(base + "/u/%s/files" % links[i], body, {"Content-Type": ctype, "Accept": "application/json"})
            t2 = time.monotonic()
            o = json.loads(reply)
            results[i] = (status, t2 - t1, t2 - t0, o.get("sha256"), o.get("outcome"), o.get("summary", {}).get("errors"))

        threads = [threading.Thread(target=one, args=(i,)) for i in range(args.units)]
        for t in threads:
            t.start()
        start_gate.wait()
        began = time.monotonic()
        for t in threads:
            t.join()
        wall = time.monotonic() - began
        peak = peak_kib(server.pid)
        lat = sorted(r[1] * 1000 for r in results)
        ok = [r for r in results if r and r[0] == 201]

        # Nothing lost: rows, files, hashes.
        db = sqlite3.connect(os.path.join(data, "portal.sqlite"))
        rows = db.execute("SELECT sha256, size FROM uploads").fetchall()
        sent = {hashlib.sha256(f).hexdigest() for f in files}
        stored_ok = 0
        for sha, size in rows:
            path = os.path.join(data, "files", sha[:2], sha)
            if os.path.exists(path):
                content = open(path, "rb").read()
                if hashlib.sha256(content).hexdigest() == sha and len(content) == size:
                    stored_ok += 1
        acked = {r[3] for r in ok}
        print("%s: %d uploads, %d acknowledged (201), outcome checked: %d, errors per file: %s"
              % (label, args.units, len(ok), sum(1 for r in ok if r[4] == "checked"), sorted({r[5] for r in ok})))
        print("  latency per upload: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms"
              % (statistics.median(lat), lat[int(0.9 * (len(lat) - 1))], lat[int(0.99 * (len(lat) - 1))], lat[-1]))
        print("  all stored after %.2f s (from the first request)" % (max(r[2] for r in results) if spread == 0 else wall))
        print("  server peak memory (VmHWM): %.1f MiB" % (peak / 1024))
        lost = len(sent - acked) + (args.units - len(rows)) + (len(rows) - stored_ok)
        if args.trace:
            traces = [json.loads(line[len("upload-trace "):]) for line in open(log_path) if line.startswith("upload-trace ")]
            if traces:
                parts = []
                for phase in traces[0]:
                    xs = sorted(t.get(phase, 0.0) for t in traces)
                    parts.append("%s %.1f/%.1f" % (phase, statistics.median(xs), xs[int(0.99 * (len(xs) - 1))]))
                print("  server phases, ms p50/p99 (%d traced): %s" % (len(traces), ", ".join(parts)))
        print("  nothing lost: %d rows, %d files whose bytes match their SHA-256, acknowledged hashes = sent: %s -> %s"
              % (len(rows), stored_ok, acked == sent, "OK" if lost == 0 and len(rows) == args.units else "LOST %d" % lost))
        return lost == 0 and len(rows) == args.units
    finally:
        log.close()
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(work, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--port", type=int, default=18450)
    ap.add_argument("--units", type=int, default=150)
    ap.add_argument("--spread", type=float, default=60.0)
    ap.add_argument("--trace", action="store_true")
    args = ap.parse_args()
    print("bieumau portal benchmark: %s, %d cores, %s UTC, load average %s" % (
        args.bin, os.cpu_count(), time.strftime("%Y-%m-%d %H:%M", time.gmtime()), " ".join("%.2f" % x for x in os.getloadavg())))
    a = scenario(args, "(a) deadline day, %d uploads over %.0f s" % (args.units, args.spread), args.spread)
    b = scenario(args, "(b) burst, %d uploads at once" % args.units, 0)
    sys.exit(0 if a and b else 1)


if __name__ == "__main__":
    main()
