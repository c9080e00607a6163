#!/usr/bin/env python3
"""Read an HTML page strictly and describe it, for recap-html.sh.

    html_check.py FILE

Python's html.parser reads the page; on top of it every element but the
void ones must be closed, in order, and every '&' must start a character
reference. Prints one JSON object: "errors" (empty for a well-formed
page), "doctype", "title", "tags" (the element names used), "urls"
(attribute values that would fetch something), "text" (the text, spaces
collapsed) and "cells" (the class of every heatmap cell, in order).
"""
import html.parser
import json
import re
import sys

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
        "meta", "source", "track", "wbr"}
FETCHING = {"src", "href", "action", "data", "poster", "srcset"}


class Strict(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.text = [], [], []
        self.tags, self.urls, self.cells = set(), [], []
        self.doctype, self.title, self.in_title = None, "", False

    def error_at(self, why):
        self.errors.append("line %d col %d: %s" % (*self.getpos(), why))

    def handle_decl(self, decl):
        self.doctype = decl

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        for name, value in attrs:
            if name in FETCHING or (value or "").startswith(("http:",
                    "https:", "//")) or "url(" in (value or ""):
                self.urls.append(value)
        if tag == "td":
            self.cells.append(dict(attrs).get("class", ""))
        if tag == "title":
            self.in_title = True
        if tag == "br":
            self.text.append(" ")
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        if tag not in VOID:
            self.error_at("<%s/> is not a void element" % tag)
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in VOID:
            self.error_at("</%s> closes a void element" % tag)
        elif not self.stack or self.stack[-1] != tag:
            self.error_at("</%s> while <%s> is open" %
                          (tag, self.stack[-1] if self.stack else "nothing"))
        else:
            self.stack.pop()
        if tag == "title":
            self.in_title = False

    def handle_data(self, data):
        self.text.append(data)
        if self.in_title:
            self.title += data

    def handle_pi(self, data):
        self.error_at("processing instruction")

    def unknown_decl(self, data):
        self.error_at("unknown declaration")


def main():
    source = open(sys.argv[1], encoding="utf-8").read()
    p = Strict()
    p.feed(source)
    p.close()
    for tag in p.stack:
        p.errors.append("<%s> never closed" % tag)
    for m in re.finditer(r"&(?!#[0-9]+;|#x[0-9a-fA-F]+;|[a-zA-Z]+;)", source):
        p.errors.append("bare & at offset %d" % m.start())
    if "url(" in source or "@import" in source:
        p.urls.append("in the style sheet")
    print(json.dumps({
        "errors": p.errors,
        "doctype": p.doctype,
        "title": p.title,
        "tags": sorted(p.tags),
        "urls": p.urls,
        "text": " ".join("".join(p.text).split()),
        "cells": p.cells,
    }, ensure_ascii=False))


if __name__ == "__main__":
    main()
