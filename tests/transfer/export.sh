#!/bin/bash
# export -o writes atomically with mode 0600 and leaves the old file alone
# when it fails; Markdown has one section per day; formats are checked.
. "$TRANSFER_DIR/lib.sh"

start_db "$T/one.db"
kl add "third day" -d 2025-01-03 -t walk >/dev/null
kl add "first day" -d 2025-01-01 --thanked=said >/dev/null
kl add $'second day,\nline two' -d 2025-01-02 >/dev/null
kl add "first day again" -d 2025-01-01 >/dev/null

umask 022
mkdir "$T/out"
echo "old content" >"$T/out/log.json"
chmod 644 "$T/out/log.json"
run_capture kl export -o "$T/out/log.json"
check "export -o: exit 0 and a summary line" \
    "0 Exported 4 entries to $T/out/log.json." "$RC $OUT"
check "export -o: mode 0600 even under umask 022" 600 \
    "$(stat -c %a "$T/out/log.json")"
check "export -o: the file is the export" "$(kl export)" \
    "$(cat "$T/out/log.json")"
check "export -o: no temp file left" "log.json" "$(ls -A "$T/out")"

stop_daemon
run_capture kl export -o "$T/out/log.json" --format csv
check "export -o with the daemon gone: exit 3" 3 "$RC"
check "export -o failed: the old file is untouched" 4 \
    "$(py 'len(j[0])' "$T/out/log.json")"
check "export -o failed: no temp file left" "log.json" "$(ls -A "$T/out")"
start_db "$T/one.db"

run_capture kl export --format markdown
check "markdown: one section per day, in day order" \
    '## 2025-01-01|## 2025-01-02|## 2025-01-03' \
    "$(grep '^## ' <<<"$OUT" | paste -sd '|')"
check "markdown: items, continuation lines, tags, thanked" \
    "# Kind things

## 2025-01-01

- first day (thanked: said)
- first day again

## 2025-01-02

- second day,\\
  line two

## 2025-01-03

- third day #walk" "$OUT"

# Markdown in a text is escaped as recap --markdown does: it renders as
# the words that were typed, not as markup.
kl add '# not a heading *or* [a link](x)' -t markup >/dev/null
run_capture kl export --format markdown
check "markdown: markup in a text is escaped" \
    '- \# not a heading \*or\* \[a link\](x) #markup' \
    "$(grep 'not a heading' <<<"$OUT")"

run_capture kl export -o "$T/nonexistent/x.csv"
check "export -o into a missing directory: exit 1" 1 "$RC"
check "export -o into a missing directory: says so" \
    "kindlog: cannot write $T/nonexistent/x.csv: the directory $T/nonexistent does not exist" \
    "$ERR"

kl export --format markdown >"$T/out/log.md"
run_capture kl import "$T/out/log.md"
check "import of a Markdown export: exit 1" 1 "$RC"
check "import of a Markdown export: says it cannot" \
    "kindlog: $T/out/log.md is Markdown, which kindlog cannot import: export with --format json or csv to move entries" \
    "$ERR"
run_capture kl import - < "$T/out/log.md"
check "import of Markdown on stdin: by its first byte" 1 "$RC"
check "import of Markdown on stdin: the same words" \
    "kindlog: stdin is Markdown, which kindlog cannot import: export with --format json or csv to move entries" \
    "$ERR"

run_capture kl export --format xml
check "unknown format: usage error" 2 "$RC"
run_capture kl import "$T/nope.json"
check "import of a missing file: exit 1" 1 "$RC"
finish
