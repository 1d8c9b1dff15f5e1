#!/usr/bin/env bash
# Checks that another package can depend on ngram-tui by version, as a user's package would:
# clones this checkout's HEAD, tags the clone with PackageVersion.current, creates a package that
# depends on it with `.package(url: "file://…", from: VERSION)` and imports every library product
# (NgramEngine, NgramTUI), whose main program is the getting-started article's code taken verbatim
# from Sources/NgramEngine/NgramEngine.docc/GettingStarted.md. Builds it and runs it.
#
# Usage: scripts/dependent-package.sh   (a minute or two: it builds the package from scratch)
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(sed -n 's/.*public static let current = "\(.*\)".*/\1/p' Sources/NgramEngine/Support/Version.swift)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

git clone -q . "$tmp/ngram-tui"
git -C "$tmp/ngram-tui" -c user.name=check -c user.email=check@example.invalid tag -a "$version" -m "$version"

mkdir -p "$tmp/demo/Sources/Demo"
cat >"$tmp/demo/Package.swift" <<EOF
// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "Demo",
  dependencies: [.package(url: "file://$tmp/ngram-tui", from: "$version")],
  targets: [
    .executableTarget(
      name: "Demo",
      dependencies: [
        .product(name: "NgramEngine", package: "ngram-tui"),
        .product(name: "NgramTUI", package: "ngram-tui"),
      ])
  ]
)
EOF
# The article's "Train and query" block, then one line that uses the explorer's library.
awk '/^## Train and query/ {on = 1} on && /^```swift/ {code = 1; next} code && /^```/ {exit} code {print}' \
  Sources/NgramEngine/NgramEngine.docc/GettingStarted.md >"$tmp/demo/Sources/Demo/main.swift"
cat >>"$tmp/demo/Sources/Demo/main.swift" <<'EOF'
import NgramTUI
print("explorer library:", String(describing: Explorer.self))
EOF

cd "$tmp/demo"
swift build >"$tmp/build.log" 2>&1 || { tail -20 "$tmp/build.log"; exit 1; }
grep -E "warning:" "$tmp/build.log" | grep -v "/checkouts/" || true
echo "--- resolved: ngram-tui $(grep -o '"version" *: *"[^"]*"' Package.resolved | head -1)"
echo "--- output of the getting-started program:"
.build/debug/Demo
