#!/usr/bin/env python3
"""Helpers of scripts/bench-reference.sh (issue 4's report): corpora, token ids, log comparison,
fits, the Markdown report. Usage: bench_reference_tools.py COMMAND ARGS (see main())."""
import json, math, os, re, shlex, statistics, sys
from pathlib import Path

from bench_tools import cmd_ids, tokens_of  # the reference's tokenizer, corpus -> token ids

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
        p(f"### Phases (`ngram-bench phases --runs {facts['bench_runs']}`, in one process)")
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
    elif cmd == "densefacts":
        # densefacts TRAIN_JSON WEIGHTS_CSV: facts of the dense run, as facts.tsv lines
        j = json.load(open(args[0]))
        v = j["vocab_size"]
        print(f"dense_tokens\t{j['tokens']}\ndense_v\t{v}\ndense_rows\t{j['trained_rows']}")
        print(f"dense_cells\t{v ** 3}\ndense_bytes\t{os.path.getsize(args[1])}")
    elif cmd == "cmppredict":
        a, b = (json.loads(Path(x).read_text(encoding="utf-8"))["topk"] for x in args)
        same = [x["id"] for x in a] == [x["id"] for x in b]
        dp = max((abs(x["probability"] - y["probability"]) for x, y in zip(a, b)), default=0.0)
        print(f"{'same' if same else 'DIFFERENT'} top-{len(a)} tokens as from the compact artifacts, max |Δp| {dp:.2g}")
    else:
        sys.exit(f"helper: unknown command {cmd}")

if __name__ == "__main__":
    main()
