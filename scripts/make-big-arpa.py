#!/usr/bin/env python3
"""Write a large synthetic ARPA file for timing ngram-tui's ARPA reader (scripts/arpa-speed.sh).

Usage: make-big-arpa.py OUT.arpa [--vocab 100000] [--ngrams 1000000] [--order 3] [--seed 1]

Zipf-distributed words, every context present (as lmplz writes them), random log10
probabilities and back-off weights: the numbers mean nothing, the shape (V 1-grams, about
NGRAMS n-grams in all, a few contexts with tens of thousands of successors) is what is timed.
Standard library only; deterministic.
"""
import argparse
import bisect
import itertools
import random


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--vocab", type=int, default=100_000)
    ap.add_argument("--ngrams", type=int, default=1_000_000)
    ap.add_argument("--order", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    words = ["<unk>", "<s>", "</s>"] + [f"w{i}" for i in range(a.vocab - 3)]
    weights = [1.0 / (r + 1) for r in range(len(words))]
    cum = list(itertools.accumulate(weights))

    def zipf():
        return bisect.bisect_left(cum, rng.random() * cum[-1])

    per_order = (a.ngrams - a.vocab) // (a.order - 1)
    grams = [None] + [dict() for _ in range(a.order - 1)]
    prev = [(i,) for i in range(len(words)) if i != 2]
    for k in range(1, a.order):
        table = grams[k]
        while len(table) < per_order:
            c = prev[zipf() % len(prev)] if k > 1 else (zipf(),)
            if c[-1] == 2:
                continue
            w = zipf()
            if w == 1:
                continue
            g = c + (w,)
            if g not in table:
                table[g] = (round(rng.uniform(-4, -0.1), 6), round(rng.uniform(-1.5, 0), 6))
        prev = list(table.keys())
    with open(a.out, "w", encoding="utf-8") as f:
        f.write("\\data\\\n")
        f.write(f"ngram 1={len(words)}\n")
        for k in range(1, a.order):
            f.write(f"ngram {k + 1}={len(grams[k])}\n")
        f.write("\n\\1-grams:\n")
        for i, w in enumerate(words):
            p = -99 if w == "<s>" else round(rng.uniform(-7, -2), 6)
            f.write(f"{p}\t{w}\t{round(rng.uniform(-1, 0), 6)}\n")
        for k in range(1, a.order):
            f.write(f"\n\\{k + 1}-grams:\n")
            top = k == a.order - 1
            for g, (p, b) in sorted(grams[k].items()):
                text = " ".join(words[i] for i in g)
                f.write(f"{p}\t{text}\n" if top else f"{p}\t{text}\t{b}\n")
        f.write("\n\\end\\\n")


if __name__ == "__main__":
    main()
