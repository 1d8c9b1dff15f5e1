#!/usr/bin/env python3
"""Record what KenLM gives for the uses of an ARPA model beyond single contexts: the held-out
perplexity that `compare --models ...,arpa:FILE` reports, and greedy generation (`infer --arpa`).

KenLM's Python module is the oracle; run with its venv:

  /work/venvs/kenlm/bin/python scripts/make-arpa-use-fixtures.py

Writes Tests/NgramEngineTests/Fixtures/arpa/uses.json:

- "heldout": for (model, corpus, holdout), KenLM's `full_scores(corpus, bos=False, eos=False)`
  over the whole corpus (so each held-out token has the order - 1 corpus tokens before it as
  context), kept for the held-out tail (the last floor(tokens * holdout) tokens, as
  `train --holdout` splits). OOV tokens (KenLM's flag) are left out; perplexity =
  10^(-sum / scored).
- "generate": greedy generation from a start context: at each step the vocabulary word (not
  <s>) with the highest KenLM score after the last order - 1 tokens, ties to the word listed
  first in the file.

Deterministic; rerunning writes the same file.
"""
import json
import math
import sys
from pathlib import Path

import kenlm

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "Tests/NgramEngineTests/Fixtures"
MODELS = FIXTURES / "arpa/models"
CORPORA = {
    "cat_dog": FIXTURES / "conformance/cat_dog/corpus/cat_dog.txt",
    "fortunes_300": FIXTURES / "conformance/fortunes_300/corpus/fortunes_300.txt",
}
HELDOUT = [
    ("cat_dog.o3.arpa", "cat_dog", 0.1),
    ("cat_dog.o3.arpa", "cat_dog", 0.3),
    ("fortunes_300.o3.arpa", "fortunes_300", 0.1),
    ("fortunes_300.o3.arpa", "fortunes_300", 0.25),
    ("cat_dog.o3.arpa", "fortunes_300", 0.2),  # mostly out of vocabulary
    ("fortunes_300.o3.arpa", "cat_dog", 0.5),
]
GENERATE = [
    ("cat_dog.o3.arpa", ["<s>"], 12),
    ("cat_dog.o3.arpa", ["the", "dog"], 6),
    ("fortunes_300.o3.arpa", ["<s>"], 15),
    ("fortunes_300.o3.arpa", ["qqnotawordqq", "the"], 10),
    ("random_pruned.o6.arpa", ["w1", "w2", "w3"], 10),
]


def vocabulary(path):
    words, section = [], 0
    for line in open(path, encoding="utf-8"):
        s = line.strip()
        if s.startswith("\\") and s.endswith("-grams:"):
            section = int(s[1:].split("-")[0])
            continue
        if section == 1 and s:
            words.append(s.split()[1])
        elif section > 1:
            break
    if "<unk>" not in words:
        words.append("<unk>")
    return words


def score_last(model, tokens):
    return list(model.full_scores(" ".join(tokens), bos=False, eos=False))[-1][0]


def main():
    heldout = []
    for name, corpus, holdout in HELDOUT:
        model = kenlm.Model(str(MODELS / name))
        tokens = CORPORA[corpus].read_text(encoding="utf-8").split()
        held = int(math.floor(len(tokens) * holdout))
        scores = list(model.full_scores(" ".join(tokens), bos=False, eos=False))[len(tokens) - held :]
        kept = [p for p, _, oov in scores if not oov]
        heldout.append({
            "model": name, "corpus": corpus, "holdout": holdout,
            "scored": len(kept), "oov": held - len(kept),
            "perplexity": 10 ** (-sum(kept) / len(kept)) if kept else None,
        })
        print(heldout[-1])
    generate = []
    for name, start, count in GENERATE:
        model = kenlm.Model(str(MODELS / name))
        vocab = vocabulary(MODELS / name)
        window = list(start)
        out = []
        for _ in range(count):
            ctx = window[-(model.order - 1):]
            best, best_score = None, -math.inf
            for w in vocab:
                if w == "<s>":
                    continue
                s = score_last(model, ctx + [w])
                if s > best_score:
                    best, best_score = w, s
            out.append(best)
            window.append(best)
        generate.append({"model": name, "start": start, "generated": out})
        print(generate[-1])
    doc = {"heldout": heldout, "generate": generate}
    (FIXTURES / "arpa/uses.json").write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n")


if __name__ == "__main__":
    sys.exit(main())
