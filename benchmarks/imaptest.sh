#!/usr/bin/env bash
# imaptest (Dovecot's IMAP compliance and stress tester) against a throw-away Facteur instance.
#
# Usage: benchmarks/imaptest.sh [scripted|stress|all]      (default: all)
#
#   scripted  imaptest's scripted suite (test=DIR): every test group whose capabilities Facteur
#             advertises must pass; the others are skipped by imaptest itself.
#   stress    imaptest's stress mode: CLIENTS clients for SECS seconds, first all on one user's
#             INBOX with consistency checkpoints (checkpoint=N), then spread over USERS users.
#             Every "Error:" line imaptest prints is a consistency or protocol error.
#
# Environment:
#   IMAPTEST    the imaptest binary (release-2.3, built by ../shared/tools/build-imaptest.sh);
#               default: $PEERS/imaptest, /srv/peers/imaptest
#   TESTS       the scripted tests folder; default: imaptest-src/src/tests beside $IMAPTEST
#   FACTEUR     the facteur binary; default: .build/debug/facteur (or .build/release/facteur)
#   MBOX        mbox the stress clients APPEND from; default: one generated here (200 messages)
#   SECS=60 CLIENTS=10 USERS=20 CHECKPOINT=5 SEED=123 PORT=(a free port)
#   OUT         folder for the raw outputs; default: a new folder under /tmp
#
# Output: one summary line per run, the raw imaptest outputs in $OUT. Exits 1 when a scripted
# group failed or a stress run reported errors.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
MODE=${1:-all}

find_imaptest() {
  for c in "${IMAPTEST:-}" "${PEERS:+$PEERS/imaptest}" /srv/peers/imaptest /tmp/imap-peers/imaptest; do
    if [ -n "$c" ] && [ -x "$c" ]; then echo "$c"; return; fi
  done
  echo "no imaptest binary: build it with ../shared/tools/build-imaptest.sh and set IMAPTEST" >&2
  exit 2
}
IMAPTEST=$(find_imaptest)
TESTS=${TESTS:-$(dirname "$IMAPTEST")/imaptest-src/src/tests}
if [ -z "${FACTEUR:-}" ]; then
  for c in .build/debug/facteur .build/release/facteur; do [ -x "$c" ] && FACTEUR=$ROOT/$c && break; done
fi
[ -x "${FACTEUR:-}" ] || { echo "no facteur binary (swift build, or set FACTEUR)" >&2; exit 2; }
SECS=${SECS:-60}; CLIENTS=${CLIENTS:-10}; USERS=${USERS:-20}; CHECKPOINT=${CHECKPOINT:-5}; SEED=${SEED:-123}
OUT=${OUT:-$(mktemp -d /tmp/facteur-imaptest-XXXXXX)}
mkdir -p "$OUT"
PORT=${PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}

WORK=$(mktemp -d /tmp/facteur-imaptest-run-XXXXXX)
SERVER_PID=
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# A fresh server: IMAP only, plaintext LOGIN from loopback, no connection-rate limits (imaptest
# reconnects constantly), users testuser, testuser2 (the scripted suite's second user) and
# testuser1..USERS.
start_server() {
  [ -n "$SERVER_PID" ] && { kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=; }
  rm -rf "$WORK/data"; mkdir -p "$WORK"
  cat > "$WORK/facteur.toml" <<EOF
hostname = "mx.example.test"
domains = ["example.test"]
data_dir = "$WORK/data"

[smtp]
listen = []

[imap]
listen = ["127.0.0.1:$PORT"]

[pop3]
listen = []

[guard]
connections_per_minute = 1000000
max_connections_per_ip = 1000
bad_commands = 1000000
EOF
  local users="testuser"
  for i in $(seq 1 "$(( USERS > 2 ? USERS : 2 ))"); do users="$users testuser$i"; done
  for u in $users; do
    echo pass | "$FACTEUR" user add "$u@example.test" --password-stdin --config "$WORK/facteur.toml" >/dev/null
  done
  "$FACTEUR" serve --config "$WORK/facteur.toml" > "$OUT/server-$1.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 300); do
    grep -q "listening on 127.0.0.1:$PORT" "$OUT/server-$1.log" 2>/dev/null && return
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$OUT/server-$1.log" >&2; exit 2; }
    sleep 0.1
  done
  echo "facteur did not start" >&2; cat "$OUT/server-$1.log" >&2; exit 2
}

status=0

run_scripted() {
  start_server scripted
  "$IMAPTEST" host=127.0.0.1 port="$PORT" user=testuser pass=pass user2=testuser2 \
    test="$TESTS" > "$OUT/scripted.txt" 2>&1 || true
  local summary
  summary=$(grep -E '^[0-9]+ test groups:' "$OUT/scripted.txt" | tail -1)
  echo "scripted: $summary; $(grep -E 'individual commands failed' "$OUT/scripted.txt" | tr '\n' ';')"
  grep -E 'failed|FAILED' "$OUT/scripted.txt" | grep -vE '^[0-9]+ test groups' | head -40 || true
  case "$summary" in *" 0 failed"*) ;; *) status=1 ;; esac
}

ensure_mbox() {
  [ -n "${MBOX:-}" ] && return
  MBOX=$OUT/stress.mbox
  python3 - "$MBOX" <<'PY'
import random, sys, email.utils
rnd = random.Random(42)
words = "lorem ipsum dolor sit amet mailbox server imap message folder flag seen deleted answered".split()
with open(sys.argv[1], "wb") as f:
    for i in range(200):
        body = "\r\n".join(" ".join(rnd.choice(words) for _ in range(12)) for _ in range(rnd.randint(1, 60)))
        msg = (f"From: Sender {i % 17} <sender{i % 17}@example.test>\r\nTo: testuser@example.test\r\n"
               f"Subject: Test message {i}\r\nDate: {email.utils.formatdate(1700000000 + i * 3607)}\r\n"
               f"Message-ID: <msg{i}@example.test>\r\n\r\n{body}\r\n")
        f.write(f"From sender@example.test  Tue Nov 14 22:13:20 2023\r\n{msg}\r\n".encode())
PY
}

# stress NAME ARGS...: a stress run with consistency checks; counts imaptest's Error lines.
stress() {
  local name=$1; shift
  start_server "$name"
  "$IMAPTEST" host=127.0.0.1 port="$PORT" pass=pass mbox="$MBOX" clients="$CLIENTS" secs="$SECS" \
    seed="$SEED" "$@" > "$OUT/$name.txt" 2>&1 || true
  local errors
  errors=$(grep -c '^Error' "$OUT/$name.txt" || true)
  local totals
  totals="$(awk '/^Totals:/ {getline; print; exit}' "$OUT/$name.txt")| $(awk '/^Totals:/ {t=1} t && /^ *[0-9][0-9 ]*$/ {c=$0} END {print c}' "$OUT/$name.txt")"
  grep -q '^Panic' "$OUT/$name.txt" && { echo "$name: imaptest panicked"; status=1; }
  echo "$name: clients=$CLIENTS secs=$SECS $*: $errors errors; totals: $totals"
  grep '^Error' "$OUT/$name.txt" | sed -E 's/[0-9]+/N/g' | sort | uniq -c | sort -rn | head -15 || true
  [ "$errors" = 0 ] || status=1
}

run_stress() {
  ensure_mbox
  # All clients on one INBOX, with imaptest's checkpoints (every CHECKPOINT s all clients stop and
  # their views of the mailbox must agree with each other).
  stress stress-one-user user=testuser checkpoint="$CHECKPOINT"
  # Spread over USERS users: imaptest still checks every response against its model of each
  # mailbox. (imaptest release-2.3 panics in seq_range_flags_ref when checkpoint= is combined with
  # users > 1, against Dovecot 2.3.19 as well, so that run has no checkpoints.)
  stress stress-many-users "user=testuser%d" users="$USERS"
}

echo "imaptest: $IMAPTEST; facteur: $FACTEUR; outputs: $OUT"
case "$MODE" in
  scripted) run_scripted ;;
  stress) run_stress ;;
  all) run_scripted; run_stress ;;
  *) echo "usage: $0 [scripted|stress|all]" >&2; exit 2 ;;
esac
exit $status
