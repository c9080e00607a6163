#!/usr/bin/python3
"""A small notification server for the tests: it owns
org.freedesktop.Notifications on the session bus, advertises the
capabilities given on the command line (inline-reply among them, as KDE
Plasma does), records every Notify call as one JSON line, and on request
sends what a real server would send back to the caller.

    fake-server.py RECORD READY CAPS

RECORD gets {"id", "replaces_id", "sender", "summary", "body", "actions",
"hints"} per Notify; READY is created once the name is owned. The test
drives it with org.kindlog.Test methods on /org/freedesktop/Notifications:
Reply(id, text) sends NotificationReplied to the last caller, ForeignReply
the same from another connection (which does not own the name),
Invoke(id, action, token) sends ActivationToken and ActionInvoked.
"""
import json
import os
import sys

from gi.repository import Gio, GLib

PATH = "/org/freedesktop/Notifications"
IFACE = "org.freedesktop.Notifications"

XML = """<node>
 <interface name="org.freedesktop.Notifications">
  <method name="GetCapabilities"><arg type="as" direction="out"/></method>
  <method name="Notify">
   <arg type="s" direction="in"/><arg type="u" direction="in"/>
   <arg type="s" direction="in"/><arg type="s" direction="in"/>
   <arg type="s" direction="in"/><arg type="as" direction="in"/>
   <arg type="a{sv}" direction="in"/><arg type="i" direction="in"/>
   <arg type="u" direction="out"/>
  </method>
  <method name="CloseNotification"><arg type="u" direction="in"/></method>
  <method name="GetServerInformation">
   <arg type="s" direction="out"/><arg type="s" direction="out"/>
   <arg type="s" direction="out"/><arg type="s" direction="out"/>
  </method>
  <signal name="NotificationClosed"><arg type="u"/><arg type="u"/></signal>
  <signal name="ActionInvoked"><arg type="u"/><arg type="s"/></signal>
  <signal name="ActivationToken"><arg type="u"/><arg type="s"/></signal>
  <signal name="NotificationReplied"><arg type="u"/><arg type="s"/></signal>
 </interface>
 <interface name="org.kindlog.Test">
  <method name="Reply">
   <arg type="u" direction="in"/><arg type="s" direction="in"/>
  </method>
  <method name="ForeignReply">
   <arg type="u" direction="in"/><arg type="s" direction="in"/>
  </method>
  <method name="Invoke">
   <arg type="u" direction="in"/><arg type="s" direction="in"/>
   <arg type="s" direction="in"/>
  </method>
 </interface>
</node>"""


class Server:
    def __init__(self, record, caps):
        self.record = record
        self.caps = caps
        self.next_id = 1
        self.client = None      # unique name of the last Notify caller
        self.bus = None
        self.foreign = None

    def notify(self, sender, args):
        app, replaces, _icon, summary, body, actions, hints, _t = args
        nid = replaces if replaces != 0 else self.next_id
        if replaces == 0:
            self.next_id += 1
        self.client = sender
        line = {"id": nid, "replaces_id": replaces, "sender": sender,
                "app": app, "summary": summary, "body": body,
                "actions": actions,
                "hints": {k: v for k, v in hints.items()
                          if isinstance(v, (str, int, bool))}}
        with open(self.record, "a") as f:
            f.write(json.dumps(line, sort_keys=True) + "\n")
        return GLib.Variant("(u)", (nid,))

    def emit(self, bus, name, signature, values):
        bus.emit_signal(self.client, PATH, IFACE, name,
                        GLib.Variant(signature, values))
        bus.flush_sync(None)

    def call(self, conn, sender, path, iface, method, params, invocation):
        args = params.unpack()
        reply = None
        if method == "GetCapabilities":
            reply = GLib.Variant("(as)", (self.caps,))
        elif method == "Notify":
            reply = self.notify(sender, args)
        elif method == "GetServerInformation":
            reply = GLib.Variant("(ssss)", ("fake", "kindlog", "1", "1.2"))
        elif method == "CloseNotification":
            self.emit(conn, "NotificationClosed", "(uu)", (args[0], 3))
        elif method == "Reply":
            self.emit(conn, "NotificationReplied", "(us)", args)
        elif method == "ForeignReply":
            if self.foreign is None:
                self.foreign = Gio.DBusConnection.new_for_address_sync(
                    os.environ["DBUS_SESSION_BUS_ADDRESS"],
                    Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT |
                    Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION,
                    None, None)
            self.emit(self.foreign, "NotificationReplied", "(us)", args)
        elif method == "Invoke":
            self.emit(conn, "ActivationToken", "(us)", (args[0], args[2]))
            self.emit(conn, "ActionInvoked", "(us)", (args[0], args[1]))
        invocation.return_value(reply)


def main():
    record, ready, caps = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
    server = Server(record, caps)
    loop = GLib.MainLoop()
    node = Gio.DBusNodeInfo.new_for_xml(XML)

    def acquired(conn, name):
        open(ready, "w").close()

    def bus_acquired(conn, name):
        for iface in node.interfaces:
            conn.register_object(PATH, iface, server.call, None, None)

    Gio.bus_own_name(Gio.BusType.SESSION, IFACE,
                     Gio.BusNameOwnerFlags.NONE, bus_acquired, acquired,
                     lambda conn, name: loop.quit())
    loop.run()


if __name__ == "__main__":
    main()
