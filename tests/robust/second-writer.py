#!/usr/bin/env python3
"""A second writer does no harm (issue 17): kindlogd beside the sqlite3 CLI.

    second-writer.py SOCKET DB KINDLOG WRITERS ROUNDS OUTDIR

WRITERS clients add entries through kindlogd's socket, one after another,
and one more runs the real `kindlog add` in a loop. Meanwhile two sqlite3
CLI processes (.timeout 5000, -bail) work on the same database file:

  - the reader reads every entry's uuid, again and again, and every add
    acknowledged before a read began must be among them (acknowledged
    means committed); every tenth read is in a transaction it keeps open
    for a while, pinning a snapshot under kindlogd's commits;
  - the writer goes ROUNDS rounds: it writes a table of its own, which
    kindlogd never touches (two rows in a transaction, one row in
    autocommit, or a transaction rolled back), then runs PRAGMA
    wal_checkpoint in the next mode of PASSIVE, FULL, RESTART, TRUNCATE.

The adds go on until the writer's rounds are done (so every round runs
beside them), each client adding at least MIN_ADDS and at most MAX_ADDS.
Prints key=value lines for the shell test and writes OUTDIR/acked (uuid
TAB text, one per acknowledged add) so it can compare them with the file
afterwards.
"""
import json
import os
import random
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from abuse import connect, readline, req  # noqa: E402

MODES = ["PASSIVE", "FULL", "RESTART", "TRUNCATE"]
MIN_ADDS = 20
MAX_ADDS = 3000
MAX_READS = 20000
# A pause between reads. Without it the reader always holds a read mark,
# and a RESTART or TRUNCATE checkpoint, which waits for readers while
# holding SQLite's write lock, keeps kindlogd from writing for the whole
# .timeout (5 s): its adds then fail with "database is locked", safely
# but slowly. That is SQLite's locking, not harm done to kindlogd's data.
READ_PAUSE = 0.005


class Acks:
    """Acknowledged adds (uuid -> text) and failed ones, shared."""

    def __init__(self):
        self.lock = threading.Lock()
        self.done = {}
        self.errors = []
        self.enough = threading.Event()     # the writer's rounds are done

    def add(self, uuid, text):
        with self.lock:
            self.done[uuid] = text

    def fail(self, what):
        with self.lock:
            self.errors.append(what)

    def snapshot(self):
        with self.lock:
            return set(self.done)

    def more(self, n):
        """Whether a client should make its nth add."""
        return n <= MIN_ADDS or (n <= MAX_ADDS and not self.enough.is_set())


def text_for(who, n):
    return "second writer %s n%d %s" % (who, n, "k" * random.randint(1, 400))


def rpc_adds(sock, w, acks):
    try:
        s = connect(sock)
        n = 1
        while acks.more(n):
            text = text_for("w%d" % w, n)
            s.sendall(req("add", {"text": text, "tags": ["w%d" % w]}, n) +
                      b"\n")
            line = readline(s, 30)
            if line is None:
                acks.fail("w%d n%d: no reply" % (w, n))
                break
            reply = json.loads(line)
            if "result" in reply:
                acks.add(reply["result"]["entry"]["uuid"], text)
            else:
                acks.fail("w%d n%d: %s" % (w, n, line))
            n += 1
        s.close()
    except OSError as e:
        acks.fail("w%d: %s" % (w, e))


def cli_adds(kindlog, sock, acks):
    n = 1
    while acks.more(n):
        text = text_for("cli", n)
        p = subprocess.run([kindlog, "--no-autostart", "--socket", sock,
                            "--json", "add", text],
                           capture_output=True, text=True, timeout=30)
        try:
            acks.add(json.loads(p.stdout)["entry"]["uuid"], text)
        except (ValueError, KeyError):
            acks.fail("cli n%d: exit %d %s" % (n, p.returncode,
                                               p.stderr.strip()))
        n += 1


class Outsider:
    """A sqlite3 CLI process, fed a few statements at a time."""

    def __init__(self, db, errlog):
        self.proc = subprocess.Popen(
            ["sqlite3", "-batch", "-bail", db], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=errlog, text=True, bufsize=1)
        self.send(".timeout 5000\n")
        self.rows = 0           # rows it committed
        self.checkpoints = {m: 0 for m in MODES}   # completed (busy 0)
        self.busy = {m: 0 for m in MODES}

    def send(self, sql):
        try:
            self.proc.stdin.write(sql)
            self.proc.stdin.flush()
        except BrokenPipeError:
            pass    # it died (-bail): lines_until says so

    def lines_until(self, mark):
        """Output lines up to the line MARK; None if sqlite3 died."""
        out = []
        while True:
            line = self.proc.stdout.readline()
            if not line:
                return None
            line = line.rstrip("\n")
            if line == mark:
                return out
            out.append(line)

    def read_uuids(self, hold):
        """The uuids of all entries, a set; None if sqlite3 died. With
        hold, read in a transaction left open for a while."""
        begin = "BEGIN;\n" if hold else ""
        self.send(begin + "SELECT uuid FROM entries;\nSELECT '#read';\n")
        seen = self.lines_until("#read")
        if hold:
            time.sleep(0.05)
            self.send("COMMIT;\n")
        return None if seen is None else set(seen)

    def write(self, r):
        kind = r % 3
        if kind == 0:
            self.send("BEGIN;\nINSERT INTO outsider (round, note) VALUES"
                      " (%d, 'committed'), (%d, 'committed');\nCOMMIT;\n"
                      % (r, r))
            self.rows += 2
        elif kind == 1:
            self.send("INSERT INTO outsider (round, note) VALUES"
                      " (%d, 'autocommit');\n" % r)
            self.rows += 1
        else:
            self.send("BEGIN;\nINSERT INTO outsider (round, note) VALUES"
                      " (%d, 'rolled back');\nROLLBACK;\n" % r)

    def checkpoint(self, r):
        """The round's checkpoint; False if sqlite3 died."""
        mode = MODES[r % len(MODES)]
        self.send("PRAGMA wal_checkpoint(%s);\nSELECT '#ckpt';\n" % mode)
        out = self.lines_until("#ckpt")
        if out is None or len(out) != 1:
            return False
        if out[0].split("|")[0] == "0":
            self.checkpoints[mode] += 1
        else:
            self.busy[mode] += 1
        return True

    def close(self):
        try:
            self.proc.stdin.close()
        except BrokenPipeError:
            pass
        return self.proc.wait(30)


def writer_rounds(writer, rounds, acks, out):
    """The writing sqlite3's rounds, then tell the clients to stop."""
    writer.send("CREATE TABLE outsider (id INTEGER PRIMARY KEY,"
                " round INTEGER NOT NULL, note TEXT NOT NULL);\n")
    r = 0
    ok = True
    while r < rounds and ok:
        writer.write(r)
        ok = writer.checkpoint(r)
        r += 1
    out.update(rounds=r, ok=ok)
    acks.enough.set()


def reader_loop(reader, clients, acks):
    """Read until the clients are done; (reads, missing, ok)."""
    reads = missing = 0
    seen = set()
    while reads < MAX_READS and any(t.is_alive() for t in clients):
        before = acks.snapshot()
        seen = reader.read_uuids(hold=reads % 10 == 9)
        if seen is None:
            break
        lost = before - seen
        if lost and missing < 5:
            print("# read %d: %d acknowledged adds not visible, e.g. %s"
                  % (reads, len(lost), sorted(lost)[0]))
        missing += len(lost)
        reads += 1
        time.sleep(READ_PAUSE)
    for t in clients:
        t.join(60)
    # One last look, once every acknowledgement is in.
    if seen is not None:
        seen = reader.read_uuids(hold=False)
    if seen is None:
        return reads, missing, False
    return reads, missing + len(acks.snapshot() - seen), True


def main():
    sock, db, kindlog, nclients, rounds, outdir = (
        sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]),
        int(sys.argv[5]), sys.argv[6])
    random.seed(int(os.environ.get("SECOND_WRITER_SEED", "17")))
    acks = Acks()
    clients = [threading.Thread(target=rpc_adds, args=(sock, w, acks))
               for w in range(nclients)]
    clients.append(threading.Thread(target=cli_adds,
                                    args=(kindlog, sock, acks)))
    errlog = open(os.path.join(outdir, "sqlite3.err"), "w")
    reader, writer = Outsider(db, errlog), Outsider(db, errlog)
    result = {}
    writing = threading.Thread(target=writer_rounds,
                               args=(writer, rounds, acks, result))
    for t in clients + [writing]:
        t.start()
    reads, missing, reader_ok = reader_loop(reader, clients, acks)
    writing.join(60)
    ok = reader.close() == 0 and reader_ok
    # Beside the adds a checkpoint may always find a reader in the way on a
    # loaded machine; once they are done, each mode must complete (kindlogd
    # holds no snapshot while idle).
    if result.get("ok", False):
        for r in range(len(MODES)):
            result["ok"] = writer.checkpoint(r) and result["ok"]
    ok = writer.close() == 0 and result.get("ok", False) and ok
    errlog.close()

    with open(os.path.join(outdir, "acked"), "w") as f:
        for uuid, text in sorted(acks.done.items()):
            f.write("%s\t%s\n" % (uuid, text))
    for e in acks.errors[:5]:
        print("# add failed: %s" % e)
    print("acked=%d" % len(acks.done))
    print("add_errors=%d" % len(acks.errors))
    print("reads=%d" % reads)
    print("rounds=%d" % result.get("rounds", 0))
    print("missing=%d" % missing)
    print("outsider_ok=%s" % ok)
    print("outsider_rows=%d" % writer.rows)
    for m in MODES:
        print("checkpoints_%s=%d" % (m, writer.checkpoints[m]))
        print("busy_%s=%d" % (m, writer.busy[m]))


if __name__ == "__main__":
    main()
