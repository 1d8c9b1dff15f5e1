#!/usr/bin/env bash
# End-to-end test of the explorer in a real terminal (tmux): training, Explore, Generate,
# resizing and quitting, with the numbers on screen checked against the CLI's.
#
# Usage: scripts/e2e-tmux.sh PATH/TO/ngram-tui [CORPUS_FILE]
#
# Builds nothing. CORPUS_FILE defaults to the single file in corpus/ at the repository top
# (falling back to the cat/dog conformance corpus). Needs tmux, and jq or python3. Polls the screen
# (capture-pane) instead of sleeping fixed times; every wait has a timeout (E2E_TIMEOUT
# seconds, default 30). Exits 0 when every check passes, else 1 with a message and the screen.
set -euo pipefail
export LC_ALL=C.UTF-8 LANG=C.UTF-8

E2E_NAME=e2e-tmux
# shellcheck source=scripts/e2e-tmux-lib.sh
source "$(dirname "$0")/e2e-tmux-lib.sh"

[[ $# -ge 1 ]] || { echo "usage: $0 PATH/TO/ngram-tui [CORPUS_FILE]" >&2; exit 2; }
command -v tmux >/dev/null || fail "tmux is not installed"
# JSON readers: jq, else python3.
if command -v jq >/dev/null; then
  topk_lines() { jq -r '.topk[] | "\(.token) \(.probability)"'; }
  generated_line() { jq -r '.generated | join(" ")'; }
  step_loss() { jq -r '.loss'; }
elif command -v python3 >/dev/null; then
  topk_lines() { python3 -c 'import json,sys; [print(p["token"], repr(p["probability"])) for p in json.load(sys.stdin)["topk"]]'; }
  generated_line() { python3 -c 'import json,sys; print(" ".join(json.load(sys.stdin)["generated"]))'; }
  step_loss() { python3 -c 'import json,sys; print(repr(json.load(sys.stdin)["loss"]))'; }
else
  fail "needs jq or python3 to read the CLI's JSON"
fi
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
[[ -x "$BIN" ]] || fail "not an executable: $1"
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CORPUS=${2:-}
if [[ -z "$CORPUS" ]]; then
  shopt -s nullglob
  files=("$ROOT"/corpus/*)
  shopt -u nullglob
  if [[ ${#files[@]} -eq 1 ]]; then
    CORPUS=${files[0]}
  else
    CORPUS=$ROOT/Tests/NgramEngineTests/Fixtures/conformance/cat_dog/corpus/cat_dog.txt
  fi
fi
[[ -f "$CORPUS" ]] || fail "corpus file not found: $CORPUS"

TIMEOUT=${E2E_TIMEOUT:-30}
TOPK=5
EPOCHS=50
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ngram-e2e.XXXXXX")
SOCK="ngram-e2e-$$"
trap cleanup EXIT
mkdir "$WORK/corpus"
cp "$CORPUS" "$WORK/corpus/"

echo "e2e-tmux: $BIN on $(basename "$CORPUS") in $WORK"
T -f /dev/null new-session -d -s e2e -x 100 -y 30 \
  "cd '$WORK' && '$BIN' --topk $TOPK --epochs $EPOCHS; echo \$? > '$WORK/exit_status'; echo E2E-SHELL-BACK; sleep 600"

# 1. Training reaches the last epoch and the artifacts are written.
wait_for "epoch $EPOCHS/$EPOCHS" "training progress"
wait_for "artifacts saved" "artifacts written after training"
echo "ok: training reached epoch $EPOCHS/$EPOCHS and saved the artifacts"

# 1b. Step (Shift-Tab from Train): pair 1 of epoch 1, then g 3 Enter and ] give pair 3 of epoch 2,
# whose loss equals `ngram-tui step --json --epoch 2 --pair 3`.
T send-keys -t e2e BTab
wait_for "epoch 1/$EPOCHS  pair 1/" "the Step screen"
T send-keys -t e2e g 3 Enter
wait_for "epoch 1/$EPOCHS  pair 3/" "g 3 Enter on the Step screen"
T send-keys -t e2e ']'
wait_for "epoch 2/$EPOCHS  pair 3/" "] on the Step screen"
pairline=$(screen | grep -oE "epoch 2/$EPOCHS  pair 3/[0-9]+")
got=$(screen | sed -n 's/.*loss = -ln [0-9.]* = \([0-9.]*\).*/\1/p' | head -1)
[[ -n "$got" ]] || fail "no 'loss = -ln p = L' line on the Step screen"
want=$("$BIN" step --dir "$WORK" --epoch 2 --pair 3 --json | step_loss | awk '{printf "%.4f", $1}') ||
  fail "'ngram-tui step --json' failed (or its JSON could not be read)"
[[ "$got" == "$want" ]] || fail "Step screen loss $got differs from 'ngram-tui step --json': $want"
echo "ok: Step screen shows '$pairline' with loss $got, as ngram-tui step computes"

# 1c. Map (Shift-Tab from Step): the points of artifacts/03_token_embeddings.csv, labelled with
# the most frequent context (counted here with awk: every window of 2 tokens followed by one more);
# / finds a word, and says when a word is not in the map.
T send-keys -t e2e BTab
wait_for "artifacts/03_token_embeddings.csv: " "the Map screen"
wait_for "points, one per 2-token context" "the Map screen's points"
top=$(awk '{ for (i = 1; i <= NF; i++) w[n++] = $i } END {
  for (i = 0; i + 2 < n; i++) c[w[i] "|" w[i + 1]]++
  for (k in c) if (c[k] > max) max = c[k]
  for (k in c) if (c[k] == max) print k }' "$CORPUS")
found=""
for label in $top; do
  if screen | grep -qF -- "$label"; then found=$label; fi
done
[[ -n "$found" ]] || fail "no label of a most frequent context ($(echo $top)) on the Map screen"
echo "ok: Map screen labels the most frequent context '$found'"
first=${found%%|*}
T send-keys -t e2e /
T send-keys -t e2e -l "$first"
T send-keys -t e2e Enter
wait_for "'$first': " "the search for '$first' on the Map screen"
screen | grep -qE "'$first': [0-9]+ points?; centred on" || fail "the search for '$first' did not centre on it"
T send-keys -t e2e /
T send-keys -t e2e -l "zzqx"
T send-keys -t e2e Enter
wait_for "'zzqx' is not in the map" "a search for a word not in the map"
echo "ok: Map search highlights '$first' and says 'zzqx' is not in the map"
T send-keys -t e2e Tab
wait_for "epoch 2/$EPOCHS  pair 3/" "back on the Step screen"
T send-keys -t e2e Tab
wait_for "artifacts saved" "back on the Train screen"

# 2. Explore: the bars equal `ngram-tui predict --json the cat`.
T send-keys -t e2e Tab
wait_for "context>" "the Explore prompt"
T send-keys -t e2e -l "the cat"
T send-keys -t e2e Enter
wait_for 'next token after "the cat"' "the prediction"
got=$(screen | awk '/^ *token +model/ {on=1; next} on && NF==0 {exit} on && $3 ~ /^[0-9]+\.[0-9]%$/ {print $1, $3}')
want=$("$BIN" predict --dir "$WORK" --topk $TOPK --json the cat | topk_lines |
  awk '{printf "%s %.1f%%\n", $1, $2 * 100}') || fail "'ngram-tui predict --json the cat' failed (or its JSON could not be read)"
[[ -n "$want" ]] || fail "ngram-tui predict printed no predictions"
if [[ "$got" != "$want" ]]; then
  fail "Explore bars differ from 'ngram-tui predict --json the cat':
  screen: $(echo "$got" | tr '\n' ';')
  cli:    $(echo "$want" | tr '\n' ';')"
fi
echo "ok: Explore bars match predict: $(echo "$got" | tr '\n' ';')"

# 3. Generate: five Spaces give the tokens `ngram-tui infer --json` generates from the same start.
T send-keys -t e2e Tab
wait_for "text so far (0 generated)" "the Generate screen"
for _ in 1 2 3 4 5; do T send-keys -t e2e Space; done
wait_for "text so far (5 generated)" "five greedy steps"
got=$(screen | awk '/text so far \(5 generated\)/ {getline; $1=$1; print; exit}')
want=$("$BIN" infer --dir "$WORK" --json --num-tokens 5 --start-tokens the cat | generated_line) ||
  fail "'ngram-tui infer --json' failed (or its JSON could not be read)"
[[ "$got" == "$want" ]] || fail "generated text differs from 'ngram-tui infer --json':
  screen: $got
  cli:    $want"
echo "ok: Generate matches infer: $got"

# 4. Too small below 80x24, and back.
T resize-window -t e2e -x 50 -y 12
wait_for "terminal too small" "the minimum-size notice at 50x12"
T resize-window -t e2e -x 100 -y 30
wait_gone "terminal too small"
wait_for "text so far (5 generated)" "the Generate screen after resizing back"
echo "ok: 50x12 shows the too-small notice; 100x30 restores the screen"

# 5. Back to the prompt; a bracketed paste with a tab, a newline and a "q" is typed there as
#    text (it used to change screen at the tab and quit at the q); Esc leaves the prompt, q quits
#    with status 0 and the terminal restored (bracketed paste off again).
T send-keys -t e2e BTab
wait_for "context>" "the Explore prompt"
printf 'the cat\tsat\nquietly' > "$WORK/paste.txt"
T load-buffer -b e2e-paste "$WORK/paste.txt"
T paste-buffer -p -b e2e-paste -t e2e
wait_for "context> the cat sat quietly" "the pasted text in the prompt"
T send-keys -t e2e C-u
wait_gone "context> the cat sat quietly"
echo "ok: a bracketed paste is typed into the prompt, tab and newline as spaces"
T send-keys -t e2e Escape
wait_for "prompt inactive" "Esc leaving the prompt"
T send-keys -t e2e q
wait_for "E2E-SHELL-BACK" "the program to exit"
status=$(cat "$WORK/exit_status")
[[ "$status" == 0 ]] || fail "exit status $status, expected 0"
[[ "$(T display-message -p -t e2e '#{alternate_on}')" == 0 ]] || fail "terminal left in the alternate screen"
[[ "$(T display-message -p -t e2e '#{cursor_flag}')" == 1 ]] || fail "cursor left hidden"
screen | grep -qF "ngram-tui   Train" && fail "explorer screen left behind after exit"
echo "ok: Esc, q: exit status 0, terminal restored"

# 6. Without a usable ncurses library the explorer prints one error line naming it (and the REPL
#    to use instead) and exits 1; NGRAM_TUI_NCURSES names the library to load. A missing file,
#    then a library that is not ncurses (the C library).
check_no_ncurses() { # LIBRARY EXPECTED-LINE
  local out="$WORK/no-ncurses.txt"
  rm -f "$out" "$WORK/no-ncurses-status"
  T new-window -t e2e -n noncurses \
    "cd '$WORK' && NGRAM_TUI_NCURSES='$1' '$BIN' --dir '$WORK' 2> '$out'; echo \$? > '$WORK/no-ncurses-status'"
  local deadline=$((SECONDS + TIMEOUT))
  while [[ ! -s "$WORK/no-ncurses-status" ]] && ((SECONDS < deadline)); do sleep 0.1; done
  [[ -s "$WORK/no-ncurses-status" ]] || fail "the explorer did not exit with NGRAM_TUI_NCURSES=$1"
  local status
  status=$(cat "$WORK/no-ncurses-status")
  [[ "$status" == 1 ]] || fail "NGRAM_TUI_NCURSES=$1: exit status $status, expected 1"
  [[ "$(wc -l < "$out")" == 1 ]] || fail "NGRAM_TUI_NCURSES=$1: expected one line, got: $(cat "$out")"
  [[ "$(cat "$out")" == "$2" ]] || fail "NGRAM_TUI_NCURSES=$1: got
  $(cat "$out")
expected
  $2"
}
check_no_ncurses /nonexistent/libncursesw.so.6 \
  "ngram-tui: error: cannot load the ncurses library that NGRAM_TUI_NCURSES names (/nonexistent/libncursesw.so.6): check the path, or unset it (or use \`ngram-tui repl\`)"
check_no_ncurses libc.so.6 \
  "ngram-tui: error: the ncurses library has no stdscr: it is not a wide-character ncurses 6 library (or use \`ngram-tui repl\`)"
echo "ok: no usable ncurses library: one error line naming it and the REPL, exit status 1"
echo "e2e-tmux: PASS"
