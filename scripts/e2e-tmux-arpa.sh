#!/usr/bin/env bash
# End-to-end test of the explorer on an ARPA model in a real terminal (tmux): `ngram-tui --arpa
# FILE` shows the file's orders and n-gram counts on Train, Explore's first bar after a typed
# context is KenLM's most probable word and `r` then a word gives KenLM's rank and probability
# (recorded by scripts/make-arpa-fixtures.py with KenLM's Python module), Generate steps, Tab
# skips the training screens, q quits with status 0.
#
# Usage: scripts/e2e-tmux-arpa.sh PATH/TO/ngram-tui
# Needs tmux and python3. Polls the screen; every wait has a timeout (E2E_TIMEOUT, default 30 s).
set -euo pipefail
export LC_ALL=C.UTF-8 LANG=C.UTF-8

E2E_NAME=e2e-tmux-arpa
# shellcheck source=scripts/e2e-tmux-lib.sh
source "$(dirname "$0")/e2e-tmux-lib.sh"

[[ $# -ge 1 ]] || { echo "usage: $0 PATH/TO/ngram-tui" >&2; exit 2; }
command -v tmux >/dev/null || fail "tmux is not installed"
command -v python3 >/dev/null || fail "needs python3 to read KenLM's recorded scores"
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
[[ -x "$BIN" ]] || fail "not an executable: $1"
ROOT=$(cd "$(dirname "$0")/.." && pwd)
FIX=$ROOT/Tests/NgramEngineTests/Fixtures/arpa
MODEL=$FIX/models/fortunes_300.o3.arpa
CONTEXT="look like"
TIMEOUT=${E2E_TIMEOUT:-30}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ngram-e2e-arpa.XXXXXX")
SOCK="ngram-e2e-arpa-$$"
trap cleanup EXIT

# KenLM's most probable next word after the context (never <s>; ties to the word listed first).
want=$(python3 - "$FIX/expected/fortunes_300.o3.arpa.json" "$CONTEXT" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
entry = next(c for c in doc["contexts"] if c["context"] == sys.argv[2].split())
best = max((s, -i) for i, s in enumerate(entry["scores"]) if doc["vocabulary"][i] != "<s>")
print(doc["vocabulary"][-best[1]], f"{100 * 10 ** best[0]:.1f}%")
PY
)
[[ -n "$want" ]] || fail "no KenLM expectation for '$CONTEXT'"

echo "e2e-tmux-arpa: $BIN --arpa $(basename "$MODEL")"
T -f /dev/null new-session -d -s e2e -x 100 -y 30 \
  "cd '$WORK' && '$BIN' --arpa '$MODEL'; echo \$? > '$WORK/exit_status'; echo E2E-SHELL-BACK; sleep 600"

# 1. Train shows the file's orders and counts (the \data\ header's numbers).
counts=$(sed -n 's/^ngram \([0-9]\)=\([0-9]*\).*/\1 \2/p' "$MODEL")
wait_for "n-grams in the file" "the Train screen of an ARPA model"
while read -r n c; do
  screen | grep -qE "^ +$n-grams +$c " || fail "Train does not show '$n-grams $c'"
done <<< "$counts"
screen | head -1 | grep -qE "Compare|Step" && fail "the tabs list Compare or Step for an ARPA model"
echo "ok: Train shows order 3 and the n-gram counts $(echo $counts | tr '\n' ' ')"

# 2. Explore: the first bar after the context is KenLM's most probable word.
T send-keys -t e2e Tab
wait_for "context>" "the Explore prompt"
T send-keys -t e2e -l "$CONTEXT"
T send-keys -t e2e Enter
wait_for "next token after \"$CONTEXT\"" "the prediction"
got=$(screen | awk '/^ *token +model/ {getline; print $1, $3; exit}')
[[ "$got" == "$want" ]] || fail "Explore's first bar is '$got', KenLM's most probable word is '$want'"
echo "ok: Explore after '$CONTEXT' shows '$got' first, as KenLM scores it"

# 2b. r then a word far outside the top k: the footer gives KenLM's rank and probability (the
# rank in the order of the bars: probability descending, ties in the file's 1-gram order; <s> is
# never predicted). The word is the one at rank 30 (inside a tie group, so the tie order counts).
rank_want=$(python3 - "$FIX/expected/fortunes_300.o3.arpa.json" "$CONTEXT" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
vocab = doc["vocabulary"]
entry = next(c for c in doc["contexts"] if c["context"] == sys.argv[2].split())
scores = [float("-inf") if w == "<s>" else s for w, s in zip(vocab, entry["scores"])]
def rank(i):
    s = scores[i]
    return 1 + sum(t > s + 1e-6 or (abs(t - s) <= 1e-6 and j < i) for j, t in enumerate(scores))
i = next(i for i in range(len(vocab)) if rank(i) == 30)
print(vocab[i])
print(f'ARPA rank of {vocab[i]} after "{sys.argv[2]}": 30 of {len(vocab)}, probability {100 * 10 ** scores[i]:.1f}%')
PY
)
rank_word=$(sed -n 1p <<< "$rank_want")
rank_line=$(sed -n 2p <<< "$rank_want")
[[ -n "$rank_word" && -n "$rank_line" ]] || fail "no KenLM rank expectation"
T send-keys -t e2e Escape
T send-keys -t e2e r
wait_for "rank of which word?" "the rank prompt after r"
T send-keys -t e2e -l "$rank_word"
T send-keys -t e2e Enter
wait_for "$rank_line" "KenLM's rank and probability of '$rank_word'"
echo "ok: r $rank_word shows '$rank_line'"

# 3. Generate takes a step; Tab from Generate returns to Train (Compare and Step skipped).
T send-keys -t e2e Tab
wait_for "GREEDY" "the Generate screen"
T send-keys -t e2e Space
wait_for "step 1: window" "one generation step"
T send-keys -t e2e Tab
wait_for "n-grams in the file" "Tab from Generate back to Train"
echo "ok: Generate stepped; Tab cycles Train, Explore, Generate"

# 4. q quits with status 0.
T send-keys -t e2e q
wait_for "E2E-SHELL-BACK" "the explorer exiting"
[[ "$(cat "$WORK/exit_status")" == 0 ]] || fail "exit status $(cat "$WORK/exit_status")"
echo "ok: q quit with status 0"
echo "e2e-tmux-arpa: PASS"
