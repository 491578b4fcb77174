#!/usr/bin/env python3
"""A server that answers every connection as PostgreSQL does while it starts
up: an ErrorResponse with SQLSTATE 57P03 ("the database system is starting
up"), which libpq's PQping (and pg_isready) report as "rejecting
connections". For tests/cli/wait.t.

Usage: startingup.py SOCKET_PATH SECONDS   (serves that long, then exits)
Prints a line for each connection it turned away.
"""
import os
import socket
import struct
import sys
import time


def error_response():
    fields = b"SFATAL\0VFATAL\0C57P03\0Mthe database system is starting up\0\0"
    return b"E" + struct.pack("!I", 4 + len(fields)) + fields


def main():
    path, seconds = sys.argv[1], float(sys.argv[2])
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(path)
    srv.listen(16)
    srv.settimeout(0.2)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            conn, _ = srv.accept()
        except socket.timeout:
            continue
        with conn:
            conn.settimeout(2)
            try:
                head = conn.recv(8)
                if len(head) == 8:
                    length = struct.unpack("!I", head[:4])[0]
                    rest = length - 8
                    while rest > 0:
                        chunk = conn.recv(min(rest, 4096))
                        if not chunk:
                            break
                        rest -= len(chunk)
                    conn.sendall(error_response())
                    print("rejected", flush=True)
            except OSError:
                pass
    srv.close()
    os.unlink(path)


if __name__ == "__main__":
    main()
