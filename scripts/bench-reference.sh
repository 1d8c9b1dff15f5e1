#!/usr/bin/env bash
# Benchmarks for ngram-tui (issue 4), printed as one Markdown report on stdout.
#
# Usage (from anywhere; paths are relative to the repository):
#   scripts/bench-reference.sh [BIG_CORPUS]
#
#   BIG_CORPUS   400k+ tokens of real text. Default: every fortune file of Debian's `fortunes`
#                package (and `fortunes-min`, which it depends on and which holds three of the
#                files), fetched with `apt-get download` and unpacked with `dpkg -x`, then
#                concatenated in sorted order (no *.dat, *.u8, off/): 457,666 tokens.
#
# Environment:
#   RUNS=5        repetitions of every timed command (medians, with min–max)
#   BENCH_RUNS=3  --runs of `ngram-bench phases` (the phase breakdown; Benchmarks/ package)
#   PY_RUNS=3     runs of the Python reference (each takes tens of seconds)
#   DENSE_RUNS=3  runs of `ngram-tui predict` on the ~360 MB dense CSV
#   SCRATCH=DIR   build with `swift build --scratch-path DIR` (default: .build)
#   BENCH_OUT=DIR keep everything (corpora, logs, samples, report.md) in DIR; default: a temp
#                 dir that is deleted at the end
#   REF_PYTHON=P  Python (>= 3.12) for the reference's venv; default: the newest found
#   SKIP_PYTHON=1, SKIP_DENSE=1   leave those sections out
#
# What it does: builds release and the C yardstick (bench/anchor/sparse_train.c, cc -O3
# -march=native); for the default corpus, ~1,000 tokens and the big corpus it times the C
# yardstick's training and `ngram-tui train --weights compact --quiet` (whole process; peak RSS
# from /usr/bin/time), checks that both train logs agree, and runs `ngram-bench phases` for the
# phases; times five prefixes of the big corpus spanning 100x and fits time = a*N^b; times the
# Python reference (PyPI toy-gpt-train-300-context-2, in a venv) on the ~1,000 tokens; and
# times loading a reference-format dense weights CSV of V ~ 560 (~360 MB). It writes nothing
# into the source tree except the build directory. Takes 2-3 minutes on 2 cores (plus the build);
# the Python reference is most of it.
set -euo pipefail
export PYTHONDONTWRITEBYTECODE=1

START_EPOCH=$EPOCHREALTIME
declare -A ENV_SET # the settings given in the environment, for the report's command line
for v in RUNS BENCH_RUNS PY_RUNS DENSE_RUNS SCRATCH SKIP_PYTHON SKIP_DENSE; do
  [[ -n ${!v:-} ]] && ENV_SET[$v]=1
done
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUNS=${RUNS:-5}
BENCH_RUNS=${BENCH_RUNS:-3}
PY_RUNS=${PY_RUNS:-3}
DENSE_RUNS=${DENSE_RUNS:-3}
EPOCHS=50
LR=0.1
DENSE_V=560
PY_PACKAGE=toy-gpt-train-300-context-2

say() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() {
  printf 'bench.sh: error: %s\n' "$*" >&2
  exit 1
}
for v in RUNS BENCH_RUNS PY_RUNS DENSE_RUNS; do
  [[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "$v must be a whole number >= 1 (got '${!v}')"
done

(($# <= 1)) || die "usage: scripts/bench.sh [BIG_CORPUS_FILE] (settings in the environment: see the script's header)"
BIG_ARG=""
if (($# == 1)); then
  [[ -f $1 && -r $1 ]] || die "not a readable file: $1"
  BIG_ARG=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
fi

# ---- tools ----------------------------------------------------------------------------------
for t in swift cc python3 awk; do
  command -v "$t" >/dev/null || die "'$t' is not installed (needed: swift, cc, python3, GNU time)"
done
[[ -x /usr/bin/time ]] || die "/usr/bin/time (GNU time) is missing: apt-get install time"
/usr/bin/time -f '%M' -o /dev/null true 2>/dev/null || die "/usr/bin/time is not GNU time (needs -f %M)"

# ---- work directory -------------------------------------------------------------------------
if [[ -n ${BENCH_OUT:-} ]]; then
  mkdir -p "$BENCH_OUT" || die "cannot create BENCH_OUT=$BENCH_OUT"
  WORK=$(cd "$BENCH_OUT" && pwd)
  rm -rf "$WORK/results" "$WORK/run"
else
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/ngram-bench.XXXXXX")
  trap 'rm -rf "$WORK"' EXIT
fi
case "$WORK/" in "$ROOT"/*) say "warning: BENCH_OUT is inside the source tree ($WORK)" ;; esac
RES=$WORK/results
mkdir -p "$RES/logs" "$WORK/corpora" "$WORK/run" "$WORK/c"
cd "$WORK"
say "work directory: $WORK"

fact() { printf '%s\t%s\n' "$1" "$2" >>"$RES/facts.tsv"; }

# timed NAME CMD...: runs CMD once (stdout to $WORK/cmd.stdout), appends "seconds peak_rss_kb"
# to $RES/NAME.samples. Wall time from $EPOCHREALTIME; peak RSS from GNU time.
timed() {
  local name=$1 t0 t1 rc=0
  shift
  t0=$EPOCHREALTIME
  /usr/bin/time -f '%M' -o "$WORK/time.out" "$@" >"$WORK/cmd.stdout" 2>"$WORK/cmd.stderr" || rc=$?
  t1=$EPOCHREALTIME
  if ((rc != 0)); then
    tail -n 20 "$WORK/cmd.stderr" >&2
    die "command failed (exit $rc): $*"
  fi
  awk -v a="${t0/,/.}" -v b="${t1/,/.}" -v m="$(tail -n 1 "$WORK/time.out")" \
    'BEGIN { printf "%.6f %s\n", b - a, m }' >>"$RES/$name.samples"
}

# ---- helper (Python): corpora, ids, stats, log comparison, fits, the report -----------------
helper() { python3 "$ROOT/scripts/bench_reference_tools.py" "$@"; }

# ---- machine --------------------------------------------------------------------------------
: >"$RES/facts.tsv"
fact cpu "$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || echo unknown)"
fact cores "$(nproc 2>/dev/null || echo '?')"
fact mem "$(awk '/^MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo 2>/dev/null || echo '?')"
fact kernel "$(uname -r)"
fact swift "$(swift --version 2>&1 | grep -m1 -i 'swift version' || swift --version 2>&1 | head -n 1)"
fact cc "$(cc --version 2>&1 | head -n 1)"
fact date "$(date -u '+%Y-%m-%d %H:%M UTC')"
commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [[ -n $(git -C "$ROOT" status --porcelain --untracked-files=no -- Sources Package.swift 2>/dev/null) ]]; then
  commit="$commit (with uncommitted changes in Sources/)"
fi
fact commit "$commit"
fact epochs "$EPOCHS"
fact lr "$LR"
fact runs "$RUNS"
fact bench_runs "$BENCH_RUNS"
cmdline="scripts/bench.sh${1:+ $1}"
for v in SKIP_DENSE SKIP_PYTHON SCRATCH DENSE_RUNS PY_RUNS BENCH_RUNS RUNS; do
  [[ -n ${ENV_SET[$v]:-} ]] && cmdline="$v=${!v} $cmdline"
done
fact command "$cmdline"

# ---- build ----------------------------------------------------------------------------------
SCRATCH_ARGS=()
[[ -n ${SCRATCH:-} ]] && SCRATCH_ARGS=(--scratch-path "$SCRATCH")
say "building release: swift build -c release ${SCRATCH_ARGS[*]}"
for attempt in 1 2 3; do
  if (cd "$ROOT" && swift build -c release "${SCRATCH_ARGS[@]}") >"$WORK/build.log" 2>&1; then
    break
  fi
  # a source file edited while compiling: build again; any other failure is fatal
  if ((attempt < 3)) && grep -q 'was modified during the build' "$WORK/build.log"; then
    say "a source file changed during the build; building again"
    continue
  fi
  tail -n 30 "$WORK/build.log" >&2
  die "swift build -c release failed (log above)"
done
BIN_DIR=$(cd "$ROOT" && swift build -c release "${SCRATCH_ARGS[@]}" --show-bin-path)
BIN=$BIN_DIR/ngram-tui
[[ -x $BIN ]] || die "no ngram-tui binary at $BIN after the build"
# The phase timings come from the benchmark package's ngram-bench (not part of ngram-tui).
say "building ngram-bench: swift build -c release --package-path Benchmarks --product ngram-bench"
(cd "$ROOT" && swift build -c release --package-path Benchmarks --product ngram-bench) >"$WORK/build-bench.log" 2>&1 || {
  tail -n 30 "$WORK/build-bench.log" >&2
  die "building Benchmarks' ngram-bench failed (log above)"
}
BENCH=$(cd "$ROOT" && swift build -c release --package-path Benchmarks --show-bin-path)/ngram-bench

ANCHOR_SRC=$ROOT/bench/anchor/sparse_train.c
[[ -f $ANCHOR_SRC ]] || die "missing $ANCHOR_SRC (the C yardstick)"
cp "$ANCHOR_SRC" "$WORK/c/sparse_train.c"
say "building the C yardstick: cc -O3 -march=native"
(cd "$WORK/c" && cc -O3 -march=native -o sparse_train sparse_train.c -lm) || die "cc failed on sparse_train.c"
CPROG=$WORK/c/sparse_train

# ---- corpora --------------------------------------------------------------------------------
shopt -s nullglob
defaults=("$ROOT"/corpus/*)
shopt -u nullglob
((${#defaults[@]} == 1)) || die "expected exactly one file in $ROOT/corpus, found ${#defaults[@]}"
DEFAULT_CORPUS=${defaults[0]}

if [[ -n $BIG_ARG ]]; then
  BIG=$BIG_ARG
  BIG_LABEL="$(basename "$BIG")"
else
  say "fetching Debian's fortunes (apt-get download fortunes fortunes-min)"
  mkdir -p "$WORK/deb" && cd "$WORK/deb"
  command -v apt-get >/dev/null && command -v dpkg >/dev/null ||
    die "apt-get/dpkg not available: pass a 400k+ token text file: scripts/bench.sh FILE"
  apt-get download fortunes fortunes-min >"$WORK/apt.log" 2>&1 || {
    tail -n 5 "$WORK/apt.log" >&2
    die "apt-get download fortunes failed (offline, or run 'apt-get update'); or pass a 400k+ token text file: scripts/bench.sh FILE"
  }
  for deb in ./*.deb; do dpkg -x "$deb" "$WORK/deb/x"; done
  FDIR=$WORK/deb/x/usr/share/games/fortunes
  [[ -d $FDIR ]] || die "no usr/share/games/fortunes in the fortunes package"
  BIG=$WORK/corpora/fortunes.txt
  find "$FDIR" -maxdepth 1 -type f ! -name '*.dat' ! -name '*.u8' -print0 | LC_ALL=C sort -z |
    xargs -0 cat >"$BIG"
  cd "$WORK"
  BIG_LABEL="Debian fortunes"
fi
say "preparing corpora from $BIG"
helper prepare "$BIG" "$WORK/corpora" "$DENSE_V" >"$WORK/prefixes.tsv" || die "could not read $BIG as UTF-8 text"
ntok() { awk -F'\t' -v n="$1" '$1 == n { print $2 }' "$WORK/prefixes.tsv"; }
big_tokens=$(python3 -c 'import sys; print(len(open(sys.argv[1], encoding="utf-8").read().split()))' "$BIG")
((big_tokens >= 100000)) || say "warning: the big corpus has only $big_tokens tokens (the goals are stated for 400k+)"

declare -A CORPUS_FILE
CORPUS_FILE[default]=$DEFAULT_CORPUS
CORPUS_FILE[1k]=$WORK/corpora/1k.txt
CORPUS_FILE[big]=$BIG
fact default_name "$(basename "$DEFAULT_CORPUS")"
fact big_name "$BIG_LABEL"
fact big_tokens "$big_tokens"
fact k1_tokens "$(ntok 1k.txt)"
fact corpora "default 1k big"

# measure KEY FILE: C yardstick and whole-process ngram-tui (RUNS each), logs, and the phases.
measure() {
  local key=$1 file=$2 dir=$WORK/run/$1
  mkdir -p "$dir/corpus"
  cp "$file" "$dir/corpus/"
  read -r toks vocab < <(helper ids "$file" "$WORK/c/$key.ids")
  say "$key: $toks tokens, V = $vocab: C yardstick x$RUNS, ngram-tui train x$RUNS, ngram-bench phases --runs $BENCH_RUNS"
  local i
  # alternate the two programs, so that a noisy neighbour slows both alike
  for ((i = 0; i < RUNS; i++)); do
    timed "c_$key" "$CPROG" "$WORK/c/$key.ids" "$EPOCHS" "$LR"
    cp "$WORK/cmd.stdout" "$RES/logs/$key.c.csv"
    rm -rf "$dir/artifacts" "$dir/outputs"
    timed "train_$key" "$BIN" train --dir "$dir" --weights compact --quiet --epochs "$EPOCHS" --lr "$LR"
  done
  cp "$dir/outputs/train_log.csv" "$RES/logs/$key.ngram.csv"
  timed "benchcmd_$key" "$BENCH" phases --corpus "$file" --runs "$BENCH_RUNS" --epochs "$EPOCHS" --lr "$LR" --json
  cp "$WORK/cmd.stdout" "$RES/bench_$key.json"
  rm -rf "$dir" "$WORK/c/$key.ids"
}

for key in default 1k big; do
  measure "$key" "${CORPUS_FILE[$key]}"
done

# ---- scaling: N/100, N/25, N/10, N/4 and N (the big corpus itself) --------------------------
scaling=""
for i in 1 2 3 4; do
  measure "scale$i" "$WORK/corpora/scale$i.txt"
  scaling+="scale$i "
done
for f in c_big train_big; do cp "$RES/$f.samples" "$RES/${f/big/scale5}.samples"; done
cp "$RES/bench_big.json" "$RES/bench_scale5.json"
cp "$RES/logs/big.c.csv" "$RES/logs/scale5.c.csv"
cp "$RES/logs/big.ngram.csv" "$RES/logs/scale5.ngram.csv"
fact scaling "${scaling}scale5"

# ---- Python reference on the ~1k-token corpus -----------------------------------------------
find_ref_python() {
  local c v
  for c in "${REF_PYTHON:-}" python3.14 python3.13 python3.12 python3 \
    $(ls -d "$HOME"/.pyenv/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do
    [[ -n $c ]] || continue
    command -v "$c" >/dev/null 2>&1 || continue
    v=$("$c" -c 'import sys; print(int(sys.version_info >= (3, 12)))' 2>/dev/null) || continue
    if [[ $v == 1 ]]; then
      command -v "$c"
      return 0
    fi
  done
  return 1
}
python_section() {
  local py venv=$WORK/venv base=$WORK/run/pyref i
  if ! py=$(find_ref_python); then
    fact python_skipped "no Python >= 3.12 found (the reference uses 'type X = ...'; set REF_PYTHON)"
    say "Python reference skipped: no Python >= 3.12"
    return 0
  fi
  say "Python reference: venv with $("$py" --version 2>&1), pip install $PY_PACKAGE"
  "$py" -m venv "$venv" >"$WORK/venv.log" 2>&1 || {
    fact python_skipped "python -m venv failed ($(tail -n 1 "$WORK/venv.log"))"
    say "Python reference skipped: venv failed"
    return 0
  }
  if ! "$venv/bin/python" -m pip install --disable-pip-version-check --timeout 20 --retries 1 -q \
    --ignore-requires-python "$PY_PACKAGE" >"$WORK/pip.log" 2>&1; then
    fact python_skipped "pip install $PY_PACKAGE failed (offline?): $(tail -n 1 "$WORK/pip.log")"
    say "Python reference skipped: pip install failed (offline?)"
    return 0
  fi
  if ! "$venv/bin/python" -c 'import toy_gpt_train.d_train' >"$WORK/pyimport.log" 2>&1; then
    fact python_skipped "the installed reference does not import: $(tail -n 1 "$WORK/pyimport.log")"
    say "Python reference skipped: it does not import (see $WORK/pyimport.log)"
    return 0
  fi
  fact py_version "$("$venv/bin/python" --version 2>&1)"
  fact py_package "$PY_PACKAGE $("$venv/bin/python" -m pip show "$PY_PACKAGE" 2>/dev/null | awk '/^Version:/ { print $2 }')"
  # The driver reuses run_reference() of scripts/make-reference-case.py: exactly the steps of
  # the package's d_train.main() (tokenize, vocabulary, train, log, artifacts), in a base dir.
  cp "$ROOT/scripts/make-reference-case.py" "$WORK/make_reference_case.py"
  say "Python reference: $PY_RUNS runs on $(ntok 1k.txt) tokens (tens of seconds each)"
  for ((i = 0; i < PY_RUNS; i++)); do
    rm -rf "$base"
    mkdir -p "$base/corpus"
    cp "${CORPUS_FILE[1k]}" "$base/corpus/"
    timed python_1k "$venv/bin/python" "$ROOT/scripts/bench_reference_pyref.py" \
      "$WORK/make_reference_case.py" "$base" "$LR" "$EPOCHS"
    say "  run $((i + 1)): $(tail -n 1 "$RES/python_1k.samples" | awk '{ printf "%.1f s, %.0f MB", $1, $2 / 1024 }')"
  done
  cp "$base/outputs/train_log.csv" "$RES/logs/1k.py.csv"
  rm -rf "$base"
}
if [[ -n ${SKIP_PYTHON:-} ]]; then
  fact python_skipped "SKIP_PYTHON was set"
else
  python_section
fi

# ---- dense reference-format weights: write, then load + predict -----------------------------
dense_section() {
  local d=$WORK/run/dense dc=$WORK/run/dense-compact file=$WORK/corpora/dense.txt i ctx
  mkdir -p "$d/corpus" "$dc/corpus"
  cp "$file" "$d/corpus/"
  cp "$file" "$dc/corpus/"
  say "dense: train --weights dense on $(ntok dense.txt) tokens (writes ~360 MB)"
  timed write_dense "$BIN" train --dir "$d" --weights dense --dense-limit 300000000 --json --epochs "$EPOCHS" --lr "$LR"
  [[ -f $d/artifacts/02_model_weights.csv ]] || die "train --weights dense wrote no 02_model_weights.csv"
  helper densefacts "$WORK/cmd.stdout" "$d/artifacts/02_model_weights.csv" >>"$RES/facts.tsv"
  # the first two tokens of the corpus: a context seen in training
  mapfile -t ctx < <(python3 -c 'import sys; print("\n".join(open(sys.argv[1], encoding="utf-8").read().split()[:2]))' "$file")
  ((${#ctx[@]} == 2)) || die "the dense corpus has fewer than 2 tokens"
  fact dense_ctx1 "${ctx[0]}"
  fact dense_ctx2 "${ctx[1]}"
  say "dense: predict x$DENSE_RUNS (load the CSV + predict)"
  for ((i = 0; i < DENSE_RUNS; i++)); do
    timed predict_dense "$BIN" predict --dir "$d" --json -- "${ctx[@]}"
  done
  cp "$WORK/cmd.stdout" "$RES/logs/dense.predict.json"
  rm -rf "$d"
  "$BIN" train --dir "$dc" --weights compact --quiet --epochs "$EPOCHS" --lr "$LR" || die "train --weights compact failed on the dense corpus"
  for ((i = 0; i < DENSE_RUNS; i++)); do
    timed predict_compact "$BIN" predict --dir "$dc" --json -- "${ctx[@]}"
  done
  cp "$WORK/cmd.stdout" "$RES/logs/compact.predict.json"
  # the dense CSV holds rounded weights (the reference's format): same tokens, probabilities close
  helper cmppredict "$RES/logs/dense.predict.json" "$RES/logs/compact.predict.json" >"$WORK/cmppredict.out"
  fact dense_vs_compact "$(cat "$WORK/cmppredict.out")"
  rm -rf "$dc"
}
if [[ -n ${SKIP_DENSE:-} ]]; then
  fact dense_skipped "SKIP_DENSE was set"
else
  dense_section
fi

# ---- report ---------------------------------------------------------------------------------
fact elapsed "$(awk -v a="${START_EPOCH/,/.}" -v b="${EPOCHREALTIME/,/.}" 'BEGIN { s = b - a; printf "%dm%02ds", s / 60, s % 60 }')"
say "done"
helper report "$RES" | tee "$WORK/report.md"
[[ -n ${BENCH_OUT:-} ]] && say "report and raw samples kept in $WORK"
exit 0
