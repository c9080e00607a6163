#!/bin/bash
# recap --html: one page that a strict reading of its HTML accepts
# (html_check.py: python3's html.parser, every element closed, every &
# a reference), with no script and nothing to fetch, holding every
# gesture of the period (markup in them escaped, line breaks kept), a
# heatmap cell shaded for each day noticed, no command and no
# reflection. The clock is the fixture's (Fri 2026-11-27 12:00).
. "$TESTS_DIR/lib.sh" || exit 1
. "$INSIGHT_DIR/fixture.sh"

export TZ=Europe/Berlin
mkdir -p "$XDG_CONFIG_HOME/kindlog"
printf '[partner]\nname = Sam & Alex\n' >"$XDG_CONFIG_HOME/kindlog/kindlog.conf"
fake_time Europe/Berlin '2026-11-27 12:00:00'
need_daemon
fixture_load
kl add "fixed the <b>wobbly</b> chair & \"oiled\" the door" -d 2026-11-23 \
    >/dev/null
kl add "hugged me when I came home
tired" -d 2026-11-22 >/dev/null
printf 'a private note about the coffee\n' | kl reflect >/dev/null
CHECK="$INSIGHT_DIR/html_check.py"

for period in week month year; do
	run_capture kl recap "--$period" --html
	assert_ok "recap --$period --html"
	printf '%s\n' "$OUT" >"$T/$period.html"
	page=$("$PYTHON" "$CHECK" "$T/$period.html")
	assert_eq "$period: a strict parser finds no error" '[]' \
	    "$(jq_py "$page" 'd["errors"]')"
	assert_eq "$period: an HTML5 page with its title" \
	    "[\"DOCTYPE html\",\"A $period of Sam & Alex's kindness\"]" \
	    "$(jq_py "$page" '[d["doctype"], d["title"]]')"
	assert_eq "$period: no script, no link, no image, no frame" '[]' \
	    "$(jq_py "$page" '[t for t in d["tags"] if t in ("script", "link", "img", "iframe", "object", "embed", "base")]')"
	assert_eq "$period: nothing to fetch" '[]' "$(jq_py "$page" 'd["urls"]')"
	assert_contains "$period: the style sheet is inline" "$OUT" "<style>"
	recap=$(kl --json recap "--$period")
	assert_eq "$period: every gesture of the period is on the page" '[]' \
	    "$("$PYTHON" -c '
import json, sys
page, recap = json.loads(sys.argv[1]), json.loads(sys.argv[2])
texts = [" ".join(e["text"].split()) for g in recap["days"] for e in g["entries"]]
print(json.dumps([t for t in texts if t not in page["text"]]))' "$page" "$recap")"
	assert_eq "$period: a shaded cell for each day noticed" \
	    "$(jq_py "$recap" 'd["days_noticed"]')" \
	    "$(jq_py "$page" 'len([c for c in d["cells"] if c[:2] in ("l1", "l2", "l3", "l4")])')"
	assert_eq "$period: today is marked once" 1 \
	    "$(jq_py "$page" 'len([c for c in d["cells"] if c.endswith(" t")])')"
	assert_not_contains "$period: no command to type" "$OUT" "kindlog "
	assert_not_contains "$period: the reflection stays out" "$OUT" \
	    "a private note"
done

# The week as the page says it: escaped markup, a kept line break.
assert_contains "markup in a gesture is escaped" "$(cat "$T/week.html")" \
    "fixed the &lt;b&gt;wobbly&lt;/b&gt; chair &amp; &quot;oiled&quot; the door"
assert_contains "a line break in a gesture is kept" "$(cat "$T/week.html")" \
    "hugged me when I came home<br>tired"
assert_eq "week: 2 columns of 7 days (Sat 21 Nov starts it)" 14 \
    "$(jq_py "$("$PYTHON" "$CHECK" "$T/week.html")" 'len(d["cells"])')"

run_capture kl recap --markdown --html
assert_rc "--markdown with --html is a usage error" 2
finish
