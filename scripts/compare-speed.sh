#!/usr/bin/env bash
# Times Compare on the fortunes corpus (issue 12: "all three lengths are ready within 30 s of the
# main training").
#
# Usage: scripts/compare-speed.sh [BINARY [BASELINE]]
#   BINARY    default .build/release/ngram-tui (build with `swift build -c release`)
#   BASELINE  another build (e.g. main's) timed the same way right after, for a ratio in one run
# Settings in the environment:
#   CORPUS    default /tmp/cmpf/fortunes.txt, made from /usr/share/games/fortunes when missing
#   TEXT      the typed text, default "the cat sat"
#   COMMAND   1 (default): time the `compare` command; 0: skip it
#   EXPLORER  1 (default): also time the explorer in tmux; 0: only the command
#
# 1. `compare --contexts 1 2 3 --timings -- TEXT` (holdout 0.1, 50 epochs): wall, user and
#    system seconds, peak memory, and each training's wall seconds from --timings (they run side
#    by side, so the split does not add up to the total). The baseline's text output must be the
#    same bytes.
# 2. The explorer (`ngram-tui --corpus CORPUS`, main model context 2) in tmux: the text is
#    submitted on Compare while the main training runs; the script polls the screen every 0.2 s
#    and prints the seconds from the end of the main training (Compare's "train when the
#    explorer's own training finishes" line gone) until all three columns show their held-out
#    perplexity. A baseline that trains on Compare one length after another is timed the same way.
# Reports the load average before and after each run: the machine may be shared.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-.build/release/ngram-tui}
BASE=${2:-}
CORPUS=${CORPUS:-/tmp/cmpf/fortunes.txt}
TEXT=${TEXT:-the cat sat}
EXPLORER=${EXPLORER:-1}
COMMAND=${COMMAND:-1}
if [ ! -s "$CORPUS" ]; then
  mkdir -p "$(dirname "$CORPUS")"
  find /usr/share/games/fortunes -maxdepth 1 -type f ! -name '*.dat' ! -name '*.u8' -print0 |
    LC_ALL=C sort -z | xargs -0 cat > "$CORPUS"
fi
TMP=$(mktemp -d)
SOCK="compare-speed-$$"
trap 'tmux -L "$SOCK" kill-server 2>/dev/null || true; rm -rf "$TMP"' EXIT
load() { cut -d' ' -f1-3 /proc/loadavg; }
echo "corpus: $CORPUS ($(wc -w < "$CORPUS") tokens); text: \"$TEXT\""

# compare_run LABEL BINARY [EXTRA...]: one `compare` of the three lengths.
compare_run() {
  local label=$1 bin=$2
  shift 2
  echo "== compare, $label ($bin), load before: $(load)"
  # shellcheck disable=SC2086
  /usr/bin/time -f "$label: wall %e s, user %U s, sys %S s, peak RSS %M KB" \
    "$bin" compare --corpus "$CORPUS" --contexts 1 2 3 "$@" -- $TEXT > "$TMP/$label.txt" 2> "$TMP/$label.err" || {
    cat "$TMP/$label.err" >&2
    exit 1
  }
  sed 's/^ngram-tui: timing: /  /' "$TMP/$label.err"
  echo "   load after: $(load)"
}
[ "$COMMAND" = 1 ] && compare_run new "$BIN" --timings
if [ "$COMMAND" = 1 ] && [ -n "$BASE" ]; then
  compare_run baseline "$BASE"
  if cmp -s "$TMP/new.txt" "$TMP/baseline.txt"; then echo "outputs: identical"; else
    echo "outputs DIFFER:"
    diff "$TMP/new.txt" "$TMP/baseline.txt" | head -20
  fi
fi

[ "$EXPLORER" = 1 ] || exit 0
command -v tmux > /dev/null || {
  echo "(no tmux: explorer not timed)"
  exit 0
}

# explorer_run LABEL BINARY: seconds from the main training's end to Compare's three columns.
explorer_run() {
  local label=$1 bin=$2 dir="$TMP/explorer-$1"
  mkdir -p "$dir"
  echo "== explorer, $label ($bin), load before: $(load)"
  tmux -L "$SOCK" new-session -d -s e -x 140 -y 45 "$bin --dir $dir --corpus $CORPUS"
  local screen
  # Wait for the first frame, go to Compare (Train -> Explore -> Generate -> Compare), submit.
  for _ in $(seq 100); do
    tmux -L "$SOCK" capture-pane -p -t e | grep -q "Compare" && break
    sleep 0.1
  done
  tmux -L "$SOCK" send-keys -t e Tab Tab Tab
  tmux -L "$SOCK" send-keys -t e -l "$TEXT"
  tmux -L "$SOCK" send-keys -t e Enter
  local waited=0 start="" end="" now rest count
  # One tmux call per poll and bash's own matching (no grep, date or subshell per poll), every
  # 0.2 s: the probe itself takes little of the two cores the trainings use.
  while :; do
    screen=$(tmux -L "$SOCK" capture-pane -p -t e)
    now=$EPOCHREALTIME
    if [ -z "$start" ]; then
      if [[ $screen == *comparing* && $screen != *"train when the explorer's own training finishes"* ]]; then
        start=$now
        [[ $screen == *"held-out ppl"* ]] && echo "   (the main training had ended before the text was submitted)"
      fi
    else
      rest=${screen//"held-out ppl"/}
      count=$(((${#screen} - ${#rest}) / 12))
      if [ "$count" -ge 3 ] && [[ $screen != *"training…"* && $screen != *"training..."* && $screen != *queued* ]]; then
        end=$now
        break
      fi
    fi
    waited=$((waited + 1))
    if [ "$waited" -gt 3000 ]; then
      echo "timed out after 10 minutes; screen:" >&2
      echo "$screen" >&2
      exit 1
    fi
    sleep 0.2
  done
  echo "$label: Compare's three lengths ready $(python3 -c "print(f'{$end - $start:.1f}')") s after the main training"
  echo "$screen" | sed -n '5,11p'
  tmux -L "$SOCK" send-keys -t e Escape q
  sleep 0.5
  tmux -L "$SOCK" kill-server 2> /dev/null || true
  echo "   load after: $(load)"
}
explorer_run new "$BIN"
[ -z "$BASE" ] || explorer_run baseline "$BASE"
