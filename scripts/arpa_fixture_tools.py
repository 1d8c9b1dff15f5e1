#!/usr/bin/env python3
"""What scripts/make-count-arpa-fixtures.py and scripts/make-sgd-arpa-fixtures.py share: the
fixture paths, the unknown word, running the ngram-tui binary, a scratch DIR holding one corpus,
the shuffled test text and the fixture files KenLM's scores are written to.
"""
import hashlib
import json
import random
import shutil
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "Tests/NgramEngineTests/Fixtures"
UNKNOWN_WORD = "qqnotawordqq"


def run(*args):
    """Runs a command; its standard output (raises on a non-zero exit)."""
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def binary_argument():
    """The ngram-tui binary: the first argument, else .build/debug/ngram-tui."""
    return Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / ".build/debug/ngram-tui").resolve()


def fresh_output(out):
    """Creates the fixture folder `out` and removes its old fixtures (rerunning writes them all)."""
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.json"):
        old.unlink()


@contextmanager
def scratch_dir(corpus):
    """A temporary ngram-tui DIR whose corpus/ holds a copy of `corpus`."""
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        (base / "corpus").mkdir()
        shutil.copyfile(corpus, base / "corpus" / corpus.name)
        yield base


def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def shuffled(tokens, seed):
    """`tokens` in an order fixed by `seed` (a fixture's name)."""
    rng = random.Random(seed)
    out = list(tokens)
    rng.shuffle(out)
    return out


def write_fixture(out, name, doc):
    """Writes `doc` as out/NAME.json: compact, UTF-8 as is, one line."""
    (out / f"{name}.json").write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n")
