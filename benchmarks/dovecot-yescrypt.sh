#!/usr/bin/env bash
# A second Dovecot 2.3 peer whose users have the same kind of password hash as Facteur's
# (yescrypt `$y$j9T$`, cost 5, through libxcrypt's crypt(3): Dovecot's {CRYPT} scheme), so IMAP
# and POP3 comparisons are like for like. Derived from the shared peer's config
# ($PEERS/dovecot/dovecot.conf, see /work/shared/peers): same settings, its own ports, state and mail.
#
#   PEERS=/srv/peers benchmarks/dovecot-yescrypt.sh start    # IMAP 127.0.0.1:10243, POP3 127.0.0.1:10210
#   PEERS=/srv/peers benchmarks/dovecot-yescrypt.sh stop
#   PEERS=/srv/peers benchmarks/dovecot-yescrypt.sh reset    # empty every user's mail (server stopped)
#
# Users testuser1..50, password `pass`, like the shared peer. Run as root.
set -euo pipefail
PEERS="${PEERS:?set PEERS to the peers working folder (e.g. /srv/peers)}"
DIR="$PEERS/dovecot-yescrypt"
case "${1:-start}" in
start)
  mkdir -p "$DIR/run" "$DIR/state" "$DIR/mail"
  chown mail:mail "$DIR/mail"
  if [ ! -s "$DIR/users" ]; then
    python3 - "$DIR/users" <<'PY'
import ctypes, sys
lib = ctypes.CDLL("libcrypt.so.1")
lib.crypt_gensalt.restype = ctypes.c_char_p
lib.crypt_gensalt.argtypes = [ctypes.c_char_p, ctypes.c_ulong, ctypes.c_char_p, ctypes.c_int]
lib.crypt.restype = ctypes.c_char_p
lib.crypt.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
with open(sys.argv[1], "w") as f:
    for name in ["testuser"] + [f"testuser{i}" for i in range(1, 51)]:
        salt = lib.crypt_gensalt(b"$y$", 5, None, 0)   # the cost Facteur's PasswordHasher uses
        f.write(f"{name}:{{CRYPT}}{lib.crypt(b'pass', salt).decode()}::::::\n")
PY
    chown root:dovecot "$DIR/users"; chmod 0640 "$DIR/users"
  fi
  sed -e "s#$PEERS/dovecot/run#$DIR/run#; s#$PEERS/dovecot/state#$DIR/state#" \
      -e "s#$PEERS/dovecot/dovecot-info.log#$DIR/dovecot-info.log#; s#$PEERS/dovecot/dovecot.log#$DIR/dovecot.log#" \
      -e "s#instance_name = .*#instance_name = peers-dovecot-yescrypt#" \
      -e "s#maildir:$PEERS/dovecot-mail/#maildir:$DIR/mail/#; s#home=$PEERS/dovecot-mail/#home=$DIR/mail/#" \
      -e "s#scheme=PLAIN username_format=%u $PEERS/dovecot/users#scheme=CRYPT username_format=%u $DIR/users#" \
      -e "s#port = 10143#port = 10243#; s#port = 10110#port = 10210#" \
      "$PEERS/dovecot/dovecot.conf" > "$DIR/dovecot.conf"
  grep -q "scheme=CRYPT" "$DIR/dovecot.conf" && grep -q "port = 10243" "$DIR/dovecot.conf" \
    || { echo "dovecot-yescrypt: could not derive the config from $PEERS/dovecot/dovecot.conf" >&2; exit 1; }
  dovecot -c "$DIR/dovecot.conf"
  sleep 1
  ss -ltn | grep -E '127\.0\.0\.1:(10243|10210)\b'
  ;;
stop)  doveadm -c "$DIR/dovecot.conf" stop ;;
reset) rm -rf "$DIR/mail"/testuser* ;;
*) echo "usage: $0 start|stop|reset" >&2; exit 2 ;;
esac
