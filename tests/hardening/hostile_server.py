#!/usr/bin/env python3
"""A web server that answers badly on purpose, on 127.0.0.1.

Prints its port on stdout (--port, or any free one), then answers each request by its path:
  /headers_cut        "HTTP/1.1 200 OK\\r\\nContent-Le", then closes (cut inside the headers)
  /status_only        the status line alone, then closes
  /gzip_whole_MODE    a complete gzip body of 5,000 bytes decoded
  /gzip_cut_MODE      the same with the end of the deflate stream (and the gzip trailer) cut off
  /gzip_badcrc_MODE   the whole stream with a wrong CRC
MODE says how the body is framed: length (Content-Length), chunked, or close (ends at close).
Anything else is a plain 200 with "hello". It ends by itself after --lifetime seconds.
"""
import argparse
import gzip
import socket
import sys
import threading
import time

BODY = bytes((i * 7 + i // 13) % 251 for i in range(5000))


def gzip_body(kind):
    whole = gzip.compress(BODY, mtime=0)
    if kind == "whole":
        return whole
    if kind == "cut":
        # Drop the 8-byte trailer (CRC, size) and the last bytes of the deflate data.
        return whole[: len(whole) - 8 - 6]
    if kind == "badcrc":
        return whole[:-8] + bytes(b ^ 0xFF for b in whole[-8:-4]) + whole[-4:]
    raise ValueError(kind)


def answer(path):
    if path == "/headers_cut":
        return b"HTTP/1.1 200 OK\r\nContent-Le"
    if path == "/status_only":
        return b"HTTP/1.1 200 OK\r\n"
    parts = path.strip("/").split("_")
    if len(parts) == 3 and parts[0] == "gzip":
        body = gzip_body(parts[1])
        head = "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Encoding: gzip\r\n"
        if parts[2] == "length":
            return (head + "Content-Length: %d\r\n\r\n" % len(body)).encode() + body
        if parts[2] == "chunked":
            chunks = b"".join(b"%x\r\n" % len(body[i:i + 700]) + body[i:i + 700] + b"\r\n"
                              for i in range(0, len(body), 700))
            return (head + "Transfer-Encoding: chunked\r\n\r\n").encode() + chunks + b"0\r\n\r\n"
        if parts[2] == "close":
            return (head + "Connection: close\r\n\r\n").encode() + body
    return b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello"


def serve(conn):
    with conn:
        conn.settimeout(10)
        data = b""
        try:
            while b"\r\n\r\n" not in data and len(data) < 65536:
                piece = conn.recv(4096)
                if not piece:
                    return
                data += piece
            target = data.split(b" ", 2)[1].decode("latin-1")
            conn.sendall(answer(target.split("?")[0]))
        except (OSError, IndexError):
            pass
        # Always close after one answer: a cut response must end with the connection.


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lifetime", type=float, default=300, help="seconds until it ends by itself")
    parser.add_argument("--port", type=int, default=0, help="default: any free port")
    args = parser.parse_args()
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", args.port))
    listener.listen(128)
    listener.settimeout(1)
    print(listener.getsockname()[1], flush=True)
    end = time.monotonic() + args.lifetime
    while time.monotonic() < end:
        try:
            conn, _ = listener.accept()
        except socket.timeout:
            continue
        threading.Thread(target=serve, args=(conn,), daemon=True).start()
    return 0


if __name__ == "__main__":
    sys.exit(main())
