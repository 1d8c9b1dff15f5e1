#!/usr/bin/env python3
"""Runs the Python reference once for scripts/bench-reference.sh, reusing run_reference() of
scripts/make-reference-case.py: exactly the steps of the package's d_train.main().
Usage: bench_reference_pyref.py MAKE_REFERENCE_CASE_PY BASE_DIR LR EPOCHS"""
import importlib.util, logging, sys
from pathlib import Path
spec = importlib.util.spec_from_file_location("make_reference_case", sys.argv[1])
mrc = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mrc)
logging.disable(logging.CRITICAL)  # as make-reference-case.py: the reference logs every epoch
failure = mrc.run_reference(2, Path(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]))
if failure:
    sys.exit(f"the reference stopped: {failure}")
