#!/usr/bin/env python3
"""Record KenLM's scores for ARPA files, as fixtures for ngram-tui's ARPA reader tests.

KenLM's Python module is the oracle (`python3 -m venv /work/venvs/kenlm &&
/work/venvs/kenlm/bin/pip install kenlm`); run this script with that venv's python:

  /work/venvs/kenlm/bin/python scripts/make-arpa-fixtures.py

It works in Tests/NgramEngineTests/Fixtures/arpa/:

1. models/: writes the hand-written and generated models (see MODELS_WRITTEN below: an
   SRILM-style order-3 file with `-99` for `<s>`, missing back-off fields, blank lines, comments,
   CRLF, no `<unk>` and pruned suffixes; an order-1 file; a random order-6 model with
   pruned suffixes, non-extending n-grams with back-off weights and positive back-off weights),
   copies ../shared/arpa/*.arpa, checks the SHA-256 of the real SRILM-format files committed in
   models/ (COPIED_MODELS: KenLM's own test files), and gzips the files listed in GZIP. The lmplz outputs in models/
   are made beforehand with the commands in models/README.md (lmplz is not run here).
2. expected/NAME.json for each model (an order-1 file is scored by KenLM as the same 1-grams
   with an empty 2-gram section, since KenLM refuses order 1): its vocabulary (1-gram words in file order, plus `<unk>`
   when the file lacks it, which KenLM then scores -100), and
   - "contexts": for many contexts (empty, `<s>`, seen n-gram contexts, backed-off word tuples,
     contexts with an unknown word, `</s>`, longer than the order), KenLM's log10 probability of
     EVERY vocabulary word after the context: the last value of
     `model.full_scores(" ".join(context + [word]), bos=False, eos=False)`;
   - "texts": `full_scores(text, bos=False, eos=False)` per token (log10 probability, n-gram
     length, oov) for seen lines, shuffled (unseen) word sequences and texts with unknown words.
   gzipped models point at the same expected file ("gz_of").

Deterministic (fixed seeds); rerunning rewrites the same files.
"""
import gzip
import hashlib
import json
import random
import shutil
import sys
from pathlib import Path

import kenlm

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "Tests/NgramEngineTests/Fixtures/arpa"
MODELS = OUT / "models"
EXPECTED = OUT / "expected"
SHARED = ROOT.parent / "shared"
UNKNOWN_WORD = "qqnotawordqq"

# Corpora whose lines are "seen" texts for the models made from them.
CORPORA = {
    "cat_dog": SHARED / "conformance/cat_dog/corpus/cat_dog.txt",
    "fortunes_300": SHARED / "conformance/fortunes_300/corpus/fortunes_300.txt",
}

SRILM_STYLE = (
    "# written by hand in the style of SRILM's ngram-count: text before \\data\\,\n"
    "# -99 for <s>, missing back-off fields, blank lines, CRLF, no <unk>\n"
    "\n"
    "\\data\\\n"
    "ngram 1=8\n"
    "ngram  2=9\n"
    "ngram 3=5\n"
    "\n"
    "\\1-grams:\n"
    "-0.8\t</s>\n"
    "-99\t<s>\t-0.5\n"
    "-1.1\ta\t-0.25\r\n"
    "-1.2\tb\t-0.4\n"
    "\n"
    "-0.9\tc\t0.1\n"
    "-1.5\td\n"
    "-1.3\te\t-0.2\n"
    "-1.7\tf\t0\n"
    "\n"
    "\\2-grams:\n"
    "-0.3\t<s> a\t-0.1\n"
    "-0.6\ta b\t-0.3\n"
    "-0.7\ta c\n"
    "-0.2\tb c\t-0.15\n"
    "-0.5\tc </s>\n"
    "-0.45\te a\t-0.35\n"
    "-0.4\tc d\t0.2\n"
    "-0.9\t<s> e\n"
    "-1.0\tf a\t-0.6\n"
    "\n"
    "\\3-grams:\n"
    "-0.1\t<s> a b\n"
    "-0.2\ta b c\n"
    "-0.15\te a d\n"
    "-0.05\tf a e\n"
    "-0.3\tb c </s>\r\n"
    "\n"
    "\\end\\\n"
)
# The 3-grams 'e a d' and 'f a e' have no suffix bigrams 'a d' and 'a e' (pruned, as SRILM does):
# KenLM backs off through them. 'c d' has a back-off weight but continues nowhere.

# The quirks of a real SRILM `ngram-count -order 3 -text FILE -lm FILE` output on a 4-word text
# (seen in i3thuan5/tai5-uan5_gian5-gi2_kang1-ku7, 試驗/表單/語料/sui2.lm at commit 7b98034c;
# that file is CPAL-licensed, so it is not copied: this is our own text with the same shape, see
# Fixtures/arpa/README.md): the highest order declared `ngram 3=0` with an empty `\3-grams:`
# section (every 3-gram was discounted away), `-99` back-off weights (log10 of 0: SRILM's "no
# mass left" for contexts whose successors took it all) beside a very negative finite one, `-99`
# for `<s>`, 2-grams with probability 0 (log10 1), no back-off field where it is 0, no `<unk>`,
# no blank line before `\data\` and no newline after `\end\`.
SRILM_EMPTY_TOP = (
    "\\data\\\n"
    "ngram 1=6\n"
    "ngram 2=6\n"
    "ngram 3=0\n"
    "\n"
    "\\1-grams:\n"
    "-0.7781513\t</s>\n"
    "-99\t<s>\t-99\n"
    "-0.7781513\tred\t-99\n"
    "-0.4771213\tfox\t-7.083871\n"
    "-0.7781513\truns\t-99\n"
    "-0.7781513\tfast\t-0.30103\n"
    "\n"
    "\\2-grams:\n"
    "0\t<s> fox\n"
    "0\tred runs\n"
    "-0.30103\tfox red\n"
    "-0.30103\tfox fox\n"
    "0\truns </s>\n"
    "-0.1760913\tfast fox\n"
    "\n"
    "\\3-grams:\n"
    "\n"
    "\\end\\"
)

UNIGRAM = (
    "\\data\\\n"
    "ngram 1=6\n"
    "\n"
    "\\1-grams:\n"
    "-0.6989700\t<unk>\n"
    "-99\t<s>\n"
    "-0.5228787\t</s>\n"
    "-0.3979400\tthe\n"
    "-1.0\tcat\n"
    "-1.30103\tdog\n"
    "\n"
    "\\end\\\n"
)


def random_model(seed, order, vocab_size, per_order):
    """A random back-off model: contexts always present (KenLM requires it), some suffixes pruned,
    back-off weights on n-grams that continue nowhere, some positive back-off weights."""
    rng = random.Random(seed)
    words = ["<unk>", "<s>", "</s>"] + [f"w{i}" for i in range(vocab_size)]
    grams = [dict() for _ in range(order)]  # order index -> {tuple: [prob, backoff]}
    for w in words:
        grams[0][(w,)] = [round(rng.uniform(-3, -0.5), 6), round(rng.uniform(-1, 0.2), 6)]
    grams[0][("<s>",)][0] = -99
    for k in range(1, order):
        ctxs = list(grams[k - 1].keys())
        target = per_order[k]
        tries = 0
        while len(grams[k]) < target and tries < target * 20:
            tries += 1
            c = rng.choice(ctxs)
            if c[-1] == "</s>":
                continue
            w = rng.choice(words[2:] if rng.random() < 0.9 else words)
            if w == "<s>":
                continue
            g = c + (w,)
            if g in grams[k] or g[1:] not in grams[k - 1]:
                continue  # keep suffixes (lmplz does); a few are pruned below
            grams[k][g] = [round(rng.uniform(-2.5, -0.05), 6), round(rng.uniform(-1, 0.3), 6)]
    # Prune a few suffixes: n-grams that are nobody's context but are suffixes of longer ones
    # (KenLM's hash table only has room for a few such blanks).
    for k in range(1, order - 1):
        contexts = {g[:-1] for g in grams[k + 1]}
        suffixes = {g[1:] for g in grams[k + 1]}
        candidates = [g for g in grams[k] if g not in contexts and g in suffixes]
        for g in rng.sample(candidates, min(len(candidates), max(1, len(grams[k]) // 20))):
            del grams[k][g]
    lines = ["\\data\\"] + [f"ngram {k + 1}={len(grams[k])}" for k in range(order)] + [""]
    for k in range(order):
        lines.append(f"\\{k + 1}-grams:")
        for g, (p, b) in grams[k].items():
            if k == order - 1:
                lines.append(f"{p}\t{' '.join(g)}")
            elif rng.random() < 0.15:
                lines.append(f"{p}\t{' '.join(g)}")  # missing back-off field = 0
            else:
                lines.append(f"{p}\t{' '.join(g)}\t{b}")
        lines.append("")
    lines.append("\\end\\")
    return "\n".join(lines) + "\n"


# name -> text, written into models/ by this script.
MODELS_WRITTEN = {
    "srilm_style.o3.arpa": SRILM_STYLE,
    "srilm_empty_top.o3.arpa": SRILM_EMPTY_TOP,
    "unigram.o1.arpa": UNIGRAM,
    "random_pruned.o4.arpa": random_model(4, 4, 14, [0, 60, 90, 80]),
    "random_pruned.o6.arpa": random_model(6, 6, 10, [0, 40, 60, 70, 70, 60]),
}
# Copied from ../shared/arpa.
SHARED_MODELS = ["cat_dog.o3.arpa", "fortunes_300.o3.arpa"]
# Real SRILM-format files committed as they are in models/ (copied once from KenLM's repository,
# LGPL-3.0-or-later; provenance and licence in Fixtures/arpa/README.md). This script downloads
# nothing: it checks that the committed bytes are still the ones copied, then records KenLM's
# scores like every other model.
COPIED_MODELS = {
    "kenlm_test.o5.arpa": (
        "kpu/kenlm", "lm/test.arpa", "4cb443e60b7bf2c0ddf3c745378f76cb59e254e5",
        "fa7d176e45ce43669a4e057c73c112ffe5be047c33a63bb1be0406252976f75c"),
    "kenlm_test_nounk.o5.arpa": (
        "kpu/kenlm", "lm/test_nounk.arpa", "4cb443e60b7bf2c0ddf3c745378f76cb59e254e5",
        "9ad8674fb8e8c6465951384bc0236b15c98c1fdf75516df217b2e97c17aa1ba5"),
}
# Gzip copies (their expected scores are the uncompressed file's).
GZIP = ["srilm_style.o3.arpa"]
# Corpus of each model (for seen texts), by name prefix.


def open_text(path):
    if str(path).endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8", newline="")
    return open(path, encoding="utf-8", newline="")


def read_arpa(path):
    """(order, words in file order, {order: [n-gram tuples]}) by a plain reading of the sections."""
    grams = {}
    words = []
    section = 0
    with open_text(path) as f:
        for line in f:
            s = line.strip()
            if not s:
                continue
            if s.startswith("\\") and s.endswith("-grams:"):
                section = int(s[1:].split("-")[0])
                grams[section] = []
                continue
            if s == "\\end\\":
                break
            if section == 0:
                continue
            fields = s.split()
            g = tuple(fields[1 : 1 + section])
            grams[section].append(g)
            if section == 1:
                words.append(g[0])
    return max(grams), words, grams


def score_last(model, tokens):
    scores = list(model.full_scores(" ".join(tokens), bos=False, eos=False))
    assert len(scores) == len(tokens), (tokens, len(scores))
    return scores[-1][0]


def choose_contexts(order, words, grams, rng):
    n = order - 1
    plain = [w for w in words if w not in ("<s>", "</s>", "<unk>")]
    contexts = [[], ["<s>"], ["</s>"], ["<unk>"], [UNKNOWN_WORD]]
    # Seen contexts: the contexts of listed n-grams of each order.
    for k in range(2, order + 1):
        ctxs = sorted({g[:-1] for g in grams.get(k, [])})
        for c in rng.sample(ctxs, min(len(ctxs), 8)):
            contexts.append(list(c))
    # Backed off: random word tuples of each length up to n (mostly unseen).
    for length in range(1, n + 1):
        for _ in range(4):
            contexts.append(rng.sample(plain, min(length, len(plain))) if plain else [])
    # A seen context with an unknown word in front, in the middle, at the end.
    if n >= 1:
        for c in contexts[5 : 5 + 4]:
            if len(c) >= 1:
                contexts.append([UNKNOWN_WORD] + c)
                contexts.append(c[:-1] + [UNKNOWN_WORD])
                if len(c) >= 2:
                    contexts.append(c[:1] + [UNKNOWN_WORD] + c[1:])
    # <s> followed by seen words; longer than the order.
    starts = [g for g in grams.get(min(order, 3), []) if g[0] == "<s>"]
    for g in starts[:4]:
        contexts.append(list(g))
    for _ in range(3):
        contexts.append(rng.choices(plain, k=order + 2) if plain else [])
    out = []
    seen = set()
    for c in contexts:
        key = tuple(c)
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out


def choose_texts(name, words, rng):
    plain = [w for w in words if w not in ("<s>", "</s>", "<unk>")]
    texts = []
    corpus = next((p for k, p in CORPORA.items() if name.startswith(k + ".")), None)
    if corpus:
        lines = [l.strip() for l in open(corpus, encoding="utf-8") if l.strip()]
        texts += lines[:6]
        texts.append(" ".join(open(corpus, encoding="utf-8").read().split()[:80]))
    for _ in range(4):
        texts.append(" ".join(rng.choices(plain, k=12)))
    texts.append(" ".join(rng.choices(plain, k=5) + [UNKNOWN_WORD] + rng.choices(plain, k=5)))
    texts.append(" ".join(["<s>"] + rng.choices(plain, k=4) + ["</s>", "<s>"] + rng.choices(plain, k=3) + ["</s>"]))
    return texts


def as_order_2(path):
    """KenLM refuses order-1 files ("assumes at least a bigram model"); the same 1-grams with an
    empty 2-gram section score the same (every back-off weight 0), so KenLM scores that copy."""
    text = open_text(path).read()
    text = text.replace("ngram 1=", "ngram 2=0\nngram 1=", 1)
    head, rest = text.split("ngram 2=0\n", 1)
    count_line, rest = rest.split("\n", 1)
    text = head + count_line + "\nngram 2=0\n" + rest
    text = text.replace("\\end\\", "\\2-grams:\n\n\\end\\", 1)
    tmp = Path("/tmp") / (path.name + ".as-order-2.arpa")
    tmp.write_text(text, encoding="utf-8")
    return tmp


def record(path):
    name = path.name
    order, words, grams = read_arpa(path)
    model = kenlm.Model(str(as_order_2(path) if order == 1 else path))
    assert model.order == max(order, 2)
    vocab = list(words)
    if "<unk>" not in vocab:
        vocab.append("<unk>")  # KenLM adds it with log10 probability -100
    rng = random.Random(name)
    contexts = []
    for c in choose_contexts(order, words, grams, rng):
        scores = [round(score_last(model, c + [w]), 7) for w in vocab]
        contexts.append({"context": c, "scores": scores})
    texts = []
    for t in choose_texts(name, words, rng):
        per = [[round(p, 7), n, oov] for p, n, oov in model.full_scores(t, bos=False, eos=False)]
        texts.append({"text": t, "scores": per})
    doc = {"model": name, "order": order, "vocabulary": vocab, "contexts": contexts, "texts": texts}
    (EXPECTED / (name + ".json")).write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"{name}: order {order}, {len(vocab)} words, {len(contexts)} contexts, {len(texts)} texts")


def main():
    MODELS.mkdir(parents=True, exist_ok=True)
    EXPECTED.mkdir(parents=True, exist_ok=True)
    for name, text in MODELS_WRITTEN.items():
        with open(MODELS / name, "w", encoding="utf-8", newline="") as f:
            f.write(text)
    for name in SHARED_MODELS:
        shutil.copyfile(SHARED / "arpa" / name, MODELS / name)
    for name, (repo, path, commit, sha256) in COPIED_MODELS.items():
        digest = hashlib.sha256((MODELS / name).read_bytes()).hexdigest()
        assert digest == sha256, f"{name} is not {repo}:{path}@{commit[:12]} any more ({digest})"
    for name in GZIP:
        with open(MODELS / name, "rb") as src, gzip.GzipFile(MODELS / (name + ".gz"), "wb", mtime=0) as dst:
            shutil.copyfileobj(src, dst)
    for path in sorted(MODELS.glob("*.arpa")):
        record(path)
    manifest = {
        "models": sorted(p.name for p in MODELS.glob("*.arpa")),
        "gzip": {name + ".gz": name for name in GZIP},
    }
    (EXPECTED / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")


if __name__ == "__main__":
    sys.exit(main())
