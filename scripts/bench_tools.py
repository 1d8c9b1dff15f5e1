#!/usr/bin/env python3
"""Helpers for scripts/bench.sh: corpora, token ids for the C anchor, log comparison, the report.

Subcommands:
  prefix SRC N OUT        the first N tokens of SRC (whitespace split), one space apart
  ids CORPUS OUT          token ids (numbered in sorted token order, as ngram-tui numbers them)
                          for the C anchor; prints "tokens vocabulary"
  same-log A B            prints "identical" or where the two train logs first differ
  report RESULTS_DIR      the Markdown report from the samples and facts bench.sh wrote
"""
import statistics
import sys
from pathlib import Path


def tokens_of(path):
    # exactly the reference's tokenizer: read_text(encoding="utf-8").split()
    return Path(path).read_text(encoding="utf-8").split()


def cmd_prefix(src, n, out):
    toks = tokens_of(src)[: int(n)]
    Path(out).write_text(" ".join(toks) + "\n", encoding="utf-8")


def cmd_ids(corpus, out):
    toks = tokens_of(corpus)
    ids = {t: i for i, t in enumerate(sorted(set(toks)))}
    Path(out).write_text(" ".join(str(ids[t]) for t in toks) + "\n")
    print(len(toks), len(ids))


def read_log(path):
    lines = Path(path).read_text(encoding="utf-8").replace("\r", "").split("\n")
    return [l for l in lines if l.strip()]


def same_log(a, b):
    la, lb = read_log(a), read_log(b)
    if la == lb:
        return "identical"
    if len(la) != len(lb):
        return f"differ: {len(la)} vs {len(lb)} lines"
    for i, (x, y) in enumerate(zip(la, lb)):
        if x != y:
            return f"differ at line {i + 1}: {x} vs {y}"
    return "identical"


def samples(res, name):
    """(seconds list, peak RSS MB list) of RES/NAME.samples ("seconds peak_kb [cpu_seconds]" per line)."""
    p = Path(res) / f"{name}.samples"
    rows = [l.split() for l in p.read_text().splitlines() if l.strip()]
    return [float(r[0]) for r in rows], [int(r[1]) / 1024 for r in rows]


def cpu_samples(res, name):
    """CPU seconds (user + system) of RES/NAME.samples, or [] when not recorded."""
    p = Path(res) / f"{name}.samples"
    rows = [l.split() for l in p.read_text().splitlines() if l.strip()]
    return [float(r[2]) for r in rows if len(r) > 2]


def fmt_t(x):
    if x >= 1:
        return f"{x:.2f} s"
    return f"{x * 1000:.0f} ms" if x >= 0.01 else f"{x * 1000:.1f} ms"


def facts_of(res):
    facts = {}
    for line in (Path(res) / "facts.tsv").read_text(encoding="utf-8").splitlines():
        k, _, v = line.partition("\t")
        facts[k] = v
    return facts


def cmd_report(res):
    facts = facts_of(res)
    out = []
    p = out.append
    p(f"- Machine: {facts.get('machine', '?')}")
    p(f"- Toolchain: {facts.get('swift', '?')}; {facts.get('cc', '?')}")
    p(f"- Date: {facts.get('date', '?')}; commit {facts.get('commit', '?')}; build: `swift build -c release` (no unsafe flags)")
    runs = facts.get("runs", "?")
    p(f"- 50 epochs, lr 0.1; {'one run' if runs == '1' else f'medians of {runs} runs'} of each program per case, "
      "alternating ngram-tui and the C anchor; ratios from the same run")
    p("")
    if facts.get("load.start"):
        p(f"- Load average (1, 5, 15 min) at the start: {facts['load.start']}; at the end: {facts.get('load.end', '?')} "
          "(2 cores: above 2 the machine was shared, so wall times stretch; CPU seconds (user + system, all "
          "threads) are steadier and are shown too)")
    p("")
    p("| case | tokens | V | contexts | ngram-tui (whole process) | C anchor (training only) | ratio | goal | "
      "CPU s ngram-tui / C (ratio) | peak RSS ngram-tui | peak RSS C | logs |")
    p("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|")
    goals = []
    for key in facts.get("cases", "").split():
        label = facts[f"{key}.label"]
        goal = float(facts[f"{key}.goal"])
        ts, ms = samples(res, f"{key}.tui")
        tc, mc = samples(res, f"{key}.c")
        a, c = statistics.median(ts), statistics.median(tc)
        ratio = a / c
        ok = ratio <= goal
        ca, cc = cpu_samples(res, f"{key}.tui"), cpu_samples(res, f"{key}.c")
        cpu = (f"{statistics.median(ca):.2f} / {statistics.median(cc):.2f} "
               f"({statistics.median(ca) / max(statistics.median(cc), 1e-9):.2f}×)") if ca and cc else "–"
        p(f"| {label} | {int(facts[key + '.tokens']):,} | {int(facts[key + '.vocab']):,} | "
          f"{int(facts[key + '.contexts']):,} | {fmt_t(a)} | {fmt_t(c)} | {ratio:.2f}× | ≤ {goal}× | {cpu} | "
          f"{max(ms):.0f} MB | {max(mc):.0f} MB | {facts[key + '.logs']} |")
        goals.append((f"{label}: time ≤ {goal}× the C anchor", f"{ratio:.2f}× ({fmt_t(a)} vs {fmt_t(c)})", ok))
        mgoal = facts.get(f"{key}.memgoal")
        if mgoal:
            mr = max(ms) / max(mc)
            goals.append((f"{label}: peak RSS ≤ {mgoal}× the C anchor's", f"{mr:.2f}× ({max(ms):.0f} MB vs {max(mc):.0f} MB)",
                          mr <= float(mgoal)))
        rss = facts.get(f"{key}.rssgoal")
        if rss:
            goals.append((f"{label}: peak RSS ≤ {rss} MB", f"{max(ms):.0f} MB", max(ms) <= float(rss)))
        goals.append((f"{label}: train log identical to the C anchor's", facts[key + ".logs"],
                      facts[key + ".logs"] == "identical"))
    for name in facts.get("extras", "").split():
        goals.append((facts[f"{name}.goal"], facts[f"{name}.measured"], facts[f"{name}.ok"] == "1"))
    p("")
    p("| goal | measured | result |")
    p("|---|--:|:-:|")
    for g, m, ok in goals:
        p(f"| {g} | {m} | {'PASS' if ok else 'MISS'} |")
    print("\n".join(out))


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    cmd, args = argv[1], argv[2:]
    if cmd == "prefix" and len(args) == 3:
        cmd_prefix(*args)
    elif cmd == "ids" and len(args) == 2:
        cmd_ids(*args)
    elif cmd == "same-log" and len(args) == 2:
        print(same_log(*args))
    elif cmd == "report" and len(args) == 1:
        cmd_report(*args)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
