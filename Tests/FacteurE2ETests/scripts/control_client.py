#!/usr/bin/env python3
"""An independent client of Facteur's control protocol (docs/control-protocol.md), for tests.

usage: control_client.py SOCKET hello-version N        -> prints the server's answer to a hello of version N
       control_client.py SOCKET command JSON            -> prints the reply to one command
       control_client.py SOCKET ban-many N              -> bans N addresses, pipelined, prints how many succeeded
"""
import json
import socket
import struct
import sys

from parent_watch import exit_with_parent

exit_with_parent()


def send(sock, obj):
    data = json.dumps(obj).encode()
    sock.sendall(struct.pack(">I", len(data)) + data)


def recv_exact(sock, n):
    buf = b""
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise EOFError("closed")
        buf += chunk
    return buf


def recv(sock):
    (n,) = struct.unpack(">I", recv_exact(sock, 4))
    return json.loads(recv_exact(sock, n))


def main():
    path, mode, arg = sys.argv[1], sys.argv[2], sys.argv[3]
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(path)
    sock.settimeout(20)
    hello = recv(sock)
    if "refused" in hello:
        print(json.dumps(hello))
        return
    print("server-hello", json.dumps(hello["hello"]["_0"]["version"]), hello["hello"]["_0"]["pid"])
    if mode == "hello-version":
        # The server may answer the hello with `refused` and close before the request is
        # written: a broken pipe then is part of the answer, not a failure of the client.
        try:
            send(sock, {"hello": {"_0": {"protocol": "facteur-control", "version": int(arg), "client": "python"}}})
            send(sock, {"request": {"id": 1, "command": {"status": {}}}})
        except (BrokenPipeError, ConnectionResetError):
            pass
        try:
            while True:
                print(json.dumps(recv(sock)))
        except (EOFError, ConnectionResetError, BrokenPipeError):
            print("closed")
        return
    send(sock, {"hello": {"_0": {"protocol": "facteur-control", "version": hello["hello"]["_0"]["version"], "client": "python"}}})
    if mode == "ban-many":
        # Pipelined, at most 16 unanswered (the server's limit per connection).
        n, sent, answered, ok = int(arg), 0, 0, 0
        while answered < n:
            while sent < n and sent - answered < 16:
                net = "10.%d.%d.%d" % (sent // 65536 % 256, sent // 256 % 256, sent % 256)
                send(sock, {"request": {"id": sent + 1, "command": {"ban": {"network": net, "permanent": False, "reason": "many"}}}})
                sent += 1
            m = recv(sock)
            if "reply" in m:
                answered += 1
                ok += 1 if m["reply"]["reply"]["ok"] else 0
        print("banned", ok)
        return
    if mode == "command":
        send(sock, {"request": {"id": 7, "command": json.loads(arg)}})
        while True:
            m = recv(sock)
            if "reply" in m:
                print(json.dumps(m["reply"]))
                return


if __name__ == "__main__":
    main()
