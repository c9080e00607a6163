#!/usr/bin/env python3
"""Power-cut test: acknowledged entries survive a cut at any sync.

    powercut.py KINDLOGD SHIM DIR CYCLES WRITERS

Each cycle starts kindlogd on DIR/kindlog.db with the LD_PRELOAD shim
powercut.c, which keeps a shadow of what the disk has made durable and
cuts the power before a sync chosen here (POWERCUT_AT: any sync, with
more of them at startup and around checkpoints): it writes the disk as
the cut left it, every unsynced write a random subset of its sectors,
and SIGKILLs the daemon. Meanwhile WRITERS clients add entries
(crash.py's writers) and remember what was acknowledged. Then the crash
image replaces the files (no -shm: a reboot clears it), a fresh kindlogd
without the shim starts on it, and, while it runs, the sqlite3 CLI checks:

  - PRAGMA integrity_check says ok;
  - every acknowledged entry is there exactly once, with its id, text and
    both tags;
  - an entry that was sent but not acknowledged is whole or absent;
  - day_counts (kept by triggers) agrees with the entries;

and the fresh daemon lists as many entries as the file holds and takes an
add. It is stopped with SIGTERM or SIGKILL (so that the next cycle may
start by recovering a WAL), and the next cycle runs on what it left.

POWERCUT_SEED picks the syncs and what lands (printed; the interleaving
of the writers is not reproducible, the choices are). POWERCUT_MAXSYNC
bounds the sync chosen. Prints key=value lines for the shell test.
"""
import os
import random
import shutil
import signal
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from abuse import call  # noqa: E402
from crash import Writer, sql, wait_socket  # noqa: E402

SUFFIXES = ("", "-wal", "-journal", "-shm")


def restore(db, image):
    """The disk after the cut: the crash image, and no -shm."""
    for suffix in SUFFIXES:
        try:
            os.unlink(db + suffix)
        except FileNotFoundError:
            pass
    for suffix in SUFFIXES[:3]:
        src = os.path.join(image, os.path.basename(db) + suffix)
        if os.path.exists(src):
            shutil.copyfile(src, db + suffix)
            os.chmod(db + suffix, 0o600)


def stop(proc, sock, hard):
    """End a daemon we started: SIGKILL (leaving its WAL) or SIGTERM."""
    proc.send_signal(signal.SIGKILL if hard else signal.SIGTERM)
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    try:
        os.unlink(sock)
    except FileNotFoundError:
        pass


class Totals:
    def __init__(self):
        self.n = dict.fromkeys(
            ("cut_startup", "cut_writing", "cut_in_checkpoint", "uncut",
             "no_image", "start_failures", "acked", "lost", "duplicated",
             "torn", "pending_present", "pending_absent", "bad_integrity",
             "bad_counts", "bad_list", "probe_failures", "unsynced_sectors",
             "landed_sectors"), 0)

    def bad(self, key, cycle, msg):
        self.n[key] += 1
        print("# cycle %d: %s" % (cycle, msg))


def check(db, cycle, writers, t):
    """The checks on the recovered file, with the fresh daemon running."""
    ic = sql(db, "PRAGMA integrity_check")
    if [r.get("integrity_check") for r in ic] != ["ok"]:
        t.bad("bad_integrity", cycle, "integrity_check: %s" % ic)
        return
    rows = sql(db, "SELECT e.id, e.text, count(*) AS copies, "
               "(SELECT count(*) FROM entry_tags t WHERE t.entry_id = e.id)"
               " AS ntags FROM entries e WHERE e.text LIKE 'crash c%d w%%' "
               "GROUP BY e.text" % cycle)
    stored = {r["text"]: r for r in rows}
    for w in writers:
        for text, eid in w.acked.items():
            t.n["acked"] += 1
            r = stored.get(text)
            if r is None or r["id"] != eid or r["ntags"] != 2:
                t.bad("lost", cycle, "acknowledged #%d lost or changed: %s"
                      % (eid, r))
            elif r["copies"] != 1:
                t.bad("duplicated", cycle, "acknowledged #%d %d times"
                      % (eid, r["copies"]))
        if w.pending is not None:
            r = stored.get(w.pending)
            if r is None:
                t.n["pending_absent"] += 1
            elif r["ntags"] == 2 and r["copies"] == 1:
                t.n["pending_present"] += 1
            else:
                t.bad("torn", cycle, "unacknowledged entry torn: %s" % r)
    mismatch = sql(db, "SELECT day FROM (SELECT day, count(*) AS n FROM "
                   "entries WHERE deleted_at IS NULL GROUP BY day) e "
                   "FULL JOIN day_counts c USING (day) WHERE e.n IS NOT c.n")
    if mismatch:
        t.bad("bad_counts", cycle, "day_counts disagrees: %s" % mismatch)


def serve(db, sock, cycle, t):
    """The fresh daemon lists what the file holds and takes an add."""
    rows = sql(db, "SELECT count(*) AS n FROM entries "
               "WHERE deleted_at IS NULL")[0]["n"]
    reply, _ = call(sock, "list", {"limit": 1})
    total = reply["result"]["total"] if reply and "result" in reply else None
    if total != rows:
        t.bad("bad_list", cycle, "list says %s entries, the file %d"
              % (total, rows))
    reply, _ = call(sock, "add", {"text": "probe c%d" % cycle})
    if reply is None or "result" not in reply:
        t.bad("probe_failures", cycle, "add after recovery: %s" % reply)


def cut_note(path):
    """The shim's summary of the cut: the first line, and per file name."""
    with open(path) as f:
        lines = f.read().splitlines()
    files = {}
    for line in lines[1:]:
        kv = dict(x.split("=", 1) for x in line.split())
        files[kv["file"]] = kv
    return lines[0], files


def cycle_run(args, cycle, rng, t):
    kindlogd, shim, d, nwriters = args
    sock, db = os.path.join(d, "kindlogd.sock"), os.path.join(d, "kindlog.db")
    shadow = os.path.join(d, "shadow")
    shutil.rmtree(shadow, ignore_errors=True)
    os.mkdir(shadow, 0o700)
    # Any sync, but more of them where it is hardest: a fifth among the
    # first syncs (creating the database, recovering the WAL the last
    # cycle's SIGKILL left), a quarter in or just after a checkpoint (the
    # database file's syncs, the WAL starting over).
    kind = rng.random()
    if kind < 0.2:
        at = "sync:%d" % rng.randint(1, 8)
    elif kind < 0.45:
        at = "sync:%d:%s" % (rng.choice((1, 1, 2, 3)), os.path.basename(db))
    else:
        at = "sync:%d" % rng.randint(
            1, int(os.environ.get("POWERCUT_MAXSYNC", "150")))
    env = dict(os.environ, LD_PRELOAD=shim, POWERCUT_DB=db,
               POWERCUT_DIR=shadow, POWERCUT_AT=at,
               POWERCUT_SEED=str(rng.getrandbits(63)),
               ASAN_OPTIONS=os.environ.get("ASAN_OPTIONS", "") +
               ":verify_asan_link_order=0")
    log = open(os.path.join(d, "kindlogd.%d.log" % cycle), "w")
    proc = subprocess.Popen([kindlogd, "--socket", sock, "--db", db],
                            stdout=log, stderr=subprocess.STDOUT, env=env)
    writers = []
    if wait_socket(sock, proc):
        writers = [Writer(sock, cycle, w) for w in range(nwriters)]
        for w in writers:
            w.start()
    try:
        proc.wait(60)
    except subprocess.TimeoutExpired:
        t.bad("uncut", cycle, "no cut at %s within 60 s" % at)
        proc.kill()
        proc.wait()
    for w in writers:
        w.join(10)
    log.close()
    try:
        os.unlink(sock)
    except FileNotFoundError:
        pass
    note = os.path.join(shadow, "crash", "cut")
    if not os.path.exists(note):
        t.bad("no_image", cycle, "no crash image (exit %d): %s" % (
            proc.returncode, open(log.name).read()[-400:]))
        return
    head, files = cut_note(note)
    t.n["cut_writing" if writers else "cut_startup"] += 1
    unsynced = sum(int(f["sectors"]) for f in files.values())
    landed = sum(int(f["landed"]) for f in files.values())
    t.n["unsynced_sectors"] += unsynced
    t.n["landed_sectors"] += landed
    if int(files.get(os.path.basename(db), {}).get("sectors", 0)) > 0:
        t.n["cut_in_checkpoint"] += 1
    acked = sum(len(w.acked) for w in writers)
    print("# cycle %d: %s, %d/%d unsynced sectors landed, %d acked"
          % (cycle, head, landed, unsynced, acked))
    restore(db, os.path.dirname(note))

    log = open(os.path.join(d, "kindlogd.%d.after.log" % cycle), "w")
    proc = subprocess.Popen([kindlogd, "--socket", sock, "--db", db],
                            stdout=log, stderr=subprocess.STDOUT)
    if not wait_socket(sock, proc):
        proc.kill()
        proc.wait()
        log.close()
        t.bad("start_failures", cycle, "the daemon did not come up: %s"
              % open(log.name).read()[-400:])
        return
    check(db, cycle, writers, t)
    serve(db, sock, cycle, t)
    stop(proc, sock, rng.random() < 0.5)
    log.close()


def main():
    kindlogd, shim, d = sys.argv[1:4]
    cycles, nwriters = int(sys.argv[4]), int(sys.argv[5])
    seed = int(os.environ.get("POWERCUT_SEED") or
               random.SystemRandom().getrandbits(32))
    print("# seed %d (POWERCUT_SEED=%d repeats the choices)" % (seed, seed))
    rng = random.Random(seed)
    random.seed(seed)           # the writers' text lengths
    t = Totals()
    for cycle in range(1, cycles + 1):
        cycle_run((kindlogd, shim, d, nwriters), cycle, rng, t)
    print("seed=%d" % seed)
    print("cycles=%d" % cycles)
    for k, v in t.n.items():
        print("%s=%d" % (k, v))


if __name__ == "__main__":
    main()
