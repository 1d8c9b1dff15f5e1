#!/usr/bin/env python3
"""Check ngram-tui's ARPA export with KenLM, and record KenLM's scores as test fixtures.

For each case below (a conformance case's corpus, learning rate and epochs, at a context length),
this trains with the ngram-tui binary (`train --weights compact`), exports (`export --arpa`),
loads the ARPA file with KenLM's Python module and records
`full_scores(text, bos=False, eos=False)` for the training text, an unseen shuffle of it and a
text with an unknown word, into Tests/NgramEngineTests/Fixtures/arpa/sgd/NAME.json together
with the SHA-256 of the exported file. The Swift tests train the same case, export it, check
that the file is byte for byte the one KenLM scored, and compare ngram-tui's own log10
probabilities with KenLM's. It also prints the largest difference it sees itself (via
`ngram-tui eval --json` when the binary has it).

Usage (after `swift build`):
  /work/venvs/kenlm/bin/python scripts/make-sgd-arpa-fixtures.py [BINARY]

BINARY defaults to .build/debug/ngram-tui. Deterministic: rerunning writes the same files.
"""
import json
import subprocess
import sys

import kenlm

from arpa_fixture_tools import (FIXTURES, UNKNOWN_WORD, binary_argument, fresh_output, run, scratch_dir, sha256,
                                shuffled, write_fixture)

OUT = FIXTURES / "arpa/sgd"

# (case folder under Fixtures, context length or None for the case's own)
CASES = [
    ("conformance/cat_dog", None),
    ("conformance/fortunes_300", 0),
    ("conformance/fortunes_300", 1),
    ("conformance/fortunes_300", None),
    ("conformance/fortunes_300", 3),
    ("conformance/quoting_and_unicode", None),
    ("extra/cat_dog_ctx0", None),
    ("extra/cat_dog_ctx1", None),
    ("extra/cat_dog_ctx3", None),
    ("extra/cat_dog_e0", None),
    ("extra/full_vocab_row", None),
    ("extra/full_vocab_row_ctx1", None),
    ("extra/random_v12_ctx3", None),
    ("extra/nfc_nfd_astral", None),
]


def main():
    binary = binary_argument()
    fresh_output(OUT)
    for folder, context in CASES:
        case_dir = FIXTURES / folder
        case = json.loads((case_dir / "case.json").read_text())
        n = case.get("context", 2) if context is None else context
        name = f"{case_dir.name}_export_ctx{n}"
        corpus = case_dir / case["corpus"]
        with scratch_dir(corpus) as base:
            run(str(binary), "train", "--dir", str(base), "--context", str(n), "--lr", repr(case["lr"]),
                "--epochs", str(case["epochs"]), "--weights", "compact", "--quiet")
            arpa = base / "model.arpa"
            run(str(binary), "export", "--dir", str(base), "--arpa", str(arpa))
            digest = sha256(arpa)
            model = kenlm.Model(str(arpa))
            tokens = corpus.read_text(encoding="utf-8").split()
            mixed = shuffled(tokens, name)
            texts = [" ".join(tokens), " ".join(mixed[:80])]
            texts.append(" ".join(mixed[:6] + [UNKNOWN_WORD] + mixed[6:12]))
            records = []
            for t in texts:
                scores = [[round(p, 7), length, oov] for p, length, oov in model.full_scores(t, bos=False, eos=False)]
                records.append({"text": t, "scores": scores})
            worst = check_with_eval(binary, base, texts, records, n)
        doc = {
            "case": folder,
            "context": n,
            "order": model.order,
            "arpa_sha256": digest,
            "texts": records,
        }
        write_fixture(OUT, name, doc)
        print(f"{name}: order {model.order}, sha256 {digest[:12]}…, worst |ngram-tui - KenLM| {worst}")


def check_with_eval(binary, base, texts, records, n):
    """The largest |ngram-tui eval - KenLM| over scored in-vocabulary tokens, if eval exists."""
    worst = 0.0
    for t, rec in zip(texts, records):
        path = base / "text.txt"
        path.write_text(t, encoding="utf-8")
        proc = subprocess.run([str(binary), "eval", "--dir", str(base), "--text", str(path), "--json"],
                              capture_output=True, text=True)
        if proc.returncode != 0:
            return "n/a (no eval)"
        out = json.loads(proc.stdout)
        for tok in out["per_token"]:
            if tok["oov"] or tok["log10_prob"] is None:
                continue
            kenlm_score = rec["scores"][tok["position"]][0]
            worst = max(worst, abs(tok["log10_prob"] - kenlm_score))
    return worst


if __name__ == "__main__":
    sys.exit(main())
