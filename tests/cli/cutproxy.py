#!/usr/bin/env python3
"""A unix-socket proxy in front of PostgreSQL that loses a reply.

Usage: cutproxy.py LISTEN_DIR UPSTREAM_DIR PATTERN

Listens on LISTEN_DIR/.s.PGSQL.5432 and forwards each connection to
UPSTREAM_DIR/.s.PGSQL.5432. The first time a client sends bytes that
contain PATTERN (Python escapes allowed, e.g. 'COMMIT\\x00'), the proxy
passes those bytes on to the server, drops everything the server answers,
and closes both sides half a second later: the server has done the work,
the client never hears of it. Later connections pass through untouched.
"""
import os
import selectors
import socket
import sys
import time


def main():
    listen_dir, upstream_dir, pattern = sys.argv[1:4]
    pattern = pattern.encode().decode("unicode_escape").encode("latin-1")
    path = os.path.join(listen_dir, ".s.PGSQL.5432")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(16)
    sel = selectors.DefaultSelector()
    sel.register(server, selectors.EVENT_READ, None)
    peers = {}  # socket -> (its peer, "client" or "server")
    armed = True
    cut = {}  # client socket -> time to close it
    while True:
        now = time.monotonic()
        for c, when in list(cut.items()):
            if now >= when:
                for s in (c, peers[c][0]):
                    sel.unregister(s)
                    s.close()
                    peers.pop(s, None)
                del cut[c]
        for key, _ in sel.select(timeout=0.1):
            sock = key.fileobj
            if sock is server:
                client, _ = server.accept()
                upstream = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                upstream.connect(os.path.join(upstream_dir, ".s.PGSQL.5432"))
                peers[client] = (upstream, "client")
                peers[upstream] = (client, "server")
                sel.register(client, selectors.EVENT_READ, None)
                sel.register(upstream, selectors.EVENT_READ, None)
                continue
            if sock not in peers:
                continue
            peer, side = peers[sock]
            try:
                data = sock.recv(65536)
            except OSError:
                data = b""
            if not data:
                for s in (sock, peer):
                    sel.unregister(s)
                    s.close()
                    peers.pop(s, None)
                cut.pop(sock, None)
                cut.pop(peer, None)
                continue
            if side == "server" and peer in cut:
                continue  # the reply that gets lost
            peer.sendall(data)
            if side == "client" and armed and pattern in data:
                armed = False
                cut[sock] = time.monotonic() + 0.5


if __name__ == "__main__":
    main()
