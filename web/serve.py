#!/usr/bin/env python3
"""Serves the web page's folder on localhost (what `make serve-web` runs).

    serve.py [--port P] [--host H] DIR      P = 0 picks a free port

Prints the URL on its first line once the socket is listening (the web test reads it). Adds
the two headers that make the page cross-origin isolated, so that performance.now() has
5 µs resolution instead of 100 µs in Chromium (the page times batches of steps with it),
and serves .wasm as application/wasm (streaming compilation needs that type)."""
import argparse
import functools
import http.server
import os
import sys


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".wasm": "application/wasm", ".js": "text/javascript"}

    def end_headers(self):
        self.send_header("Cross-Origin-Opener-Policy", "same-origin")
        self.send_header("Cross-Origin-Embedder-Policy", "require-corp")
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, fmt, *args):
        if os.environ.get("SS_SERVE_LOG"):
            super().log_message(fmt, *args)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, default=8000)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("dir")
    a = ap.parse_args()
    if not os.path.isfile(os.path.join(a.dir, "index.html")):
        sys.exit(f"serve.py: {a.dir}/index.html not found: build the page first (make web)")
    handler = functools.partial(Handler, directory=a.dir)
    try:
        httpd = http.server.ThreadingHTTPServer((a.host, a.port), handler)
    except OSError as e:
        sys.exit(f"serve.py: cannot listen on {a.host}:{a.port}: {e.strerror} (try PORT=0 for a free one)")
    print(f"http://{a.host}:{httpd.server_address[1]}/", flush=True)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
