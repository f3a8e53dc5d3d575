#!/usr/bin/env bash
# The Facteur server every benchmark of BENCHMARKS.md talks to: the release binary, config and data
# in $DIR, users bench@example.test, big@example.test and testuser1..10@example.test (password
# `pass`), guard limits raised so that a load generator on loopback is not refused.
#
#   benchmarks/facteur-server.sh start     # SMTP 127.0.0.1:2526, IMAP :1243, POP3 :1210; prints the pid
#   benchmarks/facteur-server.sh console   # the same, with the console, in tmux session "fbench"
#   benchmarks/facteur-server.sh stop
#   benchmarks/facteur-server.sh reset     # stop, then delete $DIR (mail, index, users)
#
# Env: DIR (default /tmp/fbench), BIN (default .build/release), SMTP_PORT, IMAP_PORT, POP3_PORT.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="${BIN:-$ROOT/.build/release}"
DIR="${DIR:-/tmp/fbench}"
SMTP_PORT="${SMTP_PORT:-2526}" IMAP_PORT="${IMAP_PORT:-1243}" POP3_PORT="${POP3_PORT:-1210}"
CONFIG="$DIR/facteur.toml"

configure() {
  mkdir -p "$DIR/data"
  cat > "$CONFIG" <<TOML
hostname = "mail.example.test"
domains = ["example.test"]
data_dir = "$DIR/data"
[smtp]
listen = ["127.0.0.1:$SMTP_PORT"]
[imap]
listen = ["127.0.0.1:$IMAP_PORT"]
[pop3]
listen = ["127.0.0.1:$POP3_PORT"]
[guard]
max_connections_per_ip = 5000
max_connections = 5000
connections_per_minute = 0
TOML
  for user in bench big testuser{1..10}; do
    if ! "$BIN/facteur" user list --config "$CONFIG" 2>/dev/null | grep -q "^$user@example.test"; then
      echo pass | "$BIN/facteur" user add "$user@example.test" --password-stdin --config "$CONFIG" >/dev/null
    fi
  done
}

stop() {
  if [ -f "$DIR/facteur.pid" ]; then
    kill "$(cat "$DIR/facteur.pid")" 2>/dev/null || true
    rm -f "$DIR/facteur.pid"
  fi
  tmux -L fbench kill-server 2>/dev/null || true
}

case "${1:-start}" in
start)
  configure
  ulimit -n 8192
  "$BIN/facteur" serve --config "$CONFIG" > "$DIR/log" 2>&1 &
  echo $! > "$DIR/facteur.pid"
  sleep 1
  echo "facteur pid $(cat "$DIR/facteur.pid"), config $CONFIG, log $DIR/log"
  ;;
console)
  configure
  tmux -L fbench new-session -d -s fbench -x 120 -y 40 "ulimit -n 8192; '$BIN/facteur' console --config '$CONFIG'"
  sleep 1
  pgrep -n -f "facteur console --config $CONFIG" > "$DIR/facteur.pid"
  echo "facteur (console) pid $(cat "$DIR/facteur.pid"), config $CONFIG"
  ;;
stop) stop ;;
reset) stop; rm -rf "${DIR:?}" ;;
*) echo "usage: $0 start|console|stop|reset" >&2; exit 2 ;;
esac
