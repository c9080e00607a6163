#!/usr/bin/env python3
"""A JSON-RPC proxy in front of kindlogd, for the integration tests.

    proxy.py LISTEN DAEMON LOG [REFUSE...]

Listens on the Unix socket LISTEN and, for each client, opens a
connection to the daemon's socket DAEMON and passes lines both ways.
Every request's method goes into LOG, one a line; a request for one of
the REFUSE methods is not passed on but answered with "method not
found", as a daemon that predates the method would answer. Replies keep
the order of the requests (kindlogd answers in order, and the refusals
wait for the replies before them). Runs until killed.
"""
import json
import os
import socket
import sys
import threading


def serve(client, daemon_path, log, refuse):
    daemon = socket.socket(socket.AF_UNIX)
    daemon.connect(daemon_path)
    cin, din = client.makefile("rb"), daemon.makefile("rb")
    for line in cin:
        try:
            req = json.loads(line)
        except ValueError:
            req = {}
        method = req.get("method", "?") if isinstance(req, dict) else "?"
        with open(log, "a") as f:
            f.write(method + "\n")
        if method in refuse:
            reply = {"jsonrpc": "2.0", "id": req.get("id"),
                     "error": {"code": -32601,
                               "message": "unknown method '%s'" % method}}
            client.sendall(json.dumps(reply).encode() + b"\n")
            continue
        daemon.sendall(line)
        client.sendall(din.readline())
    daemon.close()
    client.close()


def main():
    listen, daemon_path, log = sys.argv[1:4]
    refuse = set(sys.argv[4:])
    if os.path.exists(listen):
        os.unlink(listen)
    server = socket.socket(socket.AF_UNIX)
    server.bind(listen)
    server.listen(8)
    while True:
        client, _ = server.accept()
        threading.Thread(target=serve, args=(client, daemon_path, log,
                                             refuse), daemon=True).start()


main()
