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
#   BENCH_RUNS=3  --runs of `ngram-tui bench` (the phase breakdown)
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
# from /usr/bin/time), checks that both train logs agree, and runs `ngram-tui bench` for the
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
cat >"$WORK/helper.py" <<'PY'
import json, math, os, re, shlex, statistics, sys
from pathlib import Path

def tokens_of(path):
    # exactly the reference's tokenizer: read_text(encoding="utf-8").split()
    return Path(path).read_text(encoding="utf-8").split()

def cmd_prepare(big, outdir, dense_v):
    """Prefixes of the big corpus: 1k tokens, five scaling sizes (N/100 .. N), V >= dense_v."""
    out = Path(outdir)
    text = Path(big).read_text(encoding="utf-8")
    ends = [m.end() for m in re.finditer(r"\S+", text)]
    toks = text.split()
    n = len(toks)
    exact = len(ends) == n
    def write(name, k):
        body = text[: ends[k - 1]] if exact else " ".join(toks[:k])
        (out / name).write_bytes((body + "\n").encode("utf-8"))
        assert tokens_of(out / name) == toks[:k], name
        print(f"{name}\t{k}")
    write("1k.txt", min(1000, n))
    for i, d in enumerate((100, 25, 10, 4)):
        write(f"scale{i + 1}.txt", max(3, round(n / d)))
    seen, k = set(), 0
    for k, t in enumerate(toks, 1):
        seen.add(t)
        if len(seen) >= dense_v:
            break
    write("dense.txt", max(k, 3))

def cmd_ids(corpus, ids_out):
    toks = tokens_of(corpus)
    ids = {t: i for i, t in enumerate(sorted(set(toks)))}
    Path(ids_out).write_text(" ".join(str(ids[t]) for t in toks) + "\n")
    print(len(toks), len(ids))

def read_log(path):
    lines = [l.rstrip("\r") for l in Path(path).read_text(encoding="utf-8").split("\n")]
    while lines and lines[-1] == "":
        lines.pop()
    return lines

def compare_logs(a, b):
    """'identical' (after stripping \\r), or the largest differences."""
    if not (Path(a).exists() and Path(b).exists()):
        return "missing log"
    la, lb = read_log(a), read_log(b)
    if la == lb:
        return "identical"
    if len(la) != len(lb):
        return f"differ: {len(la) - 1} vs {len(lb) - 1} epochs"
    dl = da = 0.0
    for x, y in zip(la[1:], lb[1:]):
        fx, fy = x.split(","), y.split(",")
        dl = max(dl, abs(float(fx[1]) - float(fy[1])))
        da = max(da, abs(float(fx[2]) - float(fy[2])))
    return f"differ: max |Δloss| {dl:.3g}, max |Δacc| {da:.3g}"

def samples(res, name):
    p = Path(res) / f"{name}.samples"
    if not p.exists():
        return None
    rows = [l.split() for l in p.read_text().splitlines() if l.strip()]
    ts = [float(r[0]) for r in rows]
    kb = [int(r[1]) for r in rows if len(r) > 1 and r[1].isdigit()]
    return {"med": statistics.median(ts), "min": min(ts), "max": max(ts), "n": len(ts),
            "rss_mb": max(kb) / 1024 if kb else float("nan")}

def fmt_t(x):
    if x is None or x != x:
        return "–"
    if x >= 100:
        return f"{x:.0f} s"
    if x >= 1:
        return f"{x:.2f} s"
    if x >= 0.1:
        return f"{x:.3f} s"
    if x >= 0.001:
        return f"{x * 1e3:.1f} ms"
    return f"{x * 1e6:.0f} µs"

def fmt_s(s):
    """median (min–max), in the median's unit."""
    if s is None:
        return "–"
    if s["n"] == 1:
        return fmt_t(s["med"])
    m = s["med"]
    scale, unit = (1, " s") if m >= 1 else ((1e3, " ms") if m >= 0.001 else (1e6, " µs"))
    dec = 2 if m >= 1 else 1
    if 0.1 <= m < 1:
        return f"{m:.3f} s ({s['min']:.3f}–{s['max']:.3f})"
    return f"{m * scale:.{dec}f}{unit} ({s['min'] * scale:.{dec}f}–{s['max'] * scale:.{dec}f})"

def fmt_mb(x):
    if x is None or x != x:
        return "–"
    return f"{x / 1024:.2f} GB" if x >= 1024 else f"{x:.1f} MB"

def fit(points):
    """Least squares of log t = log a + b log N; returns (a, b, r2)."""
    pts = [(math.log(n), math.log(t)) for n, t in points if n > 0 and t > 0]
    if len(pts) < 2:
        return None
    mx = sum(p[0] for p in pts) / len(pts)
    my = sum(p[1] for p in pts) / len(pts)
    sxx = sum((x - mx) ** 2 for x, _ in pts)
    sxy = sum((x - mx) * (y - my) for x, y in pts)
    b = sxy / sxx
    a = math.exp(my - b * mx)
    ss = sum((y - my) ** 2 for _, y in pts)
    r2 = 1 - sum((y - (math.log(a) + b * x)) ** 2 for x, y in pts) / ss if ss > 0 else 1.0
    return a, b, r2

def load_bench(res, key):
    p = Path(res) / f"bench_{key}.json"
    return json.loads(p.read_text()) if p.exists() else None

META = {"corpus", "tokens", "vocab_size", "pairs", "rows", "runs", "workers", "peak_rss_mb"}

def cmd_report(res):
    res = Path(res)
    facts = {}
    for line in (res / "facts.tsv").read_text(encoding="utf-8").splitlines():
        k, _, v = line.partition("\t")
        facts[k] = v
    out = []
    p = out.append
    facts["workers"] = (load_bench(res, "big") or load_bench(res, "default") or {}).get("workers", "?")
    corpora = [c for c in facts.get("corpora", "").split() if c]
    label = {
        "default": f"default ({facts.get('default_name', '?')})",
        "1k": f"{int(facts.get('k1_tokens', 0)):,} tokens of {facts.get('big_name', '?')}",
        "big": f"{facts.get('big_name', '?')} ({int(facts.get('big_tokens', 0)):,} tokens)",
    }
    p("## ngram-tui benchmark")
    p("")
    p(f"- Machine: {facts['cpu']}, {facts['cores']} cores, {facts['mem']} RAM, Linux {facts['kernel']}")
    p(f"- Toolchain: {facts['swift']}; {facts['cc']}")
    p(f"- Date: {facts['date']}; commit {facts['commit']}")
    p(f"- Training: context 2, {facts['epochs']} epochs, lr {facts['lr']}; ngram-tui uses all cores ({facts.get('workers', '?')} workers). "
      f"Figures are medians of {facts['runs']} run{'s' if facts['runs'] != '1' else ''} with (min–max); peak RSS is the largest of the runs.")
    p(f"- Command: `{facts['command']}` (took {facts.get('elapsed', '?')})")
    p("")

    # --- whole process vs C -----------------------------------------------------------------
    p("### Whole process vs the C yardstick")
    p("")
    p("`ngram-tui train --weights compact --quiet` (read, tokenize, train, write artifacts) against "
      "`bench/anchor/sparse_train.c` (cc -O3 -march=native, one thread, pre-tokenized ids: training only).")
    p("")
    p("| corpus | tokens | V | contexts | C yardstick | ngram-tui, whole process | ngram-tui / C | peak RSS ngram-tui | peak RSS C | train log vs C |")
    p("|---|--:|--:|--:|--:|--:|--:|--:|--:|---|")
    summary = {}
    for c in corpora:
        b = load_bench(res, c) or {}
        cs, ns = samples(res, f"c_{c}"), samples(res, f"train_{c}")
        ratio = ns["med"] / cs["med"] if cs and ns and cs["med"] > 0 else float("nan")
        logcmp = compare_logs(res / "logs" / f"{c}.c.csv", res / "logs" / f"{c}.ngram.csv")
        summary[c] = (ratio, ns, logcmp)
        p(f"| {label[c]} | {b.get('tokens', '?'):,} | {b.get('vocab_size', '?'):,} | {b.get('rows', '?'):,} "
          f"| {fmt_s(cs)} | {fmt_s(ns)} | {ratio:.2f}× | {fmt_mb(ns['rss_mb'] if ns else None)} "
          f"| {fmt_mb(cs['rss_mb'] if cs else None)} | {logcmp} |")
    p("")

    # --- phases -------------------------------------------------------------------------------
    benches = [(c, load_bench(res, c)) for c in corpora]
    benches = [(c, b) for c, b in benches if b]
    if benches:
        p(f"### Phases (`ngram-tui bench --runs {facts['bench_runs']}`, in one process)")
        p("")
        p("| phase | " + " | ".join(label[c] for c, _ in benches) + " |")
        p("|---|" + "--:|" * len(benches))
        phases = []
        for _, b in benches:
            for k in b:
                if k not in META and k not in phases:
                    phases.append(k)
        for ph in phases:
            cells = []
            for _, b in benches:
                v = b.get(ph)
                if v is None:
                    cells.append("–")
                elif ph.startswith("pairs per second"):
                    cells.append(f"{v['median']:.1f} ({v['min']:.1f}–{v['max']:.1f})")
                else:
                    cells.append(fmt_s({"med": v["median"], "min": v["min"], "max": v["max"], "n": b.get("runs", 3)}))
            p(f"| {ph} | " + " | ".join(cells) + " |")
        p("| peak RSS (whole bench process) | " + " | ".join(fmt_mb(b["peak_rss_mb"]) for _, b in benches) + " |")
        p("| pairs · contexts | " + " | ".join(f"{b['pairs']:,} · {b['rows']:,}" for _, b in benches) + " |")
        p("")

    # --- scaling ------------------------------------------------------------------------------
    sizes = [s for s in facts.get("scaling", "").split() if s]
    if sizes:
        p(f"### Scaling (prefixes of {label.get('big', 'the big corpus')})")
        p("")
        p("| tokens | V | contexts | ngram-tui, whole process | ngram-tui, training only | C yardstick | ngram-tui / C | train log vs C |")
        p("|--:|--:|--:|--:|--:|--:|--:|---|")
        whole, train, cpts = [], [], []
        for s in sizes:
            b = load_bench(res, s) or {}
            ns, cs = samples(res, f"train_{s}"), samples(res, f"c_{s}")
            tr = b.get(f"training ({facts['epochs']} epochs)")
            n = b.get("tokens", 0)
            if ns: whole.append((n, ns["med"]))
            if tr: train.append((n, tr["median"]))
            if cs: cpts.append((n, cs["med"]))
            trs = {"med": tr["median"], "min": tr["min"], "max": tr["max"], "n": b.get("runs", 3)} if tr else None
            ratio = ns["med"] / cs["med"] if ns and cs else float("nan")
            p(f"| {n:,} | {b.get('vocab_size', 0):,} | {b.get('rows', 0):,} | {fmt_s(ns)} | {fmt_s(trs)} | {fmt_s(cs)} | {ratio:.2f}× | "
              f"{compare_logs(res / 'logs' / f'{s}.c.csv', res / 'logs' / f'{s}.ngram.csv')} |")
        p("")
        span = max(n for n, _ in whole) / max(1, min(n for n, _ in whole)) if whole else 0
        p(f"Least-squares fit of time = a·N^b on log-log (N = tokens, {len(sizes)} sizes spanning {span:.0f}×):")
        p("")
        for name, pts in (("ngram-tui whole process", whole), ("ngram-tui training", train), ("C yardstick", cpts)):
            f = fit(pts)
            if f:
                a, b_, r2 = f
                p(f"- {name}: **b = {b_:.2f}** (a = {a:.3g} s, R² = {r2:.3f}); "
                  f"predicts {fmt_t(a * 1e6 ** b_)} for 1M tokens")
                facts[f"fit_{name}"] = f"{b_:.2f}"
        p("")

    # --- Python reference ---------------------------------------------------------------------
    p(f"### Python reference on {label.get('1k', '1k tokens')}")
    p("")
    ps = samples(res, "python_1k")
    speedup = None
    if ps:
        ns = samples(res, "train_1k")
        speedup = ps["med"] / ns["med"] if ns else None
        pycmp = compare_logs(res / "logs" / "1k.py.csv", res / "logs" / "1k.ngram.csv")
        p("| program | whole process | peak RSS | train log |")
        p("|---|--:|--:|---|")
        p(f"| Python reference ({facts.get('py_version', '?')}, {facts.get('py_package', '?')}) | {fmt_s(ps)} | {fmt_mb(ps['rss_mb'])} | (reference) |")
        p(f"| ngram-tui train --weights compact | {fmt_s(ns)} | {fmt_mb(ns['rss_mb'] if ns else None)} | {pycmp} |")
        p("")
        p(f"ngram-tui is **{speedup:,.0f}×** faster (medians, whole process; the reference writes its dense V³ weights CSV, ngram-tui compact weights).")
    else:
        p(f"Skipped: {facts.get('python_skipped', 'not run')}.")
    p("")

    # --- dense load ---------------------------------------------------------------------------
    p("### Loading a dense reference-format weights CSV")
    p("")
    ds = samples(res, "predict_dense")
    if ds:
        ws = samples(res, "write_dense")
        cs = samples(res, "predict_compact")
        p(f"Corpus: the first {int(facts['dense_tokens']):,} tokens of {label.get('big', 'the big corpus')} "
          f"(V = {int(facts['dense_v']):,}, {int(facts['dense_rows']):,} trained contexts); "
          f"`02_model_weights.csv` has {int(facts['dense_cells']):,} numbers, {int(facts['dense_bytes']) / 1e6:,.0f} MB. "
          f"Timed: `ngram-tui predict --dir D --json -- {shlex.quote(facts['dense_ctx1'])} {shlex.quote(facts['dense_ctx2'])}` "
          f"(load + predict; {facts.get('dense_vs_compact', '?')}).")
        p("")
        p("| step | time | peak RSS |")
        p("|---|--:|--:|")
        p(f"| write: `train --weights dense --dense-limit 300000000` | {fmt_s(ws)} | {fmt_mb(ws['rss_mb'] if ws else None)} |")
        p(f"| load + predict, dense CSV | {fmt_s(ds)} | {fmt_mb(ds['rss_mb'])} |")
        if cs:
            p(f"| load + predict, compact artifacts of the same model | {fmt_s(cs)} | {fmt_mb(cs['rss_mb'])} |")
        p("")
        v = int(facts["dense_v"])
        p(f"(All V³ weights as doubles would take {v ** 3 * 8 / 2 ** 20:,.0f} MB; the trained rows alone "
          f"{int(facts['dense_rows']) * v * 8 / 2 ** 20:,.1f} MB.)")
    else:
        p(f"Skipped: {facts.get('dense_skipped', 'not run')}.")
    p("")

    # --- goals --------------------------------------------------------------------------------
    p("### Goals")
    p("")
    p("| goal | measured | result |")
    p("|---|--:|:-:|")
    def row(goal, measured, ok):
        p(f"| {goal} | {measured} | {'–' if ok is None else ('PASS' if ok else 'MISS')} |")
    if "big" in summary:
        ratio, ns, _ = summary["big"]
        cs = samples(res, "c_big")
        row(f"whole process ≤ 0.5 × C training, {label['big']}",
            f"{ratio:.2f}× ({fmt_t(ns['med'])} vs {fmt_t(cs['med'])})", ratio <= 0.5)
        row("peak RSS of that run ≤ 100 MB", fmt_mb(ns["rss_mb"]), ns["rss_mb"] <= 100)
    if speedup is not None:
        row(f"≥ 1000× faster than the Python reference, {label['1k']}", f"{speedup:,.0f}×", speedup >= 1000)
    else:
        row(f"≥ 1000× faster than the Python reference, {label.get('1k', '1k tokens')}", "skipped", None)
    if ds:
        row(f"dense CSV load (V = {int(facts['dense_v'])}) ≤ 3 s", fmt_t(ds["med"]), ds["med"] <= 3)
    else:
        row("dense CSV load (V ≈ 560) ≤ 3 s", "skipped", None)
    logs_ok = all(v[2] == "identical" for v in summary.values())
    scale_logs = [compare_logs(res / "logs" / f"{s}.c.csv", res / "logs" / f"{s}.ngram.csv") for s in sizes]
    logs_ok = logs_ok and all(x == "identical" for x in scale_logs)
    row("train logs identical to the C yardstick (every corpus and size)",
        "identical" if logs_ok else "see tables", logs_ok)
    print("\n".join(out))

def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "prepare":
        cmd_prepare(args[0], args[1], int(args[2]))
    elif cmd == "ids":
        cmd_ids(args[0], args[1])
    elif cmd == "report":
        cmd_report(args[0])
    elif cmd == "cmppredict":
        a, b = (json.loads(Path(x).read_text(encoding="utf-8"))["topk"] for x in args)
        same = [x["id"] for x in a] == [x["id"] for x in b]
        dp = max((abs(x["probability"] - y["probability"]) for x, y in zip(a, b)), default=0.0)
        print(f"{'same' if same else 'DIFFERENT'} top-{len(a)} tokens as from the compact artifacts, max |Δp| {dp:.2g}")
    else:
        sys.exit(f"helper: unknown command {cmd}")

main()
PY
helper() { python3 "$WORK/helper.py" "$@"; }

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
  say "$key: $toks tokens, V = $vocab: C yardstick x$RUNS, ngram-tui train x$RUNS, ngram-tui bench --runs $BENCH_RUNS"
  local i
  # alternate the two programs, so that a noisy neighbour slows both alike
  for ((i = 0; i < RUNS; i++)); do
    timed "c_$key" "$CPROG" "$WORK/c/$key.ids" "$EPOCHS" "$LR"
    cp "$WORK/cmd.stdout" "$RES/logs/$key.c.csv"
    rm -rf "$dir/artifacts" "$dir/outputs"
    timed "train_$key" "$BIN" train --dir "$dir" --weights compact --quiet --epochs "$EPOCHS" --lr "$LR"
  done
  cp "$dir/outputs/train_log.csv" "$RES/logs/$key.ngram.csv"
  timed "benchcmd_$key" "$BIN" bench --corpus "$file" --runs "$BENCH_RUNS" --epochs "$EPOCHS" --lr "$LR" --json
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
  cat >"$WORK/pyref_driver.py" <<'PY'
import importlib.util, logging, sys
from pathlib import Path
spec = importlib.util.spec_from_file_location("make_reference_case", sys.argv[1])
mrc = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mrc)
logging.disable(logging.CRITICAL)  # as make-reference-case.py: the reference logs every epoch
failure = mrc.run_reference(2, Path(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]))
if failure:
    sys.exit(f"the reference stopped: {failure}")
PY
  say "Python reference: $PY_RUNS runs on $(ntok 1k.txt) tokens (tens of seconds each)"
  for ((i = 0; i < PY_RUNS; i++)); do
    rm -rf "$base"
    mkdir -p "$base/corpus"
    cp "${CORPUS_FILE[1k]}" "$base/corpus/"
    timed python_1k "$venv/bin/python" "$WORK/pyref_driver.py" \
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
  python3 - "$WORK/cmd.stdout" "$d/artifacts/02_model_weights.csv" >>"$RES/facts.tsv" <<'PY'
import json, os, sys
j = json.load(open(sys.argv[1]))
v = j["vocab_size"]
print(f"dense_tokens\t{j['tokens']}\ndense_v\t{v}\ndense_rows\t{j['trained_rows']}")
print(f"dense_cells\t{v ** 3}\ndense_bytes\t{os.path.getsize(sys.argv[2])}")
PY
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
