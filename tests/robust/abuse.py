#!/usr/bin/env python3
"""Hostile clients for the robustness tests (tests/robust/*.sh).

    abuse.py SOCKET SCENARIO [ARG...]

Each scenario prints "key=value" lines that the shell scripts assert on.
Scenarios:
  badinput          one connection, a series of malformed requests; prints
                    each reply's error code (or "closed"/"none") by name
  pipeline N        N requests in one write, replies read back in order
  stall             a half-sent line stalls while another client is served
  idle N LIMIT      hold N connections, time a new client, fill to the
                    limit: the next one evicts the oldest; with every
                    connection busy (a half-sent line) the next is closed
  evict N KINDLOG   beside a half-sent request and a queued reply, hold
                    N idle connections, time `KINDLOG add`, see which
                    connections the daemon closed
  flood N PID       open up to N connections (daemon under a low ulimit -n),
                    hold them, measure the daemon's CPU time, release
  bigreply N        add N entries of 4000 bytes, list them in one reply
  noreader N        send N requests and never read the replies
"""
import json
import os
import resource
import socket
import subprocess
import sys
import time


def req(method, params=None, rid=1):
    r = {"jsonrpc": "2.0", "id": rid, "method": method}
    if params is not None:
        r["params"] = params
    return json.dumps(r, separators=(",", ":")).encode()


def connect(path, timeout=5.0):
    """A connected socket; waits while the listen backlog is full."""
    deadline = time.monotonic() + timeout
    while True:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(timeout)
        try:
            s.connect(path)
            return s
        except BlockingIOError:
            s.close()
            if time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def readline(s, timeout=5.0):
    """One reply line (bytes without LF), or None on EOF/timeout/reset."""
    s.settimeout(timeout)
    buf = b""
    try:
        while not buf.endswith(b"\n"):
            c = s.recv(65536 if buf else 1)
            if not c:
                return None
            buf += c
    except (socket.timeout, ConnectionError):
        return None
    return buf[:-1]


def call(path, method="version", params=None, timeout=5.0):
    """A request on a fresh connection; (reply dict or None, seconds)."""
    t = time.monotonic()
    try:
        s = connect(path, timeout)
        s.sendall(req(method, params) + b"\n")
        line = readline(s, timeout)
        s.close()
    except OSError:
        line = None
    dt = time.monotonic() - t
    return (json.loads(line) if line else None), dt


def closed_by_peer(s, timeout=5.0):
    """True if the other end closes s within timeout (nothing to read
    first), False if it is still open then."""
    s.settimeout(timeout)
    try:
        return s.recv(1) == b""
    except ConnectionError:
        return True
    except socket.timeout:
        return False


def is_closed(s):
    """True if the other end has closed s, without waiting."""
    return closed_by_peer(s, 0.001)


def code_of(line):
    if line is None:
        return "closed"
    d = json.loads(line)
    if "error" in d:
        return str(d["error"]["code"])
    return "ok"


def cpu_ticks(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])   # utime + stime


def badinput(path):
    cases = [
        ("invalid_utf8", b'{"jsonrpc":"2.0","id":1,"method":"add",'
         b'"params":{"text":"caf\xc3\x28 \xff\xfe"}}'),
        ("overlong_utf8", b'{"jsonrpc":"2.0","id":1,"method":"add",'
         b'"params":{"text":"\xc0\xaf"}}'),
        ("surrogate_escape", b'{"jsonrpc":"2.0","id":1,"method":"add",'
         b'"params":{"text":"\\ud800"}}'),
        ("raw_nul", b'{"jsonrpc":"2.0","id":1,"method":"add",'
         b'"params":{"text":"a\x00b"}}'),
        ("escaped_nul", b'{"jsonrpc":"2.0","id":1,"method":"add",'
         b'"params":{"text":"a\\u0000b"}}'),
        ("nul_in_method", b'{"jsonrpc":"2.0","id":1,"method":"ver\\u0000sion"}'),
        ("deep_array", b'{"jsonrpc":"2.0","id":1,"method":"add","params":'
         b'{"text":"x","tags":' + b"[" * 30000 + b"]" * 30000 + b"}}"),
        ("deep_object", b'{"jsonrpc":"2.0","id":1,"method":"version","params":'
         + b'{"a":' * 8000 + b"1" + b"}" * 8000 + b"}"),
        ("tags_15000", req("add", {"text": "x", "tags": ["a"] * 15000})),
        ("text_as_number", req("add", {"text": 5})),
        ("text_as_array", req("add", {"text": ["x"]})),
        ("tags_as_string", req("add", {"text": "x", "tags": "a"})),
        ("tag_as_number", req("add", {"text": "x", "tags": [1]})),
        ("id_as_string_param", req("get", {"id": "1"})),
        ("id_huge", b'{"jsonrpc":"2.0","id":1,"method":"get",'
         b'"params":{"id":99999999999999999999999}}'),
        ("id_negative", req("get", {"id": -1})),
        ("id_float", req("get", {"id": 1.5})),
        ("params_array", req("add", ["x"])),
        ("params_string", b'{"jsonrpc":"2.0","id":1,"method":"add","params":"x"}'),
        ("method_number", b'{"jsonrpc":"2.0","id":1,"method":5}'),
        ("request_id_object", b'{"jsonrpc":"2.0","id":{},"method":"version"}'),
        ("jsonrpc_1", b'{"jsonrpc":"1.0","id":1,"method":"version"}'),
        ("unknown_method", req("drop.tables")),
        ("empty_method", req("")),
        ("unknown_param", req("add", {"text": "x", "evil": 1})),
        ("day_garbage", req("add", {"text": "x", "day": "\u00e9\u00e9 days ago"})),
        ("day_far_past", req("add", {"text": "x", "day": "99999999 days ago"})),
        ("day_future", req("add", {"text": "x", "day": "9999-12-31"})),
        ("text_4001", req("add", {"text": "x" * 4001})),
        ("text_blank", req("add", {"text": " \n\t "})),
        ("batch", b'[' + req("version") + b']'),
        ("empty_object", b"{}"),
        ("not_json", b"\x01\x02\x03 hello"),
        ("truncated", b'{"jsonrpc":"2.0","id":1,"method":"vers'),
        ("duplicate_keys", b'{"jsonrpc":"2.0","id":1,"id":2,"method":"version"}'),
    ]
    s = connect(path)
    for name, line in cases:
        s.sendall(line + b"\n")
        print("%s=%s" % (name, code_of(readline(s))))
    s.sendall(req("version", rid=99) + b"\n")
    print("after=%s" % code_of(readline(s)))
    # 100k tags is over the 64 KiB line limit: -32600 and closed.
    try:
        s.sendall(req("add", {"text": "x", "tags": ["a"] * 100000}) + b"\n")
    except OSError:
        pass    # closed before we finished sending; the reply is queued
    print("tags_100000=%s" % code_of(readline(s)))
    print("tags_100000_then=%s" % code_of(readline(s, 2)))
    s.close()


def pipeline(path, n):
    lines = []
    for i in range(1, n + 1):
        if i % 10 == 0:
            lines.append(req("add", {"text": "pipelined %d" % i}, i))
        elif i % 3 == 0:
            lines.append(req("list", {"limit": 1}, i))
        else:
            lines.append(req("version", rid=i))
    data = b"\n".join(lines) + b"\n"
    s = connect(path, 60)
    t = time.monotonic()
    s.sendall(data)
    ids, errors, buf = [], 0, b""
    s.settimeout(60)
    while len(ids) < n:
        c = s.recv(1 << 20)
        if not c:
            break
        buf += c
        *done, buf = buf.split(b"\n")
        for line in done:
            d = json.loads(line)
            ids.append(d.get("id"))
            errors += "error" in d
    print("replies=%d" % len(ids))
    print("in_order=%s" % (ids == list(range(1, n + 1))))
    print("errors=%d" % errors)
    print("seconds=%.2f" % (time.monotonic() - t))


def stall(path):
    a = connect(path)
    a.sendall(b'{"jsonrpc":"2.0","id":7,"meth')
    reply, dt = call(path)
    print("other_served=%s" % (reply is not None and "result" in reply))
    print("other_seconds=%.4f" % dt)
    time.sleep(1)
    reply, dt = call(path)
    print("other_again=%s" % (reply is not None and "result" in reply))
    a.sendall(b'od":"version"}\n')
    line = readline(a)
    print("staller_answered=%s" % (line is not None and
                                   json.loads(line).get("id") == 7))
    a.close()


def idle(path, n, limit):
    held = []
    for i in range(n):
        held.append(connect(path))
    # Each held connection is accepted and served once, then left idle.
    ok = 0
    for s in held:
        s.sendall(req("version") + b"\n")
        ok += readline(s) is not None
    print("held=%d" % ok)
    worst = 0.0
    for _ in range(5):
        reply, dt = call(path)
        if reply is None:
            worst = 99.0
        worst = max(worst, dt)
    print("new_client_worst_seconds=%.4f" % worst)
    # Fill up to the limit; the next connection is closed without a reply.
    while len(held) < limit:
        s = connect(path)
        s.sendall(req("version") + b"\n")
        if readline(s) is None:
            break
        held.append(s)
    print("filled=%d" % len(held))
    # One more: the connection idle longest makes room for it.
    extra = connect(path)
    extra.sendall(req("version") + b"\n")
    print("over_limit=%s" % code_of(readline(extra, 5)))
    print("oldest_evicted=%s" % closed_by_peer(held[0]))
    print("second_oldest_kept=%s" % (not is_closed(held[1])))
    held[0].close()
    held = held[1:] + [extra]
    # A half-sent line on every one: none is idle, the next is refused.
    for s in held:
        s.sendall(b'{"jsonrpc":"2.0","id":5,"meth')
    busy = connect(path)
    print("all_busy_next=%s" % ("closed" if closed_by_peer(busy) else
                                "open"))
    busy.close()
    answered = 0
    for s in held:
        s.sendall(b'od":"version"}\n')
        line = readline(s)
        answered += line is not None and json.loads(line).get("id") == 5
    print("busy_answered=%d" % answered)
    held.pop().close()
    time.sleep(0.3)
    reply, dt = call(path)
    print("after_one_left=%s" % ("ok" if reply and "result" in reply
                                 else "fail"))
    for s in held:
        s.close()


def evict(path, n, kindlog):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    # The oldest two are busy: a request half sent, replies not read.
    half = connect(path)
    half.sendall(b'{"jsonrpc":"2.0","id":3,"meth')
    text = "k" * 3990
    s = connect(path)
    for i in range(60):
        s.sendall(req("add", {"text": "%02d %s" % (i, text)}, i) + b"\n")
        readline(s, 30)
    s.close()
    queued = connect(path)
    lists = 3
    for i in range(lists):
        queued.sendall(req("list", {"limit": 0}, 100 + i) + b"\n")
    # The adds' connection is gone before the idle ones come.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        reply, dt = call(path, "status")
        if reply and reply["result"]["connections"] == 3:
            break
        time.sleep(0.05)
    held = [connect(path, 30) for _ in range(n)]
    t = time.monotonic()
    rc = subprocess.run([kindlog, "--no-autostart", "add",
                         "a leak does not lock me out"],
                        stdout=subprocess.DEVNULL, timeout=60).returncode
    print("add_rc=%d" % rc)
    print("add_seconds=%.4f" % (time.monotonic() - t))
    reply, dt = call(path, "status")
    print("connections=%s" % (reply["result"]["connections"] if reply
                              else "none"))
    gone = [is_closed(h) for h in held]
    print("evicted=%d" % sum(gone))
    # Closed in the order they came: every evicted one before every kept.
    first_kept = gone.index(False) if False in gone else len(gone)
    print("oldest_first=%s" % (not any(gone[first_kept:])))
    held[-1].sendall(req("version") + b"\n")
    print("newest_served=%s" % (readline(held[-1]) is not None))
    half.sendall(b'od":"version"}\n')
    line = readline(half)
    print("half_answered=%s" % (line is not None and
                                json.loads(line).get("id") == 3))
    data = b""
    queued.settimeout(30)
    try:
        while data.count(b"\n") < lists:
            chunk = queued.recv(1 << 20)
            if not chunk:
                break
            data += chunk
    except (socket.timeout, ConnectionError):
        pass
    whole = sum(len(json.loads(line)["result"]["entries"]) == 60
                for line in data.split(b"\n")[:lists] if line)
    print("queued_replies=%d" % whole)
    for h in held + [half, queued]:
        h.close()


def flood(path, n, pid):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    socks = []
    before = cpu_ticks(pid)
    t = time.monotonic()
    for i in range(n):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.setblocking(False)
        try:
            s.connect(path)
        except BlockingIOError:   # the backlog is full: stop here
            s.close()
            break
        except OSError:
            s.close()
            break
        socks.append(s)
    time.sleep(3)
    hz = os.sysconf("SC_CLK_TCK")
    used = (cpu_ticks(pid) - before) / hz
    wall = time.monotonic() - t
    print("connections=%d" % len(socks))
    print("cpu_seconds=%.2f" % used)
    print("wall_seconds=%.2f" % wall)
    for s in socks:
        s.close()
    # Served again once descriptors are back (after at most a backoff).
    deadline = time.monotonic() + 10
    served = False
    while time.monotonic() < deadline:
        reply, dt = call(path, timeout=2)
        if reply and "result" in reply:
            served = True
            break
        time.sleep(0.2)
    print("served_after=%s" % served)


def noreader(path, n):
    s = connect(path)
    s.setblocking(False)
    line = req("list", {"limit": 100}) + b"\n"
    sent = 0
    closed = False
    deadline = time.monotonic() + 20
    while sent < n and time.monotonic() < deadline:
        try:
            s.send(line)
            sent += 1
        except BlockingIOError:
            time.sleep(0.01)
        except OSError:
            closed = True
            break
    if not closed:
        # The server may have dropped us with our last bytes unread.
        time.sleep(1)
        try:
            for _ in range(2000):
                s.send(line)
        except BlockingIOError:
            pass
        except OSError:
            closed = True
    print("dropped=%s" % closed)
    s.close()


def bigreply(path, n):
    """n adds of 4000-byte texts, then one list of them all: a reply of
    several MiB to a client that reads must arrive whole."""
    s = connect(path, 60)
    for i in range(n):
        s.sendall(req("add", {"text": ("%05d" % i) + "k" * 3995}, i) + b"\n")
        readline(s, 30)
    s.sendall(req("list", {"limit": 0}, 9) + b"\n")
    line = readline(s, 60)
    print("reply_bytes=%d" % (len(line) if line else 0))
    print("listed=%d" % (len(json.loads(line)["result"]["entries"])
                         if line else -1))
    s.close()


def main():
    path, scenario, args = sys.argv[1], sys.argv[2], sys.argv[3:]
    if scenario == "badinput":
        badinput(path)
    elif scenario == "pipeline":
        pipeline(path, int(args[0]))
    elif scenario == "stall":
        stall(path)
    elif scenario == "idle":
        idle(path, int(args[0]), int(args[1]))
    elif scenario == "evict":
        evict(path, int(args[0]), args[1])
    elif scenario == "flood":
        flood(path, int(args[0]), int(args[1]))
    elif scenario == "bigreply":
        bigreply(path, int(args[0]))
    elif scenario == "noreader":
        noreader(path, int(args[0]))
    else:
        sys.exit("unknown scenario " + scenario)


if __name__ == "__main__":
    main()
