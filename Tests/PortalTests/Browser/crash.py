#!/usr/bin/env python3
"""kill -9 during uploads loses nothing acknowledged and leaves no half-record.

Starts `bieumau serve`, creates a collection over the API, uploads from 6 threads without pause,
kills the server with SIGKILL mid-stream, restarts it and checks:
  - every upload the server acknowledged (201 with an id) is there after the restart, same SHA-256;
  - every row in the database names a file that exists and whose bytes hash to its name;
  - nothing is left in tmp/ after the restart.
Usage: crash.py --bin .build/debug/bieumau --port 18091 --work /tmp/x
"""
import argparse
import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
SEED = open(os.path.join(ROOT, "Examples", "ngan-son-q1-2023.csv"), "rb").read()


def fail(what):
    print("FAILED: " + what, file=sys.stderr)
    sys.exit(1)


def request(method, url, body=None, headers=None, timeout=10):
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return r.status, r.read()


def multipart(data, name):
    boundary = "b" + uuid.uuid4().hex
    body = ("--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"%s\"\r\n\r\n" % (boundary, name)).encode()
    body += data + ("\r\n--%s--\r\n" % boundary).encode()
    return body, "multipart/form-data; boundary=" + boundary


def start(args, data):
    p = subprocess.Popen([args.bin, "serve", "--data", data, "--port", str(args.port), "--uploads-per-minute", "100000"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        if p.poll() is not None:
            fail("the server exited at start (status %s): is port %d taken?" % (p.returncode, args.port))
        try:
            request("GET", "http://127.0.0.1:%d/login" % args.port, timeout=1)
            return p
        except Exception:
            time.sleep(0.05)
    fail("the server did not start")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--port", type=int, default=18091)
    ap.add_argument("--work", required=True)
    args = ap.parse_args()
    data = os.path.join(args.work, "data")
    base = "http://127.0.0.1:%d" % args.port
    subprocess.run([args.bin, "serve", "--data", data, "--add-user", "thu"], input=b"mat-khau-dai\n", check=True,
                   capture_output=True)
    server = start(args, data)
    try:
        acked, link = upload_until_killed(args, base, server)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    check_after_restart(args, data, base, link, acked)


def upload_until_killed(args, base, server):
    _, body = request("POST", base + "/api/login", json.dumps({"name": "thu", "password": "mat-khau-dai"}).encode(),
                      {"Content-Type": "application/json"})
    token = json.loads(body)["token"]
    _, body = request("POST", base + "/api/collections",
                      json.dumps({"form": "cchc-2023", "period": "Quý I/2023", "deadline": "2099-01-01",
                                  "units": ["UBND huyện Ngân Sơn"]}).encode(),
                      {"Content-Type": "application/json", "Authorization": "Bearer " + token})
    link = json.loads(body)["units"][0]["token"]

    acknowledged = []  # (id, sha256)
    lock = threading.Lock()
    stop = threading.Event()

    def uploader(n):
        i = 0
        while not stop.is_set():
            # Each upload distinct bytes (a trailing comment line), so each has its own file.
            data = SEED + ("\n# %d-%d-%s\n" % (n, i, uuid.uuid4().hex)).encode()
            i += 1
            body, ctype = multipart(data, "f.csv")
            try:
                status, reply = request("POST", base + "/u/%s/files" % link, body, {"Content-Type": ctype}, timeout=5)
            except Exception:
                continue
            if status == 201:
                o = json.loads(reply)
                if o["sha256"] != hashlib.sha256(data).hexdigest():
                    fail("the acknowledged hash is not the hash of the bytes sent")
                with lock:
                    acknowledged.append((o["id"], o["sha256"]))

    threads = [threading.Thread(target=uploader, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    time.sleep(2.0)
    os.kill(server.pid, signal.SIGKILL)
    server.wait()
    stop.set()
    for t in threads:
        t.join()
    with lock:
        acked = list(acknowledged)
    if len(acked) < 5:
        fail("too few uploads before the kill to mean anything (%d)" % len(acked))
    print("ok - %d uploads acknowledged before kill -9" % len(acked))
    return acked, link


def check_after_restart(args, data, base, link, acked):
    server = start(args, data)
    try:
        for upload_id, sha in acked:
            status, reply = request("GET", base + "/u/%s/files/%d" % (link, upload_id), headers={"Accept": "application/json"})
            o = json.loads(reply)
            if status != 200 or o["sha256"] != sha:
                fail("acknowledged upload %d is missing or changed after the restart" % upload_id)
        print("ok - every acknowledged upload is there after the restart")
        db = sqlite3.connect(os.path.join(data, "portal.sqlite"))
        rows = db.execute("SELECT id, sha256, size FROM uploads").fetchall()
        for upload_id, sha, size in rows:
            path = os.path.join(data, "files", sha[:2], sha)
            if not os.path.exists(path):
                fail("row %d names a missing file" % upload_id)
            content = open(path, "rb").read()
            if hashlib.sha256(content).hexdigest() != sha or len(content) != size:
                fail("row %d: the file's bytes do not match its hash or size" % upload_id)
        print("ok - %d rows, each with its complete file (no half-record)" % len(rows))
        leftovers = os.listdir(os.path.join(data, "tmp"))
        if leftovers:
            fail("temporary files left after the restart: %s" % leftovers)
        print("ok - no temporary file left")
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
