#!/usr/bin/env bash
# Screenshots of every explorer screen in a real terminal emulator (xterm under Xvfb),
# captured with ImageMagick's `import -window root` and cropped to the xterm window.
#
# Usage: scripts/screenshots.sh PATH/TO/ngram-tui [OUTDIR]   (OUTDIR defaults to screenshots/)
#
# Needs: Xvfb, xterm, ImageMagick (import, convert), xwininfo (x11-utils), tmux, the DejaVu Sans
# Mono font. On Debian/Ubuntu: apt-get install -y xvfb xterm imagemagick x11-utils tmux fonts-dejavu-core
# The explorer runs inside a tmux session (status line off) shown full-window in xterm, so the
# keys can be sent with `tmux send-keys`; the screen is polled before each capture.
set -euo pipefail
export LC_ALL=C.UTF-8 LANG=C.UTF-8

fail() { echo "screenshots: $*" >&2; exit 1; }
[[ $# -ge 1 ]] || { echo "usage: $0 PATH/TO/ngram-tui [OUTDIR]" >&2; exit 2; }
for tool in Xvfb xterm import convert xwininfo tmux; do
  command -v "$tool" >/dev/null || fail "$tool is not installed (apt-get install -y xvfb xterm imagemagick x11-utils tmux)"
done
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${2:-$ROOT/screenshots}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

shopt -s nullglob
files=("$ROOT"/corpus/*)
shopt -u nullglob
if [[ ${#files[@]} -eq 1 ]]; then CORPUS=${files[0]}; else
  CORPUS=$ROOT/Tests/NgramEngineTests/Fixtures/conformance/cat_dog/corpus/cat_dog.txt
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/ngram-shots.XXXXXX")
SOCK="ngram-shots-$$"
DISPLAY_NUM=${SCREENSHOT_DISPLAY:-$((90 + $$ % 100))}
export DISPLAY=":$DISPLAY_NUM"
XVFB_PID=""
XTERM_PID=""
cleanup() {
  [[ -n "$XTERM_PID" ]] && kill "$XTERM_PID" 2>/dev/null || true
  tmux -L "$SOCK" kill-server 2>/dev/null || true
  [[ -n "$XVFB_PID" ]] && kill "$XVFB_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
mkdir "$WORK/corpus"
cp "$CORPUS" "$WORK/corpus/"

Xvfb "$DISPLAY" -screen 0 1400x900x24 -nolisten tcp >/dev/null 2>&1 &
XVFB_PID=$!
for _ in $(seq 50); do xwininfo -root >/dev/null 2>&1 && break; sleep 0.1; done
xwininfo -root >/dev/null 2>&1 || fail "Xvfb did not start on $DISPLAY"

T() { tmux -L "$SOCK" "$@"; }
COLS=100
ROWS=30
T -f /dev/null new-session -d -s shots -x $COLS -y $ROWS \
  "cd '$WORK' && '$BIN' --topk 6 --pace 2; sleep 600"
T set-option -g status off
T set-option -g default-terminal xterm-256color >/dev/null 2>&1 || true

xterm -display "$DISPLAY" -T ngram-shots -geometry ${COLS}x${ROWS}+0+0 -fa "DejaVu Sans Mono" -fs 12 \
  -bg "#1d1f21" -fg "#e0e0e0" -bc +sb -b 8 -xrm 'XTerm*cursorBlink: false' \
  -e tmux -L "$SOCK" attach -t shots &
XTERM_PID=$!

screen_text() { T capture-pane -p -t shots; }
wait_for() {
  local deadline=$((SECONDS + 30))
  while ((SECONDS < deadline)); do
    screen_text | grep -qF -- "$1" && return 0
    sleep 0.1
  done
  screen_text >&2
  fail "timed out waiting for '$1'"
}
shot() {
  sleep 0.4  # let xterm paint the last frame
  local geom
  geom=$(xwininfo -name ngram-shots | awk '/Absolute upper-left X/ {x=$NF} /Absolute upper-left Y/ {y=$NF}
    /^ *Width/ {w=$NF} /^ *Height/ {h=$NF} END {printf "%dx%d+%d+%d", w, h, x, y}')
  import -display "$DISPLAY" -window root -crop "$geom" +repage "$OUT/$1.png"
  echo "wrote $OUT/$1.png"
}

for _ in $(seq 100); do xwininfo -name ngram-shots >/dev/null 2>&1 && break; sleep 0.1; done
T resize-window -t shots -x $COLS -y $ROWS

wait_for "artifacts saved"
shot train

T send-keys -t shots Tab
wait_for "context>"
T send-keys -t shots -l "the cat"
T send-keys -t shots Enter
wait_for 'next token after "the cat"'
T send-keys -t shots -l "the c"
T send-keys -t shots Tab
wait_for "completions:"
shot explore
T send-keys -t shots C-u

# Time travel: the same context's bars after epoch 12 of 50 (Home: epoch 0, then > twelve times).
T send-keys -t shots Home
wait_for "after epoch 0 of"
for _ in $(seq 12); do T send-keys -t shots -l ">"; done
wait_for "after epoch 12 of"
shot explore-epoch
T send-keys -t shots End
wait_for "(the trained model)"

T send-keys -t shots Tab
wait_for "text so far (0 generated)"
for _ in $(seq 12); do T send-keys -t shots Space; done
wait_for "text so far (12 generated)"
shot generate

# Compare: context lengths 1, 2, 3 on the same text (trained in the background).
T send-keys -t shots Tab
wait_for "text>"
T send-keys -t shots -l "the cat sat"
T send-keys -t shots Enter
wait_for "context 3:"
wait_for "held-out ppl"
wait_gone_text() {
  local deadline=$((SECONDS + 30))
  while ((SECONDS < deadline)); do
    screen_text | grep -qF -- "$1" || return 0
    sleep 0.1
  done
  fail "timed out waiting for '$1' to go"
}
wait_gone_text "training…"
shot compare

# Map: the points of artifacts/03_token_embeddings.csv, 'cat' searched (highlighted, centred), zoomed 4x.
T send-keys -t shots Escape
wait_for "prompt inactive"
T send-keys -t shots Tab
wait_for "points, one per"
T send-keys -t shots /
T send-keys -t shots -l "cat"
T send-keys -t shots Enter
wait_for "'cat': "
T send-keys -t shots + +
wait_for "zoom 4.0x"
shot map

# Step: pair 12 of epoch 2, one SGD step with its numbers.
T send-keys -t shots Tab
wait_for "epoch 1/50  pair 1/"
T send-keys -t shots g
T send-keys -t shots -l "12"
T send-keys -t shots Enter
wait_for "epoch 1/50  pair 12/"
T send-keys -t shots ']'
wait_for "epoch 2/50  pair 12/"
shot step

T send-keys -t shots F1
wait_for "Everywhere"
shot help
T send-keys -t shots Escape
wait_for "epoch 2/50  pair 12/"
T send-keys -t shots q

# The fallback: ASCII glyphs (as in a non-UTF-8 locale) and NO_COLOR.
T respawn-pane -k -t shots "cd '$WORK' && NO_COLOR=1 '$BIN' --ascii --topk 6 --pace 0; sleep 600"
wait_for "artifacts saved"
T send-keys -t shots Tab
wait_for "context>"
T send-keys -t shots -l "the cat"
T send-keys -t shots Enter
wait_for 'next token after "the cat"'
shot explore-ascii-no-color
T send-keys -t shots BTab
wait_for "artifacts saved"
shot train-ascii-no-color
T send-keys -t shots BTab
wait_for "epoch 1/50  pair 1/"
T send-keys -t shots BTab
wait_for "points, one per"
shot map-ascii-no-color
T send-keys -t shots q
echo "screenshots: done"
