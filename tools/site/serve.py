#!/usr/bin/env python3
"""Serve the built site on 127.0.0.1 (only this machine can reach it) until Ctrl-C.

usage: serve.py SITE_DIR [--port N] [--log FILE]   (default port 8000, or a free one if 8000 is
       taken; --port 0 always picks a free one; --log writes "STATUS PATH" for each request, which
       the site's test reads to see that every file a browser asked for was there)

Prints the URL as its first line of output ("serving SITE_DIR at http://127.0.0.1:PORT/"), so
a test can start it on a free port and read where it is. The first Ctrl-C (SIGINT) or SIGTERM
stops it; a second Ctrl-C ends the process at once, whatever it was doing. Standard library only.
"""
import argparse
import functools
import http.server
import os
import signal
import sys


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    log_file = None

    def log_message(self, format, *args):  # one line per request would bury the URL
        pass

    def log_request(self, code="-", size="-"):
        if self.log_file is not None:
            print(f"{int(code)} {self.path}", file=self.log_file, flush=True)


def stop(signum, frame):
    # From here on the default action applies: a second Ctrl-C kills the process even if the
    # shutdown below were stuck.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    raise KeyboardInterrupt


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("site_dir")
    parser.add_argument("--port", type=int, default=None)
    parser.add_argument("--log", default=None)
    args = parser.parse_args()
    if not os.path.isfile(os.path.join(args.site_dir, "index.html")):
        print(f"serve.py: {args.site_dir}: no index.html (build the site first: ./tour.sh docs --build)",
              file=sys.stderr)
        return 2
    if args.log is not None:
        QuietHandler.log_file = open(args.log, "a", encoding="utf-8")
    handler = functools.partial(QuietHandler, directory=args.site_dir)
    ports = [args.port] if args.port is not None else [8000, 0]
    server = None
    for port in ports:
        try:
            server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
            break
        except OSError as error:
            if port == ports[-1]:
                print(f"serve.py: cannot listen on 127.0.0.1:{port}: {error.strerror}", file=sys.stderr)
                return 1
    server.daemon_threads = True
    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    print(f"serving {args.site_dir} at http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C stops)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    print("stopped", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
