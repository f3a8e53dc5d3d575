#!/usr/bin/env bash
# Times Postfix's smtp-source against any SMTP server (acceptance rate), then waits until every
# message is in the recipient's Maildir/new (end-to-end rate).
#   benchmarks/smtp-source.sh HOST:PORT NEW_DIR|- [sessions=20] [messages=5000] [size=4096] [-d]
# TO (default u1@example.test) is the recipient; NEW_DIR=- skips the delivery wait.
#   benchmarks/smtp-source.sh 127.0.0.1:10025 $PEERS/postfix-mail/example.test/u1/new       # Postfix peer
#   TO=bench@example.test benchmarks/smtp-source.sh 127.0.0.1:2526 /tmp/fbench/data/mail/example.test/bench/new
set -u
command -v smtp-source >/dev/null || { echo "smtp-source not found: it comes with postfix (../shared/peers/setup.sh installs it)" >&2; exit 1; }
TARGET=$1; NEWDIR=$2; S=${3:-20}; M=${4:-5000}; L=${5:-4096}; shift 5 2>/dev/null; EXTRA="$*"
TO="${TO:-u1@example.test}"
before=0; [ "$NEWDIR" != - ] && [ -d "$NEWDIR" ] && before=$(find "$NEWDIR" -type f | wc -l)
t0=$(date +%s.%N)
smtp-source $EXTRA -s "$S" -m "$M" -l "$L" -f a@b.test -t "$TO" "$TARGET"
rc=$?
t1=$(date +%s.%N)
echo "smtp-source $EXTRA -s $S -m $M -l $L -> $TARGET rc=$rc: accepted $M msgs in $(echo "$t1-$t0" | bc -l | xargs printf %.2f)s = $(echo "$M/($t1-$t0)" | bc -l | xargs printf %.0f) msg/s"
[ "$NEWDIR" = - ] && exit 0
while :; do
  n=$(( $(find "$NEWDIR" -type f 2>/dev/null | wc -l) - before ))
  [ "$n" -ge "$M" ] && break
  t2=$(date +%s.%N); if (( $(echo "$t2-$t0 > 600" | bc -l) )); then echo "timeout: only $n delivered"; break; fi
  sleep 0.2
done
t2=$(date +%s.%N)
echo "all $n delivered to $NEWDIR after $(echo "$t2-$t0" | bc -l | xargs printf %.2f)s from start = $(echo "$M/($t2-$t0)" | bc -l | xargs printf %.0f) msg/s end-to-end"
