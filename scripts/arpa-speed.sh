#!/usr/bin/env bash
# Times ngram-tui's ARPA reader and its top-k on a large synthetic file (issue 10's goals: a
# 1-million-n-gram file loads in <= 2 s; a top-k over a 100k-word vocabulary answers in <= 20 ms).
#
# Usage: scripts/arpa-speed.sh [BINARY] [ARPA]
#   BINARY  default .build/release/ngram-tui (build with `swift build -c release`)
#   ARPA    default /tmp/ngram-big.o3.arpa, made with scripts/make-big-arpa.py when missing
#           (100,000 words, 1,000,000 n-grams of orders 1-3)
#
# Measured from outside, one run each (not a timed unit test):
#   load   `predict --arpa FILE --topk 10 w5 w7`: reading and indexing the file plus one top-k;
#   top-k  `repl --arpa FILE --topk 10` with 1 line and with 1 + Q lines on stdin; the extra time
#          divided by Q is one top-k (the whole-vocabulary distribution, then the k best), over
#          contexts from the most frequent words (tens of thousands of successors) to unseen ones.
# Reports wall, user and system CPU seconds and peak memory (GNU time), and the load average
# before and after: the machine may be shared.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-.build/release/ngram-tui}
ARPA=${2:-/tmp/ngram-big.o3.arpa}
Q=${Q:-200}
[ -f "$ARPA" ] || python3 scripts/make-big-arpa.py "$ARPA"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

echo "file: $ARPA ($(du -h "$ARPA" | cut -f1)); $(head -5 "$ARPA" | grep ngram | tr '\n' ' ')"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

fmt="wall %e s, user %U s, sys %S s, peak RSS %M KB"
/usr/bin/time -f "load + one top-k: $fmt" "$BIN" predict --arpa "$ARPA" --topk 10 w5 w7 > "$TMP/predict.txt"
head -3 "$TMP/predict.txt"

# Q contexts: frequent words (many successors), mid-frequency, rare and unseen, <s>.
python3 - "$Q" > "$TMP/queries.txt" <<'EOF'
import random, sys
q = int(sys.argv[1])
rng = random.Random(7)
lines = []
for i in range(q):
    kind = i % 4
    if kind == 0:
        lines.append(f"w{rng.randrange(0, 20)} w{rng.randrange(0, 20)}")
    elif kind == 1:
        lines.append(f"w{rng.randrange(0, 2000)}")
    elif kind == 2:
        lines.append(f"w{rng.randrange(0, 99997)} w{rng.randrange(0, 99997)}")
    else:
        lines.append("<s> w0" if i % 8 == 3 else "qqunseenqq w1")
print("\n".join(lines))
EOF
echo "w5 w7" > "$TMP/one.txt"
cat "$TMP/one.txt" "$TMP/queries.txt" > "$TMP/many.txt"
t() { /usr/bin/time -f "%e %U %S %M" "$@" 2>&1 >/dev/null | tail -1; }
one=$(t "$BIN" repl --arpa "$ARPA" --topk 10 < "$TMP/one.txt")
many=$(t "$BIN" repl --arpa "$ARPA" --topk 10 < "$TMP/many.txt")
echo "repl, 1 context:          wall/user/sys/RSS(KB) $one"
echo "repl, 1 + $Q contexts:  wall/user/sys/RSS(KB) $many"
python3 - "$one" "$many" "$Q" <<'EOF'
import sys
a = [float(x) for x in sys.argv[1].split()]
b = [float(x) for x in sys.argv[2].split()]
q = int(sys.argv[3])
print(f"one top-k (k=10, V=100,000): wall {1000 * (b[0] - a[0]) / q:.2f} ms, user CPU {1000 * (b[1] - a[1]) / q:.2f} ms")
EOF
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
