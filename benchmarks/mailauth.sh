#!/usr/bin/env bash
# SMTP delivery with the SPF/DKIM/DMARC checks off and on (DNS cached), same binary, same box.
# Usage: [MESSAGES=5000] benchmarks/mailauth.sh FACTEUR_BIN BENCH_BIN [ROUNDS] (needs python3 + dnslib on PYTHONPATH)
# The loopback dnslib server publishes load.test's SPF (ip4:127.0.0.1) and DMARC (p=none) records;
# "on" clears trusted_networks so that mail from 127.0.0.1 is checked, "off" sets enabled = false.
set -euo pipefail
FACTEUR=$1 BENCH=$2 ROUNDS=${3:-3} MESSAGES=${MESSAGES:-5000}
HERE="$(cd "$(dirname "$0")/.." && pwd)"
WORK=$(mktemp -d /tmp/facteur-mailauth-bench.XXXX)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$WORK"' EXIT
DNSPORT=$((20000 + RANDOM % 20000))
python3 "$HERE/Tests/FacteurE2ETests/scripts/dns_server.py" $DNSPORT '
load.test. 300 IN TXT "v=spf1 ip4:127.0.0.1 -all"
_dmarc.load.test. 300 IN TXT "v=DMARC1; p=none"
' > "$WORK/dns.out" 2>&1 &
sleep 2
run() { # $1 = off|on, $2 = port
  local dir="$WORK/$1"; mkdir -p "$dir"
  local auth='enabled = false'
  [ "$1" = on ] && auth='trusted_networks = []'
  cat > "$dir/facteur.toml" <<TOML
hostname = "mail.example.test"
domains = ["example.test"]
data_dir = "$dir/data"
[smtp]
listen = ["127.0.0.1:$2"]
[imap]
listen = []
[pop3]
listen = []
[guard]
connections_per_minute = 0
max_connections_per_ip = 0
[dns]
nameserver = "127.0.0.1:$DNSPORT"
[mailauth]
$auth
TOML
  echo benchpass | "$FACTEUR" user add bench@example.test --password-stdin --config "$dir/facteur.toml" >/dev/null
  "$FACTEUR" serve --config "$dir/facteur.toml" > "$dir/log" 2>&1 &
  local pid=$!
  sleep 2
  "$BENCH" smtp --port $2 --sessions 20 --messages $MESSAGES --size 4096 --to bench@example.test
  kill $pid; wait $pid 2>/dev/null || true
  # The verdict of one stored message (none when the checks are off).
  local first; first=$(ls "$dir"/data/mail/example.test/bench/new | head -1)
  grep -m1 -A3 "^Authentication-Results" "$dir/data/mail/example.test/bench/new/$first" | tr -d '\t\r' | tr '\n' ' ' || true
  # Kept until the end: on ext4 without a journal, creating files just after thousands were
  # deleted scans past the freed inodes (recently_deleted) and would slow the next run.
  mv "$dir" "$WORK/done-$1-$2"
}
for i in $(seq 1 "$ROUNDS"); do
  echo "round $i off: $(run off $((30000 + i * 2)) | tr '\n' ' ')"
  echo "round $i on:  $(run on $((30001 + i * 2)) | tr '\n' ' ')"
done
