#!/usr/bin/env bash
# The explorer's performance goals of issue 4, measured on a release build and printed as a table:
#   (i)   a full frame at 200x60 (render into the grid + the driver's diff) per screen, <= 2 ms;
#   (ii)  idle CPU of the running explorer (in tmux, trained on the default corpus), near zero;
#   (iii) training throughput under the live explorer (in tmux, --pace 0) vs headless, >= 90 %.
#
# Usage (from anywhere): scripts/bench-tui.sh [BIG_CORPUS]
#
#   BIG_CORPUS  400k+ tokens of real text for (iii). Default: /tmp/fort/all.txt if present, else
#               every fortune file of Debian's `fortunes` and `fortunes-min` packages, fetched with
#               `apt-get download` and unpacked with `dpkg -x` (457,666 tokens).
#
# Environment:
#   RUNS=5          repetitions of (i) and (iii); medians with min-max
#   IDLE_RUNS=3     repetitions of the idle sample in (ii)
#   IDLE_SECONDS=10 length of each idle sample
#   FRAMES=300      frames per screen and run in (i)
#   QUERY="of the"  the text asked on Explore in (i) on the big corpus
#   SCRATCH=DIR     build with `swift build -c release --scratch-path DIR` (default: .build)
#   NGRAM_BIN=PATH  use this ngram-tui binary instead of building
#
# How (ii) and (iii) work: the explorer runs in a detached tmux session (100x30) in a temporary
# directory; its process id is the pane's (the shell execs it). Idle CPU is utime+stime from
# /proc/PID/stat over IDLE_SECONDS after training, the paced replay and one Explore query have
# finished. Throughput, two ways: (a) training alone: the explorer's Train screen reports training
# pairs per second (pauses excluded) once the artifacts are saved, against the same trainer timed
# headless by `ngram-bench phases` (all cores, no observer); (b) the whole run (read, index, train 50
# epochs, write compact weights): the explorer's process start (/proc/PID/stat) to the newest
# artifact's mtime, against `ngram-tui train --weights compact` on the wall clock. Explorer and
# headless runs alternate, so load from other processes hits both alike. Writes nothing into the
# source tree except the build directory.
set -euo pipefail
export LC_ALL=C.UTF-8 LANG=C.UTF-8

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUNS=${RUNS:-5}
IDLE_RUNS=${IDLE_RUNS:-3}
IDLE_SECONDS=${IDLE_SECONDS:-10}
FRAMES=${FRAMES:-300}
QUERY=${QUERY:-of the}
TIMEOUT=${BENCH_TIMEOUT:-300}

say() { printf '[bench-tui %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() {
  printf 'bench-tui.sh: error: %s\n' "$*" >&2
  exit 1
}
for v in RUNS IDLE_RUNS IDLE_SECONDS FRAMES; do
  [[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "$v must be a whole number >= 1 (got '${!v}')"
done
(($# <= 1)) || die "usage: scripts/bench-tui.sh [BIG_CORPUS_FILE]"
for tool in tmux awk; do command -v $tool >/dev/null || die "$tool is not installed"; done
[[ -r /proc/self/stat ]] || die "needs /proc (Linux)"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/ngram-bench-tui.XXXXXX")
SOCK="ngram-bench-tui-$$"
cleanup() {
  tmux -L "$SOCK" kill-server 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
T() { tmux -L "$SOCK" "$@"; }

if [[ -n ${NGRAM_BIN:-} ]]; then
  BIN=$NGRAM_BIN
else
  SCRATCH=${SCRATCH:-$ROOT/.build}
  say "building release (swift build -c release --scratch-path $SCRATCH)"
  (cd "$ROOT" && swift build -c release --scratch-path "$SCRATCH" >"$WORK/build.log" 2>&1) ||
    { tail -n 20 "$WORK/build.log" >&2; die "release build failed"; }
  BIN=$(cd "$ROOT" && swift build -c release --scratch-path "$SCRATCH" --show-bin-path)/ngram-tui
fi
[[ -x $BIN ]] || die "not an executable: $BIN"
# Frame times and the headless trainer come from the benchmark package's ngram-bench.
(cd "$ROOT" && swift build -c release --package-path Benchmarks --product ngram-bench) >&2 ||
  die "building Benchmarks' ngram-bench failed"
BENCH=$(cd "$ROOT" && swift build -c release --package-path Benchmarks --show-bin-path)/ngram-bench

shopt -s nullglob
defaults=("$ROOT"/corpus/*)
shopt -u nullglob
((${#defaults[@]} == 1)) || die "expected exactly one file in $ROOT/corpus, found ${#defaults[@]}"
DEFAULT_CORPUS=${defaults[0]}

if [[ $# -eq 1 ]]; then
  BIG=$1
elif [[ -f /tmp/fort/all.txt ]]; then
  BIG=/tmp/fort/all.txt
else
  say "fetching Debian's fortunes (apt-get download fortunes fortunes-min)"
  mkdir -p "$WORK/deb"
  (cd "$WORK/deb" && apt-get download fortunes fortunes-min >"$WORK/apt.log" 2>&1) || {
    tail -n 5 "$WORK/apt.log" >&2
    die "apt-get download fortunes failed (offline, or run 'apt-get update'); or pass a 400k+ token file"
  }
  for deb in "$WORK"/deb/*.deb; do dpkg -x "$deb" "$WORK/deb/x"; done
  FDIR=$WORK/deb/x/usr/share/games/fortunes
  [[ -d $FDIR ]] || die "no usr/share/games/fortunes in the fortunes package"
  BIG=$WORK/fortunes.txt
  find "$FDIR" -maxdepth 1 -type f ! -name '*.dat' ! -name '*.u8' -print0 | LC_ALL=C sort -z | xargs -0 cat >"$BIG"
fi
[[ -f $BIG ]] || die "corpus not found: $BIG"
BIG=$(cd "$(dirname "$BIG")" && pwd)/$(basename "$BIG")

# stats: median min max of the numbers on stdin (one per line).
stats() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) { print "- - -"; exit } printf "%s %s %s\n", v[int((NR + 1) / 2)], v[1], v[NR] }'; }

screen_text() { T capture-pane -p -t bench 2>/dev/null; }
wait_for() {
  local deadline=$((SECONDS + TIMEOUT))
  while ((SECONDS < deadline)); do
    screen_text | grep -qF -- "$1" && return 0
    sleep 0.2
  done
  screen_text >&2 || true
  die "timed out after ${TIMEOUT}s waiting for '$1'"
}
# start_explorer DIR ARGS...: the explorer in a fresh 100x30 tmux session, exec'd so the pane's pid is its pid.
start_explorer() {
  local dir=$1
  shift
  T kill-server 2>/dev/null || true
  T -f /dev/null new-session -d -s bench -x 100 -y 30 "cd '$dir' && exec '$BIN' $*"
  T set-option -g status off >/dev/null
  EXPLORER_PID=$(T display-message -p -t bench '#{pane_pid}')
}
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# (i) Frame times.
say "(i) frame times at 200x60 on $(basename "$DEFAULT_CORPUS"), $RUNS runs of $FRAMES frames per screen"
mkdir -p "$WORK/frames"
for r in $(seq "$RUNS"); do
  (cd "$WORK" && "$BENCH" frames --corpus "$DEFAULT_CORPUS" --width 200 --height 60 --frames "$FRAMES") |
    awk 'NR > 2 { print $1, $2, $3, $4 }' >"$WORK/frames/$r.txt"
done
SCREENS=$(awk '{ print $1 }' "$WORK/frames/1.txt")
# The big corpus too, on Explore with a frequent context (its KL, chart and follower list are
# the costliest to draw); Compare is left out there (training context 1 takes minutes).
say "(i) frame times at 200x60 on $(basename "$BIG"), Explore asking '$QUERY'"
mkdir -p "$WORK/bigframes"
for r in $(seq "$RUNS"); do
  (cd "$WORK" && "$BENCH" frames --corpus "$BIG" --width 200 --height 60 --frames "$FRAMES" --query "$QUERY" --skip-compare) |
    awk 'NR > 2 { print $1, $2, $3, $4 }' >"$WORK/bigframes/$r.txt"
done

# (ii) Idle CPU.
say "(ii) idle CPU: $IDLE_RUNS samples of ${IDLE_SECONDS}s after training on $(basename "$DEFAULT_CORPUS")"
mkdir -p "$WORK/idle/corpus"
cp "$DEFAULT_CORPUS" "$WORK/idle/corpus/"
start_explorer "$WORK/idle" --pace 0
wait_for "artifacts saved"
T send-keys -t bench Tab
wait_for "context>"
T send-keys -t bench -l "$(awk '{ for (i = 1; i <= NF && n < 2; i++) { printf "%s%s", (n ? " " : ""), $i; n++ } } n >= 2 { exit }' "$DEFAULT_CORPUS")"
T send-keys -t bench Enter
wait_for "next token after"
sleep 1
HZ=$(getconf CLK_TCK)
: >"$WORK/idle.txt"
for _ in $(seq "$IDLE_RUNS"); do
  a=$(cpu_ticks "$EXPLORER_PID")
  t0=$EPOCHREALTIME
  sleep "$IDLE_SECONDS"
  b=$(cpu_ticks "$EXPLORER_PID")
  t1=$EPOCHREALTIME
  awk -v a="$a" -v b="$b" -v hz="$HZ" -v t0="$t0" -v t1="$t1" 'BEGIN { printf "%.3f\n", (b - a) / hz / (t1 - t0) * 100 }' >>"$WORK/idle.txt"
done
T send-keys -t bench Escape
T send-keys -t bench q
T kill-server 2>/dev/null || true

# (iii) Training throughput, explorer vs headless, alternating.
say "(iii) training throughput on $(basename "$BIG"): $RUNS x (explorer in tmux, bench, train --weights compact)"
: >"$WORK/live.txt"
: >"$WORK/livewall.txt"
: >"$WORK/headless.txt"
: >"$WORK/train.txt"
PAIRS=""
for r in $(seq "$RUNS"); do
  d=$WORK/live$r
  mkdir -p "$d"
  start_explorer "$d" --pace 0 --weights compact --corpus "'$BIG'"
  wait_for "artifacts saved"
  screen_text | awk '/pairs\/s/ { gsub(",", "", $1); print $1; exit }' >>"$WORK/live.txt"
  # Whole run: from the process's start (/proc, 10 ms ticks) to the newest artifact written.
  # (/proc/stat's btime is whole seconds: take the clock offset from /proc/uptime instead.)
  offset=$(awk -v now="$EPOCHREALTIME" '{ printf "%.3f\n", now - $1 }' /proc/uptime)
  started=$(awk -v hz="$(getconf CLK_TCK)" -v off="$offset" '{ printf "%.3f\n", off + $22 / hz }' "/proc/$EXPLORER_PID/stat")
  written=$(find "$d/artifacts" "$d/outputs" -type f -printf '%T@\n' | sort -g | tail -n 1)
  awk -v a="$started" -v b="$written" 'BEGIN { printf "%.4f\n", b - a }' >>"$WORK/livewall.txt"
  T send-keys -t bench q
  T kill-server 2>/dev/null || true
  rm -rf "$d"

  "$BENCH" phases --corpus "$BIG" --runs 1 >"$WORK/bench.txt"
  awk '/^pairs per second/ { print $5 * 1e6 }' "$WORK/bench.txt" >>"$WORK/headless.txt"
  PAIRS=$(awk 'NR == 1 { for (i = 2; i <= NF; i++) if ($i ~ /^pairs,?$/) { print $(i - 1); exit } }' "$WORK/bench.txt")

  d=$WORK/train$r
  mkdir -p "$d"
  t0=$EPOCHREALTIME
  "$BIN" train --dir "$d" --corpus "$BIG" --weights compact --quiet
  t1=$EPOCHREALTIME
  awk -v t0="$t0" -v t1="$t1" 'BEGIN { printf "%.4f\n", t1 - t0 }' >>"$WORK/train.txt"
  rm -rf "$d"
done

# The table.
echo "## Explorer performance (issue 4)"
echo
echo "machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo); release build; $(date -u +%Y-%m-%d)"
echo
echo "(i) full frame = render into the grid + the driver's diff, 200x60, $(basename "$DEFAULT_CORPUS"); medians of $RUNS runs x $FRAMES frames (goal <= 2 ms)"
echo
echo "| screen | median ms | min ms | max ms |"
echo "|---|---:|---:|---:|"
row() { # row DIR SCREEN LABEL
  local med lo hi
  med=$(cat "$1"/*.txt | awk -v s="$2" '$1 == s { print $2 }' | stats | awk '{ print $1 }')
  lo=$(cat "$1"/*.txt | awk -v s="$2" '$1 == s { print $3 }' | stats | awk '{ print $2 }')
  hi=$(cat "$1"/*.txt | awk -v s="$2" '$1 == s { print $4 }' | stats | awk '{ print $3 }')
  echo "| $3 | $med | $lo | $hi |"
}
for s in $SCREENS; do row "$WORK/frames" "$s" "$s"; done
row "$WORK/bigframes" Train "Train, $(basename "$BIG")"
row "$WORK/bigframes" Explore "Explore, $(basename "$BIG"), '$QUERY'"
echo
read -r imed ilo ihi < <(stats <"$WORK/idle.txt")
echo "(ii) idle CPU of the explorer after training (Explore screen, one query shown): median ${imed} % of one core (min ${ilo}, max ${ihi}; $IDLE_RUNS x ${IDLE_SECONDS} s)"
echo
read -r lmed llo lhi < <(stats <"$WORK/live.txt")
read -r hmed hlo hhi < <(stats <"$WORK/headless.txt")
read -r tmed tlo thi < <(stats <"$WORK/train.txt")
echo "(iii) training throughput on $(basename "$BIG") ($PAIRS pairs x 50 epochs), medians of $RUNS (goal: explorer >= 90 % of headless)"
echo
echo "| run | pairs/s median | min | max |"
echo "|---|---:|---:|---:|"
printf '| explorer in tmux (--pace 0, training time on its Train screen) | %.0f | %.0f | %.0f |\n' "$lmed" "$llo" "$lhi"
printf '| headless trainer (`ngram-bench phases`, training phase) | %.0f | %.0f | %.0f |\n' "$hmed" "$hlo" "$hhi"
read -r wmed wlo whi < <(stats <"$WORK/livewall.txt")
echo
echo "| whole run (read, index, train, write compact) | seconds median | min | max |"
echo "|---|---:|---:|---:|"
echo "| explorer in tmux (process start to the last artifact written) | $wmed | $wlo | $whi |"
echo "| \`ngram-tui train --weights compact\` (wall clock) | $tmed | $tlo | $thi |"
echo
awk -v l="$lmed" -v h="$hmed" -v t="$tmed" -v w="$wmed" 'BEGIN {
  printf "explorer / headless, training pairs/s: %.1f %%;  whole run, train time / explorer time: %.1f %%\n", l / h * 100, t / w * 100 }'
echo
echo "command: scripts/bench-tui.sh $([[ $# -eq 1 ]] && printf '%q' "$1")"
