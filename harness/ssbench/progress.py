"""The progress line: `[k/N] what (elapsed, about … left)`, one updating line on a terminal,
plain lines in CI."""
import os
import sys
import time


class Progress:
    def __init__(self, total_jobs, estimate_s, stream=sys.stdout):
        self.total, self.k, self.t0, self.est = total_jobs, 0, time.monotonic(), estimate_s
        self.stream, self.tty = stream, stream.isatty() and os.environ.get("CI") is None

    def start(self, what):
        self.k += 1
        el = time.monotonic() - self.t0
        left = max(self.est - el, 0)
        line = f"[{self.k}/{self.total}] {what}  (elapsed {fmt_s(el)}, about {fmt_s(left)} left)"
        if self.tty:
            self.stream.write("\r\033[K" + line)
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def note(self, msg):
        self.stream.write(("\r\033[K" if self.tty else "") + msg + "\n")
        self.stream.flush()

    def done(self):
        if self.tty:
            self.stream.write("\n")


def fmt_s(s):
    s = int(s)
    return f"{s // 60}m{s % 60:02d}s" if s >= 60 else f"{s}s"
