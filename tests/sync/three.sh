#!/bin/bash
# Three devices, each changing things while the files cross in a ring and
# then all to all: they end with the same entries, however the files
# came.
. "$SYNC_DIR/lib.sh"

for d in a b c; do dev_start $d; done
k a add "made tea" -t home >/dev/null
k a add "cooked dinner" -t kitchen >/dev/null
k a sync now >/dev/null
engine_copy a b
k b sync now >/dev/null
# c hears of b's edit before a's create.
k b edit "$(id_of b "made tea")" "made mint tea" -t home -t morning >/dev/null
k b sync now >/dev/null
engine_copy b c
k c sync now >/dev/null
assert_eq "an edit before its create shows nothing yet" "" "$(texts c)"
engine_copy a c
k c add "sent a letter" >/dev/null
k c sync now >/dev/null
assert_eq "then the edited entry shows" \
    "cooked dinner | made mint tea | sent a letter" "$(texts c)"
k a edit "$(id_of a "made tea")" -t evening >/dev/null
k c rm "$(id_of c "cooked dinner")" >/dev/null
for d in a b c; do k $d sync now >/dev/null; done
for from in a b c; do
	for to in a b c; do
		[ $from = $to ] || engine_copy $from $to
	done
done
for d in c b a; do k $d sync now >/dev/null; done
assert_eq "a and b hold the same entries" "$(entries a)" "$(entries b)"
assert_eq "a and c hold the same entries" "$(entries a)" "$(entries c)"
assert_eq "the merged texts" "made mint tea | sent a letter" "$(texts a)"
assert_eq "each peer counted" 2 \
    "$(jq_py "$(k b --json sync)" 'len(d["peers"])')"
finish
