#!/usr/bin/env python3
"""Oracle fixtures for the count-based models, from NLTK's nltk.lm itself.

For each corpus and order 1-4, fits nltk.lm.MLE, Lidstone(k) and KneserNeyInterpolated(order,
discount=D) exactly as the README says ngram-tui's models equal them:

    tokens = text.split()                                  # the corpus's whitespace tokens
    model.fit([list(everygrams(tokens, max_len=order))], vocabulary_text=tokens)

and records model.score(word, context) for EVERY vocabulary word (NLTK's vocabulary: the corpus
tokens plus <UNK>) after many contexts of order-1 tokens: seen ones (followed by a token in the
corpus), unseen ones (vocabulary words never seen in that order), and ones holding
out-of-vocabulary words (NLTK reads them as <UNK>).

Where NLTK raises (KneserNeyInterpolated of order 1, and a lower-order Kneser-Ney context that
has no continuation counts: ZeroDivisionError), the fixture records the error; for the latter it
also records NLTK's scores for the context with its oldest words dropped until NLTK answers,
which is what ngram-tui defines the probability to be (see the README, "Count-based models").

Usage (venv outside the repo):
  python3 -m venv /work/venvs/nltk && /work/venvs/nltk/bin/pip install nltk
  /work/venvs/nltk/bin/python scripts/make-nltk-fixtures.py

Writes Tests/NgramEngineTests/Fixtures/nltk/<corpus>.json (gzipped as .json.gz over 200 kB).
"""
import gzip
import json
import math
import sys
from pathlib import Path

import nltk
from nltk.lm import MLE, KneserNeyInterpolated, Lidstone
from nltk.util import everygrams

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "Tests" / "NgramEngineTests" / "Fixtures"
OUT = FIXTURES / "nltk"
GZIP_OVER = 200_000
OOV = "zz-not-in-corpus"

# name -> corpus path relative to FIXTURES
CORPORA = {
    "cat_dog": "conformance/cat_dog/corpus/cat_dog.txt",
    "fortunes_300": "conformance/fortunes_300/corpus/fortunes_300.txt",
    "unicode": "conformance/quoting_and_unicode/corpus/quoting_and_unicode.txt",
    "repeat_one_token": "conformance/repeat_one_token/corpus/repeat_one_token.txt",
    "edges": "nltk/corpora/edges.txt",
}

# (name, parameter, constructor)
MODELS = [
    ("mle", None, lambda order: MLE(order)),
    ("add-k", 1.0, lambda order: Lidstone(1.0, order)),
    ("add-k", 0.1, lambda order: Lidstone(0.1, order)),
    ("kneser-ney", 0.75, lambda order: KneserNeyInterpolated(order, discount=0.75)),
    ("kneser-ney", 0.1, lambda order: KneserNeyInterpolated(order, discount=0.1)),
]

ORDERS = [1, 2, 3, 4]
MAX_SEEN = 12  # seen contexts per order when a corpus has more (evenly spaced in sorted order)
MAX_UNSEEN = 5


def spread(items, limit):
    if len(items) <= limit:
        return items
    step = len(items) / limit
    return [items[int(i * step)] for i in range(limit)]


def contexts_for(tokens, vocab_words, length):
    """(kind, context) pairs of `length` tokens: seen, unseen and out-of-vocabulary."""
    if length == 0:
        return [("seen", ())]
    seen = sorted({tuple(tokens[i : i + length]) for i in range(len(tokens) - length)})
    seen_set = set(seen)
    out = [("seen", c) for c in spread(seen, MAX_SEEN)]
    unseen = []
    # The corpus's last tokens (never followed by anything unless they recur), then
    # deterministic combinations of vocabulary words that never occur in this order.
    tail = tuple(tokens[-length:])
    if tail not in seen_set:
        unseen.append(tail)
    words = [w for w in vocab_words if w != "<UNK>"]
    i = 0
    while len(unseen) < MAX_UNSEEN and i < 200:
        c = tuple(words[(i * 7 + j * 3 + 1) % len(words)] for j in range(length))
        if c not in seen_set and c not in unseen:
            unseen.append(c)
        i += 1
    out += [("unseen", c) for c in unseen]
    base = seen[len(seen) // 2]
    oov = [(OOV,) + base[1:], base[:-1] + (OOV,), (OOV,) * length]
    if length >= 2:
        oov.append(base[:1] + (OOV,) + base[2:])
    for c in oov:
        if ("oov", c) not in out:
            out.append(("oov", c))
    return out


def scores(model, words, context):
    return [model.score(w, context) for w in words]


HOLDOUTS = [0.1, 0.3]


def heldout_cases(tokens):
    """Fit on all but the last floor(len * holdout) tokens (as `train --holdout` splits), score
    each held-out token in the fitted vocabulary with the order-1 tokens before it (OOV context
    words read as <UNK>; OOV targets are not scored), and the perplexity exp(-mean ln p)."""
    out = []
    for holdout in HOLDOUTS:
        held = int(len(tokens) * holdout)
        cut = len(tokens) - held
        if held == 0:
            continue
        for order in (2, 3):
            if cut < order:
                continue
            train = tokens[:cut]
            grams = list(everygrams(train, max_len=order))
            for model_name, param, ctor in MODELS:
                model = ctor(order)
                model.fit([grams], vocabulary_text=train)
                scores, oov = [], 0
                for i in range(cut, len(tokens)):
                    if tokens[i] not in model.vocab:
                        oov += 1
                        continue
                    ctx = tuple(tokens[i - order + 1 : i])
                    try:
                        scores.append(model.score(tokens[i], ctx))
                    except ZeroDivisionError:
                        shorter = ctx
                        while True:
                            shorter = shorter[1:]
                            try:
                                scores.append(model.score(tokens[i], shorter))
                                break
                            except ZeroDivisionError:
                                continue
                if any(p == 0 for p in scores):
                    ppl = None  # infinite
                else:
                    ppl = math.exp(-sum(math.log(p) for p in scores) / len(scores))
                entry = {"holdout": holdout, "order": order, "model": model_name, "scored": len(scores),
                         "oov": oov, "zero_probability": sum(1 for p in scores if p == 0), "perplexity": ppl}
                if param is not None:
                    entry["k" if model_name == "add-k" else "discount"] = param
                out.append(entry)
    return out


def make(name, rel):
    path = FIXTURES / rel
    text = path.read_bytes().decode("utf-8")
    tokens = text.split()
    cases = []
    vocab_words = None
    for order in ORDERS:
        grams = list(everygrams(tokens, max_len=order))
        for model_name, param, ctor in MODELS:
            model = ctor(order)
            model.fit([grams], vocabulary_text=tokens)
            words = sorted(set(model.vocab))
            vocab_words = words
            case = {"model": model_name, "order": order, "nltk_vocab_len": len(model.vocab)}
            if model_name == "add-k":
                case["k"] = param
            if model_name == "kneser-ney":
                case["discount"] = param
            results = []
            for kind, ctx in contexts_for(tokens, words, order - 1):
                entry = {"kind": kind, "context": list(ctx)}
                try:
                    entry["scores"] = scores(model, words, ctx)
                except ZeroDivisionError:
                    entry["nltk_error"] = "ZeroDivisionError"
                    shorter = ctx
                    while True:
                        if not shorter:
                            break
                        shorter = shorter[1:]
                        try:
                            entry["scores"] = scores(model, words, shorter)
                            entry["fallback_context"] = list(shorter)
                            break
                        except ZeroDivisionError:
                            continue
                results.append(entry)
            if all("scores" not in r for r in results):
                case["model_error"] = "ZeroDivisionError"
                results = []
            case["contexts"] = results
            cases.append(case)
    doc = {
        "heldout": heldout_cases(tokens),
        "generator": "scripts/make-nltk-fixtures.py",
        "nltk_version": nltk.__version__,
        "corpus": rel,
        "tokens": len(tokens),
        "vocab": vocab_words,
        "cases": cases,
    }
    data = json.dumps(doc, ensure_ascii=False, indent=None).encode("utf-8")
    OUT.mkdir(parents=True, exist_ok=True)
    for old in (OUT / f"{name}.json", OUT / f"{name}.json.gz"):
        old.unlink(missing_ok=True)
    if len(data) > GZIP_OVER:
        with gzip.GzipFile(OUT / f"{name}.json.gz", "wb", mtime=0) as f:
            f.write(data)
    else:
        (OUT / f"{name}.json").write_bytes(data)
    n = sum(len(c["contexts"]) for c in cases)
    print(f"{name}: {len(tokens)} tokens, V={len(vocab_words)}, {len(cases)} cases, {n} contexts", file=sys.stderr)


def main():
    for name, rel in CORPORA.items():
        make(name, rel)


if __name__ == "__main__":
    main()
