#!/usr/bin/env bash
# Two builds of Facteur side by side, alternating, on the same machine in the same minutes:
# SMTP delivery rate, the mixed IMAP workload and POP3 sessions. For "nothing changed" claims
# (a restructuring) and "this got faster" claims alike.
#
#   benchmarks/before-after.sh OLD_BIN_DIR NEW_BIN_DIR [rounds=3]
#
# Each BIN_DIR holds a release `facteur` (e.g. a worktree of the old commit built with
# `swift build -c release --product facteur`); the load generator is this checkout's
# .build/release/facteur-bench (`benchmarks/build.sh`). Every run starts from an empty data folder
# (benchmarks/facteur-server.sh reset/start).
set -euo pipefail
cd "$(dirname "$0")/.."
OLD="$1" NEW="$2" ROUNDS="${3:-3}"
BENCH="${BENCH:-$PWD/.build/release/facteur-bench}"
export DIR=/tmp/fbench-before-after SMTP_PORT=2626 IMAP_PORT=1343 POP3_PORT=1310

one() {   # one LABEL BIN_DIR
  BIN="$2" benchmarks/facteur-server.sh reset >/dev/null 2>&1 || true
  BIN="$2" benchmarks/facteur-server.sh start >/dev/null
  local smtp imap pop
  smtp=$("$BENCH" smtp --port $SMTP_PORT --sessions 20 --messages 10000 --size 4096 --to bench@example.test | grep -o '[0-9.]* msg/s' | head -1)
  for u in $(seq 1 10); do "$BENCH" smtp --port $SMTP_PORT --sessions 4 --messages 50 --size 4096 --to "testuser$u@example.test" >/dev/null; done
  imap=$("$BENCH" imap --port $IMAP_PORT --clients 10 --seconds 10 --user 'testuser%d@example.test' --users 10 --password pass | grep -o '[0-9.]* commands/s' | head -1)
  pop=$("$BENCH" pop3 --port $POP3_PORT --clients 4 --seconds 10 --user 'testuser%d@example.test' --users 10 --password pass | grep -o '[0-9.]* sessions/s' | head -1)
  echo "$1  smtp ${smtp:-?}  imap ${imap:-?}  pop3 ${pop:-?}"
  local pid; pid=$(cat "$DIR/facteur.pid")
  BIN="$2" benchmarks/facteur-server.sh stop >/dev/null 2>&1 || true
  for _ in $(seq 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done   # ports free again
}

for r in $(seq 1 "$ROUNDS"); do
  one "round $r old" "$OLD"
  one "round $r new" "$NEW"
done
BIN="$NEW" benchmarks/facteur-server.sh reset >/dev/null 2>&1 || true
