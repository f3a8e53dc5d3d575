"""Shared parts of the fake POP3 and IMAP providers used by the mail collection tests.

State lives in a directory the test controls:
  maildrop/<uid>   one message per file (bytes as stored; POP3 orders by name, IMAP names are UIDs)
  mode             optional, re-read at every connection: a fault to inject ("drop-retr 2", ...)
  events.log       one line per command received ("PASS" redacted), plus "connect", "hang", "drop"
  deleted.log      one uid per line, appended when a deletion is committed (POP3 QUIT, IMAP EXPUNGE)
  port             the listening port, written once listening
Listens on 127.0.0.1 only, on a random port."""
import os, socket, socketserver, ssl, subprocess, threading, time

LOCK = threading.Lock()


class State:
    def __init__(self, root):
        self.root = root
        os.makedirs(os.path.join(root, "maildrop"), exist_ok=True)

    def path(self, *parts):
        return os.path.join(self.root, *parts)

    def mode(self):
        try:
            with open(self.path("mode")) as f:
                return f.read().split()
        except FileNotFoundError:
            return []

    def event(self, line):
        with LOCK, open(self.path("events.log"), "a") as f:
            f.write(line + "\n")

    def messages(self, key=None):
        """[(uid, bytes)] sorted by `key` of the file name."""
        names = sorted(os.listdir(self.path("maildrop")), key=key)
        out = []
        for n in names:
            with open(self.path("maildrop", n), "rb") as f:
                out.append((n, f.read()))
        return out

    def delete(self, uids):
        with LOCK:
            for uid in uids:
                try:
                    os.unlink(self.path("maildrop", uid))
                except FileNotFoundError:
                    continue
                with open(self.path("deleted.log"), "a") as f:
                    f.write(uid + "\n")


class Conn:
    """Line and byte reads over a socket that may be upgraded to TLS in the middle."""

    def __init__(self, sock):
        self.sock = sock
        self.buf = b""

    def send(self, data):
        self.sock.sendall(data)

    def line(self):
        while b"\r\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                return None
            self.buf += chunk
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def exact(self, n):
        while len(self.buf) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                return None
            self.buf += chunk
        data, self.buf = self.buf[:n], self.buf[n:]
        return data

    def start_tls(self, context):
        self.buf = b""
        self.sock = context.wrap_socket(self.sock, server_side=True)

    def hang(self):
        """Stops answering; returns when the client goes away (e.g. it was killed)."""
        try:
            while self.sock.recv(65536):
                pass
        except OSError:
            pass

    def drop(self):
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()


def tls_context(state):
    cert, key = state.path("cert.pem"), state.path("key.pem")
    if not os.path.exists(cert):
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                        "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=localhost",
                        "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
                       check=True, capture_output=True)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    return ctx


def serve(state, handle, lifetime=600):
    """Runs `handle(Conn)` for every connection, each in its own thread, until `lifetime` ends."""

    class Handler(socketserver.BaseRequestHandler):
        def handle(self):
            conn = Conn(self.request)
            state.event("connect")
            try:
                handle(conn)
            except (OSError, ssl.SSLError) as e:
                state.event("error " + type(e).__name__)

    class Server(socketserver.ThreadingTCPServer):
        daemon_threads = True
        allow_reuse_address = True

    server = Server(("127.0.0.1", 0), Handler)
    with open(state.path("port.tmp"), "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(state.path("port.tmp"), state.path("port"))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    from parent_watch import exit_with_parent
    exit_with_parent()
    time.sleep(lifetime)
