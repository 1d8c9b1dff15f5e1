#!/usr/bin/env python3
"""Check `ngram-tui export --model kneser-ney|add-k|mle` with KenLM and NLTK, and record KenLM's
scores as test fixtures.

For each case below (a corpus, an estimator with its parameter, a context length n), this
exports with the ngram-tui binary (`export --dir D --model M --context n --arpa FILE`), loads
the file with KenLM's Python module and records `full_scores(text, bos=False, eos=False)` for
the corpus text, an unseen shuffle of it and a text with an unknown word, into
Tests/NgramEngineTests/Fixtures/arpa/counts/NAME.json with the SHA-256 of the exported file.

It also fits NLTK's own model (`KneserNeyInterpolated(n + 1, discount=D)`, `Lidstone(k)` or `MLE` on
`everygrams(tokens, max_len=n + 1)`, no padding, as ngram-tui's count models are defined) and
checks that KenLM's score of every token at position n or later equals log10 of NLTK's
`score(word, context)` within 2e-5 (both -inf where NLTK gives 0; an unknown word is NLTK's
<UNK> and KenLM's <unk>; for MLE after a context never seen in the corpus, where MLE is undefined,
NLTK gives 0 and the file must give -inf), so the file is right by two independent programs. The Swift tests
export the same cases, check the file is byte for byte the one KenLM scored, and compare
ngram-tui's own probabilities with KenLM's.

Needs kenlm and nltk in one venv:
  python3 -m venv /work/venvs/kenlm && /work/venvs/kenlm/bin/pip install kenlm nltk
  /work/venvs/kenlm/bin/python scripts/make-count-arpa-fixtures.py [BINARY]

BINARY defaults to .build/debug/ngram-tui. Deterministic: rerunning writes the same files.
"""
import math
import sys

import kenlm
from nltk.lm import MLE, KneserNeyInterpolated, Lidstone
from nltk.util import everygrams

from arpa_fixture_tools import (FIXTURES, UNKNOWN_WORD, binary_argument, fresh_output, run, scratch_dir, sha256,
                                shuffled, write_fixture)

OUT = FIXTURES / "arpa/counts"
CORPORA = {
    "cat_dog": FIXTURES / "conformance/cat_dog/corpus/cat_dog.txt",
    "fortunes_300": FIXTURES / "conformance/fortunes_300/corpus/fortunes_300.txt",
    "quoting_and_unicode": FIXTURES / "conformance/quoting_and_unicode/corpus/quoting_and_unicode.txt",
    "edges": FIXTURES / "nltk/corpora/edges.txt",  # holds a literal <UNK>
}
# (corpus, model, parameter, context length)
CASES = [
    ("cat_dog", "kneser-ney", 0.75, 1),
    ("cat_dog", "kneser-ney", 0.75, 2),
    ("cat_dog", "kneser-ney", 0.75, 3),
    ("cat_dog", "kneser-ney", 1.0, 2),
    ("fortunes_300", "kneser-ney", 0.75, 2),
    ("fortunes_300", "kneser-ney", 0.1, 3),
    ("fortunes_300", "kneser-ney", 0.75, 5),
    ("quoting_and_unicode", "kneser-ney", 0.75, 2),
    ("edges", "kneser-ney", 0.75, 2),
    ("cat_dog", "add-k", 1.0, 0),
    ("cat_dog", "add-k", 1.0, 2),
    ("fortunes_300", "add-k", 0.5, 1),
    ("fortunes_300", "add-k", 0.1, 3),
    ("cat_dog", "mle", None, 0),
    ("cat_dog", "mle", None, 1),
    ("cat_dog", "mle", None, 2),
    ("cat_dog", "mle", None, 3),
    ("fortunes_300", "mle", None, 2),
    ("fortunes_300", "mle", None, 5),
    ("quoting_and_unicode", "mle", None, 2),
    ("edges", "mle", None, 0),
    ("edges", "mle", None, 1),
]


def nltk_model(tokens, model, parameter, n):
    order = n + 1
    if model == "mle":
        lm = MLE(order)
    elif model == "kneser-ney":
        lm = KneserNeyInterpolated(order, discount=parameter)
    else:
        lm = Lidstone(parameter, order)
    lm.fit([list(everygrams(tokens, max_len=order))], vocabulary_text=tokens)
    return lm


def nltk_score(lm, word, context):
    """NLTK's `lm.score(word, context)`, by NLTK's own recursion (`unmasked_score`) and
    estimator, except where NLTK raises ZeroDivisionError (a lower-order Kneser-Ney context that
    only occurs first in the corpus, with no continuations): that order hands on all its weight
    (alpha 0, gamma 1), as for a context NLTK never saw -- ngram-tui's documented rule."""
    word = lm.vocab.lookup(word)
    context = tuple(lm.vocab.lookup(context))

    def rec(ctx):
        if not ctx:
            return lm.estimator.unigram_score(word)
        if not lm.counts[ctx]:
            alpha, gamma = 0, 1
        else:
            try:
                alpha, gamma = lm.estimator.alpha_gamma(word, ctx)
            except ZeroDivisionError:
                alpha, gamma = 0, 1
        return alpha + gamma * rec(ctx[1:])

    if isinstance(lm, KneserNeyInterpolated):
        return rec(context)
    return lm.score(word, context)


def nltk_log10(lm, word, context):
    p = nltk_score(lm, word, context)
    return -math.inf if p == 0 else math.log10(p)


def main():
    binary = binary_argument()
    fresh_output(OUT)
    for corpus_name, model_name, parameter, n in CASES:
        corpus = CORPORA[corpus_name]
        option = {"kneser-ney": ["--discount", repr(parameter)], "add-k": ["--k", repr(parameter)], "mle": []}[model_name]
        name = f"{corpus_name}_{model_name}_ctx{n}" if parameter is None else f"{corpus_name}_{model_name}_{parameter:g}_ctx{n}"
        with scratch_dir(corpus) as base:
            arpa = base / "model.arpa"
            run(str(binary), "export", "--dir", str(base), "--model", model_name, *option,
                "--context", str(n), "--arpa", str(arpa))
            digest = sha256(arpa)
            model = kenlm.Model(str(arpa))
        tokens = corpus.read_text(encoding="utf-8").split()
        mixed = shuffled(tokens, name)
        texts = [tokens, mixed[:120], mixed[:6] + [UNKNOWN_WORD] + mixed[6:12]]
        lm = nltk_model(tokens, model_name, parameter, n)
        records = []
        worst = 0.0
        checked = 0
        for words in texts:
            scores = list(model.full_scores(" ".join(words), bos=False, eos=False))
            for i in range(n, len(words)):
                ours = nltk_log10(lm, words[i], words[i - n:i])
                theirs = scores[i][0]
                if ours == -math.inf or theirs == -math.inf:
                    assert ours == theirs, (name, i, words[i], ours, theirs)
                else:
                    worst = max(worst, abs(ours - theirs))
                    assert abs(ours - theirs) <= 2e-5, (name, i, words[i], ours, theirs)
                checked += 1
            records.append({
                "text": " ".join(words),
                "scores": [[None if p == -math.inf else round(p, 7), length, oov] for p, length, oov in scores],
            })
        doc = {
            "corpus": str(corpus.relative_to(FIXTURES)),
            "model": model_name,
            "parameter": parameter,
            "context": n,
            "order": model.order,
            "arpa_sha256": digest,
            "texts": records,
        }
        write_fixture(OUT, name, doc)
        print(f"{name}: order {model.order}, sha256 {digest[:12]}…, {checked} tokens, worst |KenLM - NLTK| {worst:.2e}")


if __name__ == "__main__":
    sys.exit(main())
