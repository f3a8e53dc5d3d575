#!/usr/bin/env bash
# Issue #12's figures, from a clean clone: password guesses verified per address per minute
# (20 connections opened in advance), with the login guard off ("before": no ban, no penalty,
# as a ban on main did not reach open connections) and with the defaults ("after"); then a
# legitimate delivery's latency while 1,000 idle and 100 trickling SMTP connections are open,
# and the server's RSS then.
#
#   benchmarks/guard-siege.sh [BIN_DIR]     # BIN_DIR holds facteur and facteur-bench
#                                           # (default .build/release)
# Needs ulimit -n above 2,300 (the script raises it) and loopback addresses 127.0.0.0/8.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${1:-.build/release}"
ulimit -n 8192
WORK="$(mktemp -d /tmp/facteur-siege.XXXXXX)"
trap 'kill $(cat "$WORK/pid" 2>/dev/null) 2>/dev/null || true; rm -rf "$WORK"' EXIT

serve() {   # serve GUARD-KEYS
  # The previous server must be gone (its ports free) before the next one starts.
  local old; old="$(cat "$WORK/pid" 2>/dev/null || true)"
  if [ -n "$old" ]; then
    kill "$old" 2>/dev/null || true
    for _ in $(seq 300); do kill -0 "$old" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -rf "$WORK/data"
  cat > "$WORK/facteur.toml" <<EOF
hostname = "mx.example.test"
domains = ["example.test"]
data_dir = "$WORK/data"
[smtp]
listen = ["127.0.0.1:2526"]
[imap]
listen = []
[pop3]
listen = ["127.0.0.1:2110"]
plaintext_networks = ["127.0.0.0/8"]
[guard]
$1
EOF
  echo benchpass | "$BIN/facteur" user add bench@example.test --password-stdin --config "$WORK/facteur.toml" >/dev/null
  "$BIN/facteur" serve --config "$WORK/facteur.toml" > "$WORK/log" 2>&1 &
  echo $! > "$WORK/pid"
  for _ in $(seq 50); do grep -q "POP3 listening" "$WORK/log" && return 0; sleep 0.2; done
  cat "$WORK/log"; exit 1
}

echo "== guesses, login guard off (failed_logins = 0, auth_failure_delay = 0)"
serve $'failed_logins = 0\nauth_failure_delay = "0"'
"$BIN/facteur-bench" guess --port 2110 --connections 20 --seconds 60 --source 127.0.0.9
echo "server: $(grep -c 'failed login for' "$WORK/log" || true) wrong passwords verified (log)"

echo "== guesses, defaults (ban after 5 distinct wrong passwords, penalty 2 s doubling to 15 s)"
serve ""
"$BIN/facteur-bench" guess --port 2110 --connections 20 --seconds 60 --source 127.0.0.9
echo "server: $(grep -c 'failed login for' "$WORK/log" || true) wrong passwords verified (log)"

echo "== a delivery while 1,000 idle and 100 trickling connections are open (max_connections = 1000)"
serve ""
"$BIN/facteur-bench" siege --port 2526 --idle 1000 --trickling 100 --per-address 17 --client 127.0.0.2 --pid "$(cat "$WORK/pid")"
