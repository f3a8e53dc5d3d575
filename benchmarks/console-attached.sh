#!/usr/bin/env bash
# SMTP rate of one `facteur serve` with 0 and with 3 attached consoles, alternating, and the
# console's attach-to-first-paint with 10,000 bans and 1,000 users. Release binaries:
#   swift build -c release --product facteur && swift build -c release --product facteur-bench
#   [SMTP_PORT=2727] benchmarks/console-attached.sh [pairs]
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${FACTEUR_RELEASE:-$PWD/.build/release}"
PAIRS="${1:-6}"
PORT="${SMTP_PORT:-2727}"
DIR="$(mktemp -d /tmp/facteur-bench-console.XXXX)"
SOCK="facteur-bench-$$"
cat > "$DIR/facteur.toml" <<TOML
hostname = "mx.example.test"
domains = ["example.test"]
data_dir = "data"
[smtp]
listen = ["127.0.0.1:$PORT"]
[imap]
listen = ["127.0.0.1:0"]
[pop3]
listen = ["127.0.0.1:0"]
TOML
cd "$DIR"
echo secret | "$BIN/facteur" user add bench@example.test --password-stdin --config facteur.toml >/dev/null
"$BIN/facteur" serve --config facteur.toml 2> serve.log &
SERVER=$!
trap 'tmux -L $SOCK kill-server 2>/dev/null || true; kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; rm -rf "$DIR"' EXIT
sleep 2
rate() { "$BIN/facteur-bench" smtp --port "$PORT" --sessions 20 --messages 20000 --size 4096 --to bench@example.test | grep -o '[0-9.]* msg/s' | head -1; }
for i in $(seq 1 "$PAIRS"); do
  zero=$(rate)
  for c in 1 2 3; do
    tmux -L "$SOCK" new-session -d -s "c$c" -x 120 -y 40 "LANG=C.UTF-8 TERM=xterm-256color $BIN/facteur console --attach --config facteur.toml"
  done
  sleep 2
  three=$(rate)
  tmux -L "$SOCK" kill-server
  echo "pair $i: 0 consoles $zero, 3 consoles $three"
done
"$BIN/facteur-bench" console-attach --socket "$DIR/data/control.sock" --populate-bans 10000 --populate-users 1000 --rounds 20
