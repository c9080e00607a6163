#!/usr/bin/env python3
"""Talk raw JSON-RPC to kindlogd's socket, for the integration tests.

    rpc.py SOCKET [options] [LINE...]

Each LINE is sent followed by LF, all in one write (so several LINEs are
pipelined). Replies are read until --expect lines have arrived, the server
closes the connection, or --timeout seconds pass, and printed one a line.

Options:
  --stdin          send the bytes of stdin as they are (after the LINEs)
  --raw            do not add LF after each LINE
  --long N         then send one request line of N bytes (without the LF)
  --no-lf          with --long: do not end the long line with LF
  --expect N       stop reading after N reply lines (default: one per LINE)
  --timeout S      give up reading after S seconds (default 5)
  --linger S       after the expected lines, keep reading S more seconds
  --report-close   print a last line "#closed" if the server closed the
                   connection (EOF or reset), else "#open"
  --wait-close     after the expected lines, wait (up to --timeout) for the
                   server to close the connection; implies --report-close
  --delay S        sleep S seconds after connecting, before sending
  --probe          only connect; exit 0 if that works, 1 if not
  --count          print the number of bytes received instead of the lines

Exit status: 0 normally, 3 if the connection could not be made.
"""
import argparse
import socket
import sys
import time


def main():
    ap = argparse.ArgumentParser(add_help=True)
    ap.add_argument("socket")
    ap.add_argument("lines", nargs="*")
    ap.add_argument("--stdin", action="store_true")
    ap.add_argument("--raw", action="store_true")
    ap.add_argument("--long", type=int, default=0)
    ap.add_argument("--no-lf", action="store_true")
    ap.add_argument("--expect", type=int, default=None)
    ap.add_argument("--timeout", type=float, default=5.0)
    ap.add_argument("--linger", type=float, default=0.0)
    ap.add_argument("--report-close", action="store_true")
    ap.add_argument("--wait-close", action="store_true")
    ap.add_argument("--delay", type=float, default=0.0)
    ap.add_argument("--probe", action="store_true")
    ap.add_argument("--count", action="store_true")
    a = ap.parse_intermixed_args()

    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        s.connect(a.socket)
    except OSError as e:
        if a.probe:
            return 1
        print("rpc.py: cannot connect to %s: %s" % (a.socket, e),
              file=sys.stderr)
        return 3
    if a.probe:
        s.close()
        return 0
    if a.delay > 0:
        time.sleep(a.delay)

    out = b""
    for line in a.lines:
        out += line.encode("utf-8", "surrogateescape")
        if not a.raw:
            out += b"\n"
    if a.stdin:
        out += sys.stdin.buffer.read()
    if a.long > 0:
        head = b'{"jsonrpc":"2.0","id":1,"method":"version","params":{"x":"'
        tail = b'"}}'
        pad = a.long - len(head) - len(tail)
        out += head + b"a" * max(pad, 0) + tail
        if not a.no_lf:
            out += b"\n"

    closed = False
    if out:
        try:
            s.sendall(out)
        except (BrokenPipeError, ConnectionResetError):
            closed = True   # the server may close before reading it all

    expect = a.expect if a.expect is not None else len(a.lines)
    buf = b""
    received = 0
    lines = []
    deadline = time.monotonic() + a.timeout

    def read_some(until):
        """Read once (until the monotonic time until); False on close."""
        nonlocal buf, received
        left = until - time.monotonic()
        if left <= 0:
            return None
        s.settimeout(left)
        try:
            chunk = s.recv(65536)
        except socket.timeout:
            return None
        except ConnectionResetError:
            return False
        if not chunk:
            return False
        received += len(chunk)
        buf += chunk
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            lines.append(line)
        return True

    while len(lines) < expect:
        r = read_some(deadline)
        if r is None:
            break
        if r is False:
            closed = True
            break
    if not closed and a.linger > 0:
        until = time.monotonic() + a.linger
        while True:
            r = read_some(until)
            if r is None:
                break
            if r is False:
                closed = True
                break
    if not closed and a.wait_close:
        while True:
            r = read_some(deadline)
            if r is None:
                break
            if r is False:
                closed = True
                break
    s.close()

    if a.count:
        print(received)
    else:
        for line in lines:
            sys.stdout.write(line.decode("utf-8", "replace") + "\n")
        if buf:
            sys.stdout.write("#partial " + buf.decode("utf-8", "replace")
                             + "\n")
    if a.report_close or a.wait_close:
        print("#closed" if closed else "#open")
    return 0


if __name__ == "__main__":
    sys.exit(main())
