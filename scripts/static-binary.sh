#!/usr/bin/env bash
# Builds the shippable static binary and measures it against a C program that prints one line:
# file size, and start-up time of `ngram-tui --version` vs `hello` (median of N runs each,
# interleaved, so both see the same machine load).
#
# Usage: scripts/static-binary.sh [RUNS]   (default 200)
# Output: the binary at .build-static/release/ngram-tui and a short report on stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-200}
swift build -c release --static-swift-stdlib --scratch-path .build-static >&2
bin=.build-static/release/ngram-tui
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cc -O2 -o "$tmp/hello" bench/anchor/hello.c
strip -o "$tmp/ngram-tui.stripped" "$bin"

# Bash's own clock (EPOCHREALTIME, microseconds): forking `date` inside the timed interval would
# add a process start to both programs and flatter the ratio.
declare -a tn tc
for ((i = 0; i < runs; i++)); do
  t0=$EPOCHREALTIME; "$bin" --version >/dev/null; t1=$EPOCHREALTIME; "$tmp/hello" >/dev/null; t2=$EPOCHREALTIME
  tn+=($(((10#${t1/./} - 10#${t0/./}) * 1000))); tc+=($(((10#${t2/./} - 10#${t1/./}) * 1000)))
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
mn=$(median "${tn[@]}"); mc=$(median "${tc[@]}")
size=$(stat -c %s "$bin"); ssize=$(stat -c %s "$tmp/ngram-tui.stripped")
echo "static binary: $bin"
echo "size: $((size / 1024 / 1024)) MB ($size bytes); stripped: $((ssize / 1024 / 1024)) MB ($ssize bytes)"
echo "dynamic libraries: $(ldd "$bin" 2>/dev/null | awk '{print $1}' | tr '\n' ' ')"
echo "start-up, median of $runs: ngram-tui --version $((mn / 1000)) µs, C hello $((mc / 1000)) µs, ratio $(awk -v a="$mn" -v b="$mc" 'BEGIN {printf "%.2f", a / b}')×"
