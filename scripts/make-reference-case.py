#!/usr/bin/env python3
"""Make one conformance case from the REAL Python reference (toy-gpt train-100/200/300/400).

The reference packages' `d_train.main()` uses a fixed learning rate, fixed epochs and paths
relative to the installed package. This driver imports the same package's tokenizer, vocabulary,
model, training and artifact functions and runs exactly the steps of `d_train.main()`, but with a
given corpus, learning rate and epoch count, in a base directory named after the case (so the
meta's `repo_name` is the case name, as `check-conformance.py` runs it).

Usage:
  make-reference-case.py --out Tests/NgramEngineTests/Fixtures/extra --all-extra [--only NAME ...]
  make-reference-case.py --ref-root /tmp/ref --out CASES_DIR --name NAME \
      --corpus FILE [--context 0|1|2|3] [--lr 0.1] [--epochs 50] [--expect-error PHRASE]

Writes CASES_DIR/NAME/{case.json, corpus/<file>, expected/artifacts/*, expected/outputs/train_log.csv};
expected files over 200 kB are gzipped (as the visible fortunes_300 case does). With
--expect-error, the reference must fail (an exception, or main()'s early return with no
artifacts) and the case records the phrase our binary must print.

The reference needs Python >= 3.12 (it uses `type X = ...`); set REF_PYTHON or run it with one.
"""
import argparse
import gzip
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

PACKAGES = {0: "100-unigram", 1: "200-bigram", 2: "300-context-2", 3: "400-context-3"}
GZIP_OVER = 200_000


def reexec_if_old_python() -> None:
    if sys.version_info >= (3, 12):
        return
    candidates = [os.environ.get("REF_PYTHON", "")]
    candidates += [str(p) for p in sorted(Path.home().glob(".pyenv/versions/3.1[2-9]*/bin/python3"))]
    for c in candidates:
        if c and Path(c).exists():
            os.execv(c, [c] + sys.argv)
    sys.exit("make-reference-case.py: the reference needs Python >= 3.12 (set REF_PYTHON)")


def run_reference(context: int, base_dir: Path, lr: float, epochs: int) -> str | None:
    """Mirror d_train.main() of the package for `context`. Returns None, or why it stopped early."""
    from toy_gpt_train import d_train
    from toy_gpt_train import io_artifacts as io
    from toy_gpt_train.a_tokenizer import SimpleTokenizer
    from toy_gpt_train.b_vocab import Vocabulary
    from toy_gpt_train.c_model import SimpleNextTokenModel

    corpus_dir = base_dir / "corpus"
    outputs_dir = base_dir / "outputs"
    train_log_path = outputs_dir / "train_log.csv"

    if context == 3:
        # The 400 package's io module writes to module-level paths derived from the package
        # location; point them at this base directory (write_artifacts reads them at call time).
        artifacts_dir = base_dir / "artifacts"
        io._BASE_DIR = base_dir
        io._OUTPUTS_DIR = outputs_dir
        io._ARTIFACTS_DIR = artifacts_dir
        io._META_PATH = artifacts_dir / "00_meta.json"
        io._VOCAB_PATH = artifacts_dir / "01_vocabulary.csv"
        io._WEIGHTS_PATH = artifacts_dir / "02_model_weights.csv"
        io._EMBEDDINGS_PATH = artifacts_dir / "03_token_embeddings.csv"

    # Step 0: Identify the corpus file (single file rule).
    corpus_path = io.find_single_corpus_file(corpus_dir)

    # Step 1: Load and tokenize the corpus.
    tokenizer = SimpleTokenizer(corpus_path=corpus_path)
    tokens = tokenizer.get_tokens()

    if context in (0, 1):
        if not tokens:
            return "No tokens found. Check corpus file."
    elif context == 2:
        if len(tokens) < 3:
            return "Need at least 3 tokens for context-2 training (t-1, t -> next)."
    else:
        if len(tokens) < 4:
            return "Need at least 4 tokens for context-3 training (t-2, t-1, t -> next)."

    # Step 2: Build vocabulary.
    vocab = Vocabulary(tokens)
    vocab_size = vocab.vocab_size()

    # Step 3: Token strings to ids.
    token_ids = []
    for tok in tokens:
        tok_id = vocab.get_token_id(tok)
        if tok_id is None:
            return f"Token not found in vocabulary: {tok!r}"
        token_ids.append(tok_id)

    # Steps 4-6: pairs (targets for unigram), zero model, training.
    model = SimpleNextTokenModel(vocab_size=vocab_size)
    if context == 0:
        targets = d_train.make_training_targets(token_ids)
        history = d_train.train_model(model=model, targets=targets, learning_rate=lr, epochs=epochs)
        kind, labeler = "unigram", d_train.row_labeler_unigram(vocab, vocab_size)
    else:
        pairs = d_train.make_training_pairs(token_ids)
        history = d_train.train_model(model=model, pairs=pairs, learning_rate=lr, epochs=epochs)
        if context == 1:
            kind, labeler = "bigram", d_train.row_labeler_bigram(vocab, vocab_size)
        elif context == 2:
            kind, labeler = "context2", d_train.row_labeler_context2(vocab, vocab_size)
        else:
            kind, labeler = "context3", d_train.row_labeler_context3(vocab, vocab_size)

    # Step 7: training log; 7b: artifacts.
    io.write_training_log(train_log_path, history)
    io.write_artifacts(
        base_dir=base_dir,
        corpus_path=corpus_path,
        vocab=vocab,
        model=model,
        model_kind=kind,
        learning_rate=lr,
        epochs=epochs,
        row_labeler=labeler,
    )

    # 7c (context-2 only): append start_tokens to the meta, exactly as d_train.main() does.
    if context == 2:
        meta_path = base_dir / "artifacts" / "00_meta.json"
        with meta_path.open("r", encoding="utf-8") as f:
            meta = json.load(f)
        meta["start_tokens"] = list(tokens[:2])
        with meta_path.open("w", encoding="utf-8") as f:
            json.dump(meta, f, indent=2, sort_keys=True)
            f.write("\n")
    return None


CAT_DOG = (
    "the cat sat on the mat\nthe dog sat on the rug\nthe cat lay on the rug\nthe dog lay on the mat\n"
)

# The extra cases of Tests/NgramEngineTests/Fixtures/extra: (name, file name, text or bytes, options).
EXTRA_CASES = [
    ("cat_dog_ctx0", "cat_dog.txt", CAT_DOG, {"context": 0}),
    ("cat_dog_ctx1", "cat_dog.txt", CAT_DOG, {"context": 1}),
    ("cat_dog_ctx3", "cat_dog.txt", CAT_DOG, {"context": 3}),
    ("cat_dog_lr001", "cat_dog.txt", CAT_DOG, {"lr": 0.01}),
    ("cat_dog_lr1", "cat_dog.txt", CAT_DOG, {"lr": 1.0}),
    ("cat_dog_lr25_e30", "cat_dog.txt", CAT_DOG, {"lr": 2.5, "epochs": 30}),
    ("cat_dog_lr1e5", "cat_dog.txt", CAT_DOG, {"lr": 1e-05}),
    ("cat_dog_e0", "cat_dog.txt", CAT_DOG, {"epochs": 0}),
    ("cat_dog_e1", "cat_dog.txt", CAT_DOG, {"epochs": 1}),
    ("cat_dog_e3_ctx1", "cat_dog.txt", CAT_DOG, {"epochs": 3, "context": 1}),
    ("cat_dog_e3_ctx3_lr05", "cat_dog.txt", CAT_DOG, {"epochs": 3, "context": 3, "lr": 0.5}),
    ("bom", "bom.txt", "\ufeffthe cat sat on the mat\nthe cat sat on the \ufeff rug\nthe mat\n", {}),
    ("bom_ctx0", "bom.txt", "\ufeffthe cat sat on the mat\nthe cat sat on the \ufeff rug\nthe mat\n", {"context": 0}),
    (
        "crlf_blank_lines",
        "crlf.txt",
        b"the cat sat\r\n\r\n   \r\n\t \r\nthe dog\rsat on\r\rthe mat\r\n  the cat \r\nlay\r",
        {},
    ),
    (
        "crlf_blank_lines_ctx1",
        "crlf.txt",
        b"the cat sat\r\n\r\n   \r\n\t \r\nthe dog\rsat on\r\rthe mat\r\n  the cat \r\nlay\r",
        {"context": 1},
    ),
    (
        "unicode_whitespace",
        "ws.txt",
        "a\u00a0b\u2003c\u3000a\u0085b\u001cc\u2028a b\u1680c\u202fa\u205fb\u2029c\u001fa\u000bb\u000cc"
        "\u001da\u001eb\u2000c\u200aa\u2009b\n"
        "zero\u200bwidth no\ufeffbreak a zero\u200bwidth b no\ufeffbreak zero width\u200b\n"
        "\u2028\u2028 \u0085 \n a b c\n",
        {},
    ),
    (
        "unicode_whitespace_ctx3",
        "ws.txt",
        "a\u00a0b\u2003c\u3000a\u0085b\u001cc\u2028a b\u1680c\u202fa\u205fb\u2029c\u001fa\u000bb\u000cc"
        "\u001da\u001eb\u2000c\u200aa\u2009b\n"
        "zero\u200bwidth no\ufeffbreak a zero\u200bwidth b no\ufeffbreak zero width\u200b\n",
        {"context": 3},
    ),
    (
        "nfc_nfd_astral",
        "nfc.txt",
        "caf\u00e9 cafe\u0301 caf\u00e9 \U0001F600 cafe\u0301 \U0001F600 \U0001F389 Z a \u00e9 e\u0301 "
        "\U0001F600 Z caf\u00e9 \U0001D11E \uffff\u00e9 \u0100 z a \U0001F600 \U0001F389\n",
        {},
    ),
    (
        "nfc_nfd_astral_ctx1",
        "nfc.txt",
        "caf\u00e9 cafe\u0301 caf\u00e9 \U0001F600 cafe\u0301 \U0001F600 \U0001F389 Z a \u00e9 e\u0301 "
        "\U0001F600 Z caf\u00e9 \U0001D11E \uffff\u00e9 \u0100 z a \U0001F600 \U0001F389\n",
        {"context": 1},
    ),
    ("full_vocab_row", "full.txt", "a b x a b y a b z a b a a b b a b x\n", {"epochs": 40, "lr": 0.7}),
    ("full_vocab_row_ctx1", "full.txt", "a x a y a z a a a b a x\n", {"context": 1}),
    (
        "quoting_ctx3",
        "q.txt",
        'say "hi", then, say "hi", then "" , , then say \'x\' a|b a|b say "hi", then\n',
        {"context": 3},
    ),
    ("invalid_utf8", "bad.txt", b"the cat sat on the \xff mat\n", {"expect_error": "not valid UTF-8"}),
    ("invalid_utf8_truncated", "bad2.txt", b"the cat sat on the caf\xc3", {"expect_error": "not valid UTF-8"}),
    ("too_short_ctx3", "short.txt", "one two three\n", {"context": 3, "expect_error": "needs at least 4 tokens"}),
    # Not here: a bigram corpus of one token. The 200 reference only rejects *no* tokens; with one
    # token it trains on zero pairs and logs avg_loss "nan". SPEC makes it an error ("needs at
    # least 2 tokens"); the Swift tests check that rule directly.
    ("empty_ctx0", "empty.txt", " \n\t\n", {"context": 0, "expect_error": "needs at least 1 tokens"}),
]


def _random_text(seed: int, vocab: int, tokens: int) -> str:
    """A deterministic pseudo-random corpus: Zipf-ish word choice, lines of 3-12 words."""
    import random

    rng = random.Random(seed)
    words = [f"w{i}" + ("," if i % 7 == 3 else "") + ("\u00e9" if i % 11 == 5 else "") for i in range(vocab)]
    weights = [1.0 / (i + 1) for i in range(vocab)]
    out, line = [], []
    for _ in range(tokens):
        line.append(rng.choices(words, weights)[0])
        if len(line) >= rng.randint(3, 12):
            out.append(" ".join(line))
            line = []
    out.append(" ".join(line))
    return "\n".join(out) + "\n"


EXTRA_CASES += [
    ("random_v50_ctx2", "r.txt", _random_text(1, 50, 3000), {"lr": 0.3, "epochs": 25}),
    ("random_v50_ctx2_lr25", "r.txt", _random_text(2, 50, 2000), {"lr": 2.5, "epochs": 20}),
    ("random_v60_ctx0", "r.txt", _random_text(3, 60, 3000), {"context": 0, "lr": 0.05, "epochs": 20}),
    ("random_v60_ctx1", "r.txt", _random_text(4, 60, 3000), {"context": 1, "lr": 1.0, "epochs": 20}),
    ("random_v12_ctx3", "r.txt", _random_text(5, 12, 2000), {"context": 3, "lr": 0.2, "epochs": 15}),
]

EXTRA_CASES += [
    ("random_v30_ctx1_lr1000", "r.txt", _random_text(6, 30, 1500), {"context": 1, "lr": 1000.0, "epochs": 5}),
    ("random_v30_ctx2_lr50", "r.txt", _random_text(7, 30, 1500), {"lr": 50.0, "epochs": 8}),
    ("random_v40_ctx0_lr7", "r.txt", _random_text(8, 40, 1500), {"context": 0, "lr": 7.0, "epochs": 6}),
    ("one_token_type_ctx0", "x.txt", "x x x x x\n", {"context": 0}),
    ("one_token_type_ctx3", "x.txt", "x x x x x\n", {"context": 3}),
    ("unicode_filename", "r\u00e9sum\u00e9 \U0001F600,x.txt", "caf\u00e9 a b caf\u00e9 a c\n", {"epochs": 4}),
    ("many_successors_ctx1", "m.txt", " ".join(f"h t{i % 23} h t{(i * 7) % 23}" for i in range(60)) + "\n", {"context": 1, "lr": 0.3, "epochs": 30}),
]


def _uniform_text(seed: int) -> tuple[str, float, int]:
    """The random context-3 corpus that scripts searched with: returns (text, lr, epochs)."""
    import random

    rng = random.Random(seed)
    v, n, epochs = rng.randint(5, 9), rng.randint(300, 900), rng.randint(3, 12)
    lr = rng.choice([0.1, 0.2, 0.3, 0.5, 0.7, 1.0, 1.5])
    words = [f"w{i}" for i in range(v)]
    return " ".join(rng.choice(words) for _ in range(n)) + "\n", lr, epochs


# The 400 (context-3) reference writes weights with 8 decimals; SPEC asks for 4. Seed 8 trains a
# weight 0.2153499979... that the reference writes 0.21535000 and 4 decimals write 0.2153: the
# difference is 5e-5 plus float noise, just over check-conformance.py's 5e-5 tolerance.
_t, _lr, _e = _uniform_text(8)
EXTRA_CASES += [("ctx3_rounding_boundary", "u.txt", _t, {"context": 3, "lr": _lr, "epochs": _e})]


def _hub_text(seed: int, successors: int, tokens: int) -> str:
    """Context 2 with one big row: "h h" followed by one of `successors` words, among filler."""
    import random

    rng = random.Random(seed)
    out = []
    while len(out) < tokens:
        out += ["h", "h", f"t{rng.randrange(successors)}", f"f{rng.randrange(20)}"]
    return " ".join(out) + "\n"


# Rows of 64 columns or more, with more than 32 steps an epoch: the trainer carries their exps
# from step to step (README: "Carried exps in big rows"), which no case above reaches (the
# largest row above has 60 columns). A Zipf unigram's and bigram's frequent rows carry at degree
# 8; lr 0.3 puts the largest d near that degree's bound; at lr 0.5 it is past every bound, so
# those steps compute their exps afresh.
EXTRA_CASES += [
    ("carry_v300_ctx0", "r.txt", _random_text(11, 300, 3000), {"context": 0, "lr": 0.1, "epochs": 12}),
    ("carry_v300_ctx0_lr03", "r.txt", _random_text(12, 300, 2500), {"context": 0, "lr": 0.3, "epochs": 8}),
    ("carry_v300_ctx0_lr05", "r.txt", _random_text(13, 300, 2500), {"context": 0, "lr": 0.5, "epochs": 6}),
    ("carry_v400_ctx1", "r.txt", _random_text(14, 400, 6000), {"context": 1, "lr": 0.1, "epochs": 10}),
    ("carry_hub150_ctx2", "h.txt", _hub_text(15, 150, 4000), {"context": 2, "lr": 0.1, "epochs": 15}),
]


def _uniform_words(seed: int, vocab: int, tokens: int) -> str:
    """Every word equally likely: the rows' weights stay nearly equal."""
    import random

    rng = random.Random(seed)
    names = [f"w{i:05d}" for i in range(vocab)]
    return " ".join(names[rng.randrange(vocab)] for _ in range(tokens)) + "\n"


# Tiny learning rates keep a row's weights so close that their exps round to exact ties, which
# the argmax breaks by the lowest id: carried exps are within ulps of fresh ones, not equal, so
# the trainer computes afresh any step where the target is within 1e-12 of another candidate.
EXTRA_CASES += [
    ("carry_ties_v64_lr1e10", "u.txt", _uniform_words(65, 64, 10000), {"context": 0, "lr": 1e-10, "epochs": 3}),
    ("carry_ties_v100_lr1e14", "u.txt", _uniform_words(101, 100, 10000), {"context": 0, "lr": 1e-14, "epochs": 3}),
]


def make_all_extra(ref_root: str, out: str, only: list[str] | None = None) -> None:
    """Regenerate every case of EXTRA_CASES (or those named in `only`) into `out` (one subprocess
    per case: one package each)."""
    import subprocess

    with tempfile.TemporaryDirectory() as t:
        for name, fname, text, opts in EXTRA_CASES:
            if only and name not in only:
                continue
            src = Path(t) / name / fname
            src.parent.mkdir(parents=True)
            src.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
            cmd = [sys.executable, __file__, "--ref-root", ref_root, "--out", out, "--name", name, "--corpus", str(src)]
            for k, v in opts.items():
                cmd += [f"--{k.replace('_', '-')}", repr(v) if isinstance(v, float) else str(v)]
            subprocess.run(cmd, check=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--all-extra", action="store_true", help="regenerate every case of EXTRA_CASES into --out")
    ap.add_argument("--only", action="append", help="with --all-extra: only this case (repeatable)")
    ap.add_argument("--ref-root", default="/tmp/ref")
    ap.add_argument("--out", required=True)
    ap.add_argument("--name")
    ap.add_argument("--corpus")
    ap.add_argument("--context", type=int, default=2)
    ap.add_argument("--lr", type=float, default=0.1)
    ap.add_argument("--epochs", type=int, default=50)
    ap.add_argument("--expect-error")
    a = ap.parse_args()

    reexec_if_old_python()
    if a.all_extra:
        make_all_extra(a.ref_root, a.out, a.only)
        return
    if not a.name or not a.corpus:
        ap.error("--name and --corpus are required (or --all-extra)")
    sys.path.insert(0, str(Path(a.ref_root) / PACKAGES[a.context]))
    import logging

    logging.disable(logging.CRITICAL)  # the reference logs every epoch

    src = Path(a.corpus)
    case_dir = Path(a.out) / a.name
    if case_dir.exists():
        shutil.rmtree(case_dir)
    (case_dir / "corpus").mkdir(parents=True)
    shutil.copyfile(src, case_dir / "corpus" / src.name)

    with tempfile.TemporaryDirectory() as t:
        base = Path(t) / a.name
        (base / "corpus").mkdir(parents=True)
        shutil.copyfile(src, base / "corpus" / src.name)
        failure = None
        try:
            failure = run_reference(a.context, base, a.lr, a.epochs)
        except Exception as e:  # the reference raised: e.g. UnicodeDecodeError
            failure = f"{type(e).__name__}: {e}"
        if a.expect_error:
            if failure is None:
                sys.exit(f"{a.name}: expected the reference to fail, but it trained")
            if (base / "artifacts").exists() and any((base / "artifacts").iterdir()):
                sys.exit(f"{a.name}: the reference failed but left artifacts")
            print(f"{a.name}: reference failed as expected: {failure}")
        else:
            if failure is not None:
                sys.exit(f"{a.name}: the reference failed: {failure}")
            for sub in ("artifacts", "outputs"):
                for f in sorted((base / sub).iterdir()):
                    dest = case_dir / "expected" / sub / f.name
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    data = f.read_bytes()
                    if len(data) > GZIP_OVER:
                        dest.with_name(f.name + ".gz").write_bytes(gzip.compress(data, mtime=0))
                    else:
                        dest.write_bytes(data)

    case = {"lr": a.lr, "epochs": a.epochs, "corpus": f"corpus/{src.name}", "expect_error": a.expect_error}
    if a.context != 2:
        case["context"] = a.context
    (case_dir / "case.json").write_text(json.dumps(case, indent=2) + "\n")
    if not a.expect_error:
        meta = json.loads((case_dir / "expected" / "artifacts" / "00_meta.json").read_text())
        print(f"{a.name}: V={meta['vocab_size']} kind={meta['model_kind']} lr={a.lr} epochs={a.epochs}")


if __name__ == "__main__":
    main()
