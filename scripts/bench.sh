#!/usr/bin/env bash
# Speed of ngram-tui against the C anchor (issue 12's table and issue 4's goals), as one Markdown
# report on stdout. Every case runs ngram-tui (whole process: read, tokenize, index, train 50
# epochs, write compact artifacts) and the C anchor (bench/anchor/sparse_train_n.c, training only,
# on token ids given for free) alternately in the same run, and compares their train logs.
#
# Usage: scripts/bench.sh [CASE ...]
#   CASE: ctx1-150k ctx1-all ctx0-20k ctx3-all ctx2-all ctx2-big (default: all of them)
#
# Environment:
#   RUNS=3       runs of each program per case (medians); the slow cases (C anchor over a minute)
#                run once
#   BENCH_OUT=D  keep corpora, ids, logs and samples in D (default: a temporary directory)
#   BIN=PATH     the ngram-tui binary (default: build with `swift build -c release`)
#
# Corpora: Debian's fortunes (`apt-get install fortunes fortunes-min`), every file except *.dat
# and *.u8, in sorted order; the big corpus adds /usr/share/vim/vim*/doc/*.txt and every *.md
# under /usr/share/doc (about 3M tokens). Analysis: scripts/bench_tools.py.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TOOLS=$ROOT/scripts/bench_tools.py
RUNS=${RUNS:-3}
EPOCHS=50
LR=0.1
ALL_CASES="ctx1-150k ctx1-all ctx0-20k ctx3-all ctx2-all ctx2-big"
CASES=${*:-$ALL_CASES}

say() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() {
  printf 'bench.sh: error: %s\n' "$*" >&2
  exit 1
}
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a whole number >= 1 (got '$RUNS')"
for c in $CASES; do
  [[ " $ALL_CASES " == *" $c "* ]] || die "unknown case '$c' (cases: $ALL_CASES)"
done
for t in swift cc python3; do command -v "$t" >/dev/null || die "'$t' is not installed"; done
/usr/bin/time -f '%M' -o /dev/null true 2>/dev/null || die "GNU time is missing: apt-get install time"
FDIR=/usr/share/games/fortunes
[[ -d $FDIR ]] || die "no $FDIR: apt-get install -y fortunes fortunes-min"

if [[ -n ${BENCH_OUT:-} ]]; then
  mkdir -p "$BENCH_OUT"
  WORK=$(cd "$BENCH_OUT" && pwd)
  rm -rf "$WORK/results"
else
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/ngram-bench.XXXXXX")
  trap 'rm -rf "$WORK"' EXIT
fi
RES=$WORK/results
mkdir -p "$RES" "$WORK/corpora" "$WORK/run"

if [[ -z ${BIN:-} ]]; then
  say "swift build -c release"
  (cd "$ROOT" && swift build -c release >&2)
  BIN=$(cd "$ROOT" && swift build -c release --show-bin-path)/ngram-tui
fi
[[ -x $BIN ]] || die "not an executable: $BIN"
cc -O3 -march=native -o "$WORK/sparse_train_n" "$ROOT/bench/anchor/sparse_train_n.c" -lm

fact() { printf '%s\t%s\n' "$1" "$2" >>"$RES/facts.tsv"; }

# timed NAME CMD...: runs CMD (stdout to $WORK/cmd.stdout) and appends "seconds peak_rss_kb cpu_seconds".
timed() {
  local name=$1 t0 t1 rc=0
  shift
  t0=$EPOCHREALTIME
  /usr/bin/time -f '%M %U %S' -o "$WORK/time.out" "$@" >"$WORK/cmd.stdout" 2>"$WORK/cmd.stderr" || rc=$?
  t1=$EPOCHREALTIME
  ((rc == 0)) || { tail -n 20 "$WORK/cmd.stderr" >&2; die "command failed (exit $rc): $*"; }
  echo "${t0/,/.} ${t1/,/.} $(tail -n 1 "$WORK/time.out")" |
    awk '{ printf "%.6f %s %.2f\n", $2 - $1, $3, $4 + $5 }' >>"$RES/$name.samples"
}

C=$WORK/corpora
find "$FDIR" -maxdepth 1 -type f ! -name '*.dat' ! -name '*.u8' -print0 | LC_ALL=C sort -z | xargs -0 cat >"$C/fortunes.txt"
need_big=0
[[ " $CASES " == *" ctx2-big "* ]] && need_big=1
if ((need_big)); then
  {
    cat "$C/fortunes.txt"
    find /usr/share/vim/vim*/doc -maxdepth 1 -name '*.txt' -type f -print0 | LC_ALL=C sort -z | xargs -0 -r cat
    find /usr/share/doc -name '*.md' -type f -print0 | LC_ALL=C sort -z | xargs -0 -r cat
  } >"$C/big.txt"
fi

fact date "$(date -u '+%Y-%m-%d %H:%M UTC')"
fact commit "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
fact machine "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo) RAM, Linux $(uname -r)"
fact swift "$(swift --version 2>&1 | head -n 1)"
fact cc "$(cc --version | head -n 1)"
fact runs "$RUNS"
fact load.start "$(cut -d' ' -f1-3 /proc/loadavg)"

# case KEY LABEL CONTEXT SOURCE PREFIX_TOKENS(0: all) GOAL [MEMGOAL] [RSSGOAL]
run_case() {
  local key=$1 label=$2 n=$3 src=$4 prefix=$5 goal=$6 memgoal=${7:-} rssgoal=${8:-}
  local corpus=$C/$key.txt runs=$RUNS
  if ((prefix > 0)); then python3 "$TOOLS" prefix "$src" "$prefix" "$corpus"; else cp "$src" "$corpus"; fi
  read -r toks vocab < <(python3 "$TOOLS" ids "$corpus" "$C/$key.ids")
  fact "$key.label" "$label"
  fact "$key.tokens" "$toks"
  fact "$key.vocab" "$vocab"
  fact "$key.goal" "$goal"
  [[ -n $memgoal ]] && fact "$key.memgoal" "$memgoal"
  [[ -n $rssgoal ]] && fact "$key.rssgoal" "$rssgoal"
  local d=$WORK/run/$key
  for ((i = 1; i <= runs; i++)); do
    say "$key ($label): run $i/$runs: ngram-tui"
    rm -rf "$d"
    mkdir -p "$d"
    timed "$key.tui" "$BIN" train --dir "$d" --corpus "$corpus" --context "$n" --epochs "$EPOCHS" --lr "$LR" \
      --weights compact --quiet
    say "$key: run $i/$runs: C anchor"
    timed "$key.c" "$WORK/sparse_train_n" "$C/$key.ids" "$EPOCHS" "$LR" "$n"
    cp "$WORK/cmd.stdout" "$RES/$key.c.log"
    # One run is enough when the anchor takes over a minute.
    if ((i == 1 && runs > 1)) && awk '{ exit !($1 > 60) }' "$RES/$key.c.samples"; then runs=1; fi
  done
  fact "$key.contexts" "$(grep -m1 '^#rows ' "$d/artifacts/02_model_weights.sparse.tsv" | cut -d' ' -f2)"
  fact "$key.logs" "$(python3 "$TOOLS" same-log "$d/outputs/train_log.csv" "$RES/$key.c.log")"
  fact cases "$(awk -F'\t' '$1 == "cases" { v = $2 } END { print v }' "$RES/facts.tsv") $key"
}

F=$C/fortunes.txt
for c in $CASES; do
  case $c in
    ctx1-150k) run_case "$c" "context 1, first 150k fortunes tokens" 1 "$F" 150000 0.2 ;;
    ctx1-all) run_case "$c" "context 1, all fortunes" 1 "$F" 0 0.2 ;;
    ctx0-20k) run_case "$c" "context 0, first 20k fortunes tokens" 0 "$F" 20000 0.2 ;;
    ctx3-all) run_case "$c" "context 3, all fortunes" 3 "$F" 0 0.5 ;;
    ctx2-all) run_case "$c" "context 2, all fortunes (issue 4)" 2 "$F" 0 0.5 "" 100 ;;
    ctx2-big) run_case "$c" "context 2, fortunes + vim docs + package docs" 2 "$C/big.txt" 0 0.2 1.2 ;;
  esac
done

fact load.end "$(cut -d' ' -f1-3 /proc/loadavg)"
python3 "$TOOLS" report "$RES"
