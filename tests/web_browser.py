#!/usr/bin/env python3
"""The web page in a real browser: serve it, open it in headless Chromium, run a scene for a
fixed number of steps in each implementation, read the checksums and steps/s from the page,
compare the checksums with the native runner, save a screenshot; then choose the array engine
in the form, run again, and compare again (both engines compute the same bits, the native
runner's default engine's).

    web_browser.py --web DIR --native 'RUNNER [SUBCOMMAND]' --out DIR [--scene rain] [-n 1024]
                   [--steps 600] [--array-steps 200] [--chromium /usr/bin/chromium]

Chromium is driven through the DevTools protocol over a pipe (--remote-debugging-pipe: fd 3
in, fd 4 out, NUL-separated JSON), so nothing beyond Python's standard library is needed and
the page runs in real time (--dump-dom and --screenshot act at the load event, before the
module has run; --virtual-time-budget would make performance.now() virtual).
Exit 0 all good, 1 a check failed, 2 the harness could not run."""
import argparse
import base64
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
import time

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
    "--disable-default-apps", "--disable-extensions", "--mute-audio", "--window-size=1240,1000", *os.environ.get("SS_CHROMIUM_EXTRA", "").split(),
]


def die(code, msg):
    print(f"web_browser: {msg}", file=sys.stderr, flush=True)
    sys.exit(code)


class Browser:
    def __init__(self, chromium, profile):
        cmd_r, self.wr = os.pipe()  # we write, Chromium reads on fd 3
        self.rd, cmd_w = os.pipe()  # Chromium writes on fd 4
        os.set_inheritable(cmd_r, True)
        os.set_inheritable(cmd_w, True)
        self.log = open(os.path.join(profile, "chromium.log"), "w")

        def fds():  # in the child; copies first, in case the pipe's ends are 3 or 4 already
            r, w = os.dup(cmd_r), os.dup(cmd_w)
            os.dup2(r, 3)
            os.dup2(w, 4)

        # pass_fds keeps 3 and 4 open through the close that follows preexec_fn.
        self.proc = subprocess.Popen(
            [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--remote-debugging-pipe", "about:blank"],
            preexec_fn=fds, pass_fds=(3, 4), stdout=self.log, stderr=self.log)
        os.close(cmd_r)
        os.close(cmd_w)
        self.buf = b""
        self.next_id = 0
        self.session = None

    def send(self, method, params=None, session=True, timeout=30):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            msg["sessionId"] = self.session
        os.write(self.wr, json.dumps(msg).encode() + b"\0")
        deadline = time.time() + timeout
        while True:
            while b"\0" not in self.buf:
                if time.time() > deadline:
                    raise TimeoutError(f"no answer to {method} within {timeout} s")
                chunk = os.read(self.rd, 1 << 20)
                if not chunk:
                    raise RuntimeError(f"Chromium closed the pipe (exit {self.proc.poll()}); see chromium.log")
                self.buf += chunk
            raw, self.buf = self.buf.split(b"\0", 1)
            reply = json.loads(raw)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply["result"]

    def open(self, url):
        target = self.send("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True},
                                 session=False)["sessionId"]
        self.send("Page.enable")
        self.send("Runtime.enable")
        self.navigate(url)

    def navigate(self, url):
        self.send("Page.navigate", {"url": url})

    def eval(self, expr):
        r = self.send("Runtime.evaluate", {"expression": expr, "returnByValue": True})
        if "exceptionDetails" in r:
            raise RuntimeError(f"page: {expr}: {r['exceptionDetails'].get('text')}")
        return r["result"].get("value")

    def wait_for(self, expr, timeout):
        deadline = time.time() + timeout
        last = ""
        while time.time() < deadline:
            try:
                v = self.eval(expr)
            except RuntimeError as e:  # the page is between documents
                v, last = None, f" (last: {e})"
            if v:
                return v
            time.sleep(0.1)
        raise TimeoutError(f"the page did not reach `{expr}` within {timeout} s{last}")

    def screenshot(self, path):
        data = self.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))

    def close(self):
        try:
            self.send("Browser.close", session=False, timeout=5)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


def native_checksum(native, impl, scene, n, steps, seed):
    cmd = [*native, "--impl", impl, "--scene", scene, "-n", str(n), "--steps", str(steps), "--seed", str(seed),
           "--checksum"]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    m = re.search(r"^checksum ([0-9a-f]{16})$", p.stdout, re.M)
    if p.returncode != 0 or not m:
        die(2, f"native runner failed ({p.returncode}): {shlex.join(cmd)}\n{p.stdout}{p.stderr}")
    rate = re.search(r"steps_per_s=([0-9.]+)", p.stdout)
    return m.group(1), float(rate.group(1)) if rate else None


def check_run(native, a, res, steps, failures):
    """A finished run on the page (res: window.physResults) against the native runner: each
    implementation's checksum after `steps` steps equals the native one (both engines compute
    the native runner's bits) and differs from the one a step later, and the page shows a
    steps/s figure. Returns each implementation's allocator calls per step, as the page shows
    them."""
    engine = res.get("engine")
    if res.get("state") != "done":
        failures.append(f"{engine} engine: the page ended in state {res.get('state')}: {res.get('message')}")
    impls, allocs = res.get("impls", {}), {}
    for impl in ("bump", "malloc", "stack"):
        v = impls.get(impl) or {}
        if v.get("error"):
            failures.append(f"{impl} {engine}: the page says: {v['error']}")
            continue
        want, native_rate = native_checksum(native, impl, a.scene, a.n, steps, a.seed)
        got = v.get("checksum")
        # The comparison can fail: one step more natively gives another checksum.
        other, _ = native_checksum(native, impl, a.scene, a.n, steps + 1, a.seed)
        if other == got:
            failures.append(f"{impl} {engine}: the page's checksum equals the native one after {steps + 1} steps too")
        ok = got == want and v.get("steps") == steps
        allocs[impl] = v.get("allocs")
        print(f"{impl:6} {engine:5} page: steps={v.get('steps')} steps/s={v.get('steps_per_s', 0):.1f} "
              f"vs bump={v.get('vs_bump') or 0:.3f} allocs/step={allocs[impl]} checksum={got}   "
              f"native: checksum={want} steps/s={native_rate}   {'ok' if ok else 'MISMATCH'}")
        if not ok:
            failures.append(f"{impl} {engine}: page checksum {got} after {v.get('steps')} steps, native {want}")
        if not (isinstance(v.get("steps_per_s"), (int, float)) and v["steps_per_s"] > 0):
            failures.append(f"{impl} {engine}: no steps/s figure on the page ({v.get('steps_per_s')})")
    return allocs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--web", required=True, help="the built page (build/web)")
    ap.add_argument("--native", required=True, help="the native runner, e.g. 'ss-run physics'")
    ap.add_argument("--out", required=True, help="where the screenshots go")
    ap.add_argument("--scene", default="rain")
    ap.add_argument("-n", type=int, default=1024)
    ap.add_argument("--steps", type=int, default=600)
    ap.add_argument("--array-steps", type=int, default=200, help="steps of the array engine's run")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--chromium", default="/usr/bin/chromium")
    ap.add_argument("--timeout", type=float, default=60)
    a = ap.parse_args()
    native = shlex.split(a.native)
    here = os.path.dirname(os.path.abspath(__file__))
    serve = os.path.join(here, "..", "web", "serve.py")

    server = subprocess.Popen([sys.executable, serve, "--port", "0", a.web], stdout=subprocess.PIPE, text=True)
    line = server.stdout.readline().strip()
    if not line.startswith("http://"):
        server.kill()
        die(2, f"the server did not start: {line!r}")
    base = line
    print(f"server: {base}", flush=True)
    failures = []
    profile = tempfile.mkdtemp(prefix="ss-web-chromium-")
    browser = Browser(a.chromium, profile)
    try:
        t0 = time.time()
        query = f"?scene={a.scene}&n={a.n}&steps={a.steps}&seed={a.seed}&run=1"
        browser.open(base + query)
        browser.wait_for("['done','error'].includes(document.body && document.body.dataset.state)", a.timeout)
        res = browser.eval("window.physResults")
        shot = os.path.join(a.out, f"web_{a.scene}_{a.n}.png")
        browser.screenshot(shot)
        print(f"page ran {a.scene} n={a.n} steps={a.steps} in {time.time() - t0:.1f} s "
              f"(crossOriginIsolated={res.get('crossOriginIsolated')}); screenshot: {shot}")
        print(f"page build: {res.get('build')}")
        loop_allocs = check_run(native, a, res, a.steps, failures)
        shown = browser.eval("document.getElementById('agreement').textContent")
        print(f"page: {shown}")
        if not re.search(r"the same in all 3", shown or ""):
            failures.append(f"the page does not show three equal checksums: {shown!r}")
        if res.get("engine") != "loop":
            failures.append(f"the page's default engine is {res.get('engine')!r}, not loop")

        # The engine chooser, as a user works it: choose array and fewer steps in the form, Run.
        browser.eval("(() => { document.getElementById('engine').value = 'array';"
                     f" document.getElementById('steps').value = '{a.array_steps}';"
                     " document.getElementById('run').click(); })()")
        browser.wait_for("['done','error'].includes(document.body && document.body.dataset.state)"
                         " && window.physResults.engine === 'array'", a.timeout)
        res = browser.eval("window.physResults")
        url = browser.eval("location.search")
        browser.screenshot(os.path.join(a.out, f"web_{a.scene}_{a.n}_array.png"))
        print(f"page with the array engine chosen: {url}")
        if "engine=array" not in (url or ""):
            failures.append(f"the chosen engine is not in the page's URL: {url!r}")
        allocs = check_run(native, a, res, a.array_steps, failures)
        if not (allocs.get("stack") == 0 and loop_allocs.get("stack") == 0
                and isinstance(allocs.get("bump"), (int, float)) and isinstance(loop_allocs.get("bump"), (int, float))
                and allocs["bump"] > loop_allocs["bump"] > 0 and allocs.get("malloc") == allocs["bump"]):
            failures.append(f"allocations per step on the page: array {allocs}, loop {loop_allocs}")

        # Bad input: an n the stack build was not made for gets a visible message, and the
        # other two still run.
        bad_n = 100
        browser.navigate(base + f"?scene={a.scene}&n={bad_n}&steps=10&seed={a.seed}&run=1")
        browser.wait_for("['done','error'].includes(document.body && document.body.dataset.state)"
                         " && window.physResults.n === %d" % bad_n, a.timeout)
        msg = browser.eval("(() => { const m = document.getElementById('message');"
                           " return m.hidden ? '' : m.textContent; })()")
        res = browser.eval("window.physResults")
        browser.screenshot(os.path.join(a.out, f"web_stack_n{bad_n}.png"))
        print(f"page with n={bad_n}: message: {msg!r}")
        if f"not built for n = {bad_n}" not in (msg or ""):
            failures.append(f"n = {bad_n}: no visible message that the stack build lacks it (got {msg!r})")
        for impl in ("bump", "malloc"):
            if (res.get("impls", {}).get(impl) or {}).get("steps") != 10:
                failures.append(f"n = {bad_n}: {impl} did not run its 10 steps")
    except (TimeoutError, RuntimeError, OSError) as e:
        failures.append(str(e))
        try:
            browser.screenshot(os.path.join(a.out, "web_failure.png"))
        except Exception:
            pass
    finally:
        browser.close()
        server.terminate()
        server.wait()
    if failures:
        for f in failures:
            print(f"FAIL: {f}", file=sys.stderr)
        print(f"(Chromium's log: {profile}/chromium.log)", file=sys.stderr)
        return 1
    subprocess.run(["rm", "-rf", profile])
    print("web_browser: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
