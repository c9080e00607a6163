#!/usr/bin/env python3
"""The REST side of tests/sync/lib-syncthing.sh: calls to Syncthing's GUI
API on 127.0.0.1 and the waits built on them.

An instance is named by one argument "URL,APIKEY,DEVICE-ID".

  strest.py call INST METHOD PATH [BODY]   print the reply (exit 1 on error)
  strest.py patch-config HOME LISTEN-PORT GUI-PORT APIKEY
                                           loopback-only config.xml
  strest.py wait-ping TIMEOUT INST
  strest.py wait-connected TIMEOUT INST...   every instance sees every other
  strest.py wait-idle FOLDER TIMEOUT INST... the folder is up and idle
  strest.py wait-sync FOLDER TIMEOUT INST... every instance's copy is complete

A wait polls every 0.1 s and exits 1, with the last state on stderr, when
TIMEOUT seconds pass.
"""

import json
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

POLL_S = 0.1


class Inst:
    def __init__(self, spec):
        parts = spec.split(",")
        if len(parts) != 3:
            raise SystemExit("strest.py: bad instance %r" % spec)
        self.url, self.key, self.id = parts
        if not self.url.startswith("http://127.0.0.1:"):
            raise SystemExit("strest.py: only loopback: %r" % self.url)

    def call(self, method, path, body=None):
        data = None if body is None else body.encode()
        req = urllib.request.Request(self.url + path, data=data, method=method)
        req.add_header("X-API-Key", self.key)
        if data is not None:
            req.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(req, timeout=5) as r:
            text = r.read().decode()
        return json.loads(text) if text.strip() else None

    def get(self, path, **query):
        if query:
            path += "?" + urllib.parse.urlencode(query)
        return self.call("GET", path)


def wait(timeout, check):
    """Poll check() (returning (done, state)) until done or timeout."""
    deadline = time.monotonic() + float(timeout)
    state = None
    while True:
        try:
            done, state = check()
        except (OSError, ValueError, KeyError) as e:
            done, state = False, "%s: %s" % (type(e).__name__, e)
        if done:
            return 0
        if time.monotonic() >= deadline:
            print("strest.py: timed out; last state: %s" % (state,),
                  file=sys.stderr)
            return 1
        time.sleep(POLL_S)


def connected(insts):
    def check():
        seen = {}
        for a in insts:
            conns = a.get("/rest/system/connections")["connections"]
            seen[a.id[:7]] = sorted(
                b.id[:7] for b in insts
                if b is not a and conns.get(b.id, {}).get("connected"))
        return all(len(v) == len(insts) - 1 for v in seen.values()), seen
    return check


def idle(folder, insts):
    def check():
        states = {a.id[:7]: a.get("/rest/db/status", folder=folder)["state"]
                  for a in insts}
        return all(s == "idle" for s in states.values()), states
    return check


# The fields of /rest/db/status that say a copy is complete, and those that
# must agree across instances (the same global view of the folder).
NEED = ("needTotalItems", "needBytes", "needDeletes", "pullErrors")
GLOBAL = ("globalFiles", "globalDirectories", "globalDeleted",
          "globalBytes")


def in_sync(folder, insts):
    def check():
        state = {}
        for a in insts:
            st = a.get("/rest/db/status", folder=folder)
            mine = {"state": st["state"]}
            mine.update({k: st.get(k, 0) for k in NEED + GLOBAL})
            for b in insts:
                if b is a:
                    continue
                c = a.get("/rest/db/completion", folder=folder, device=b.id)
                mine[b.id[:7]] = (c["completion"], c["needBytes"],
                                  c.get("needItems", 0),
                                  c.get("needDeletes", 0),
                                  c.get("remoteState", "valid"))
            state[a.id[:7]] = mine
        done = True
        globals_seen = set()
        for a in insts:
            mine = state[a.id[:7]]
            done &= mine["state"] == "idle"
            done &= all(mine[k] == 0 for k in NEED)
            globals_seen.add(tuple(mine[k] for k in GLOBAL))
            for b in insts:
                if b is not a:
                    comp, nbytes, nitems, ndel, remote = mine[b.id[:7]]
                    done &= (comp == 100 and nbytes == 0 and nitems == 0
                             and ndel == 0 and remote == "valid")
        done &= len(globals_seen) == 1
        return done, state
    return check


def stable(check, times=2):
    """A check that must hold on `times` polls in a row."""
    streak = [0]

    def again():
        done, state = check()
        streak[0] = streak[0] + 1 if done else 0
        return streak[0] >= times, state
    return again


def patch_config(home, listen_port, gui_port, apikey):
    """Turn config.xml into a loopback-only instance, before its first
    start: no discovery, relays, NAT, reports, browser or upgrades."""
    path = home + "/config.xml"
    tree = ET.parse(path)
    opts = tree.getroot().find("options")
    off = ("globalAnnounceEnabled", "localAnnounceEnabled", "relaysEnabled",
           "natEnabled", "crashReportingEnabled", "startBrowser")
    values = {k: "false" for k in off}
    values.update({
        "urAccepted": "-1",
        "autoUpgradeIntervalH": "0",
        "reconnectionIntervalS": "5",
        "listenAddress": "tcp://127.0.0.1:%d" % int(listen_port),
    })
    for name, value in values.items():
        els = opts.findall(name)
        if not els:
            els = [ET.SubElement(opts, name)]
        for extra in els[1:]:
            opts.remove(extra)
        els[0].text = value
    gui = tree.getroot().find("gui")
    gui.find("address").text = "127.0.0.1:%d" % int(gui_port)
    gui.find("apikey").text = apikey
    tree.write(path)
    return 0


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    cmd = argv[1]
    if cmd == "call":
        body = argv[5] if len(argv) > 5 else None
        try:
            reply = Inst(argv[2]).call(argv[3], argv[4], body)
        except urllib.error.HTTPError as e:
            print("strest.py: %s %s: %s %s" % (argv[3], argv[4], e.code,
                  e.read().decode(errors="replace")), file=sys.stderr)
            return 1
        if reply is not None:
            print(json.dumps(reply, sort_keys=True))
        return 0
    if cmd == "patch-config":
        return patch_config(*argv[2:6])
    if cmd == "wait-ping":
        inst = Inst(argv[3])
        return wait(argv[2], lambda: (
            inst.get("/rest/system/ping").get("ping") == "pong", "no pong"))
    if cmd == "wait-connected":
        return wait(argv[2], connected([Inst(s) for s in argv[3:]]))
    if cmd in ("wait-idle", "wait-sync"):
        insts = [Inst(s) for s in argv[4:]]
        check = (idle if cmd == "wait-idle" else in_sync)(argv[2], insts)
        return wait(argv[3], stable(check))
    print("strest.py: unknown command %r" % cmd, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
