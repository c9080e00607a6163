#!/usr/bin/env python3
"""Crash test: acknowledged entries survive kill -9 (ARCHITECTURE.md, Invariants).

    crash.py KINDLOGD DIR CYCLES WRITERS

Each cycle starts kindlogd on DIR/kindlogd.sock with DIR/kindlog.db, runs
WRITERS concurrent clients that add entries one after another (each with
two tags) and remember every acknowledged id, SIGKILLs the daemon at a
random moment, and then looks at the file with the sqlite3 CLI:

  - PRAGMA integrity_check says ok;
  - every acknowledged id is there with exactly the text that was sent;
  - an entry that was sent but not acknowledged is there whole (its text
    and both tags) or not at all;
  - day_counts (kept by triggers) agrees with the entries.

Prints key=value lines for the shell test; lost= counts acknowledged
entries missing after a crash and must be 0.
"""
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time


def wait_socket(path, proc, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.connect(path)
            s.close()
            return True
        except OSError:
            s.close()
            time.sleep(0.02)
    return False


class Writer(threading.Thread):
    def __init__(self, path, cycle, w):
        super().__init__(daemon=True)
        self.path, self.cycle, self.w = path, cycle, w
        self.acked = {}        # text -> id
        self.pending = None    # text sent, no reply yet

    def run(self):
        try:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(self.path)
            f = s.makefile("rb")
            n = 0
            while True:
                n += 1
                text = "crash c%d w%d n%d %s" % (self.cycle, self.w, n,
                                                 "x" * random.randint(1, 300))
                req = {"jsonrpc": "2.0", "id": n, "method": "add",
                       "params": {"text": text,
                                  "tags": ["crash", "w%d" % self.w]}}
                self.pending = text
                s.sendall(json.dumps(req).encode() + b"\n")
                line = f.readline()
                if not line:
                    return
                reply = json.loads(line)
                if "result" not in reply:
                    print("# unexpected reply: %s" % line, file=sys.stderr)
                    return
                self.acked[text] = reply["result"]["entry"]["id"]
                self.pending = None
        except OSError:
            return


def sql(db, query):
    out = subprocess.run(["sqlite3", "-batch", "-json", db, query],
                         capture_output=True, text=True, timeout=30)
    if out.returncode != 0:
        raise RuntimeError("sqlite3: " + out.stderr.strip())
    return json.loads(out.stdout) if out.stdout.strip() else []


def main():
    kindlogd, d, cycles, nwriters = (sys.argv[1], sys.argv[2],
                                     int(sys.argv[3]), int(sys.argv[4]))
    sock, db = os.path.join(d, "kindlogd.sock"), os.path.join(d, "kindlog.db")
    random.seed(int(os.environ.get("CRASH_SEED", "6")))
    lost = torn = bad_integrity = bad_counts = start_failures = 0
    total_acked = total_pending_present = total_pending_absent = 0
    for cycle in range(1, cycles + 1):
        log = open(os.path.join(d, "kindlogd.%d.log" % cycle), "w")
        proc = subprocess.Popen([kindlogd, "--socket", sock, "--db", db],
                                stdout=log, stderr=subprocess.STDOUT)
        if not wait_socket(sock, proc):
            start_failures += 1
            proc.kill()
            proc.wait()
            print("# cycle %d: the daemon did not come up" % cycle)
            continue
        writers = [Writer(sock, cycle, w) for w in range(nwriters)]
        for w in writers:
            w.start()
        time.sleep(random.uniform(0.05, 0.6))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        for w in writers:
            w.join(10)
        log.close()
        try:
            os.unlink(sock)     # left behind by kill -9
        except FileNotFoundError:
            pass
        ic = sql(db, "PRAGMA integrity_check")
        if [r.get("integrity_check") for r in ic] != ["ok"]:
            bad_integrity += 1
            print("# cycle %d: integrity_check: %s" % (cycle, ic))
        rows = sql(db, "SELECT e.id, e.text, "
                   "(SELECT count(*) FROM entry_tags t WHERE t.entry_id = e.id)"
                   " AS ntags FROM entries e WHERE e.text LIKE 'crash c%d w%%'"
                   % cycle)
        stored = {r["text"]: r for r in rows}
        for w in writers:
            for text, eid in w.acked.items():
                total_acked += 1
                r = stored.get(text)
                if r is None or r["id"] != eid or r["ntags"] != 2:
                    lost += 1
                    print("# cycle %d: acknowledged #%d lost or changed: %s"
                          % (cycle, eid, r))
            if w.pending is not None:
                r = stored.get(w.pending)
                if r is None:
                    total_pending_absent += 1
                elif r["ntags"] == 2:
                    total_pending_present += 1
                else:
                    torn += 1
                    print("# cycle %d: unacknowledged entry torn: %s"
                          % (cycle, r))
        mismatch = sql(db, "SELECT day FROM (SELECT day, count(*) AS n FROM "
                       "entries WHERE deleted_at IS NULL GROUP BY day) e "
                       "FULL JOIN day_counts c USING (day) "
                       "WHERE e.n IS NOT c.n")
        if mismatch:
            bad_counts += 1
            print("# cycle %d: day_counts disagrees: %s" % (cycle, mismatch))
    print("cycles=%d" % cycles)
    print("start_failures=%d" % start_failures)
    print("acked=%d" % total_acked)
    print("lost=%d" % lost)
    print("torn=%d" % torn)
    print("pending_present=%d" % total_pending_present)
    print("pending_absent=%d" % total_pending_absent)
    print("bad_integrity=%d" % bad_integrity)
    print("bad_counts=%d" % bad_counts)


if __name__ == "__main__":
    main()
