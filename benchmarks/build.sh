#!/usr/bin/env bash
# Release build of the server and the load generator (about 12 min on 2 cores from clean).
#   benchmarks/build.sh        # → .build/release/facteur, .build/release/facteur-bench
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product facteur
swift build -c release --product facteur-bench
echo "binaries in $(swift build -c release --show-bin-path)"
