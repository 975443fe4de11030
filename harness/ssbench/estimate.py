"""The cost model of a run, from a short measured sample (calibration.json, written by
`python3 -m ssbench.calibrate`): how long each case takes, and the repetition lengths and step
counts a mode plans from what was measured.

    google-benchmark   a case of R repetitions at --benchmark_min_time t takes about
                       (1.4 R + 0.5) t + overhead: google-benchmark aims each repetition at 1.4 t
                       and first finds the iteration count (overhead: set-up and the check,
                       measured). RK4: t is planned per point (problem, n) from the variance
                       measured there: t = t0 (cv / CV_TARGET)^2, within the mode's range — the
                       noise of a mean over a repetition falls as 1/sqrt(t) — and rounded up to
                       a step of LADDER; every case of a point shares it, so the implementations
                       compared at a point are timed in one interleaved process.
    physics            a repetition is K steps (the same for every implementation and engine of
                       a scene and size, so they time the same work): K makes the fastest
                       repetition last the planned time (the same rule on the scene's variance);
                       the case takes R K (step time) plus the check's share.
    whole processes    steps chosen so that the fastest case of a point runs at least the mode's
                       min_seconds (per-step cost and start-up measured with ss-run).
    callgrind, builds, evidence, growth     measured seconds per case, build, level, MiB.

A case the calibration did not measure takes the nearest measured size's figures (scaled by n
for per-step costs); without calibration.json the defaults below are used and the dry run says
so.
"""
import json
import math
import os

CALIBRATION = os.path.join(os.path.dirname(os.path.abspath(__file__)), "calibration.json")
CV_TARGET = 0.01  # a repetition long enough that its noise is about 1 % (where the machine allows)
LADDER = [0.005, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 1.0]
REP_FACTOR, RAMP_FACTOR = 1.4, 0.5
DEFAULTS = {"gbench": {"overhead_s": 0.05}, "rk4": {"t0": 0.01, "cv": {}, "ns_per_step": {}},
            "physics": {"cv": {}, "rep0_s": {}, "step_s": {}, "prepare_s": {}},
            "process": {"step_s": {}, "startup_s": {}},
            "callgrind": {}, "builds": {"default": 40.0, "variant": 10.0}, "evidence": {"per_level_s": 70.0},
            "hyperfine_overhead_s": 0.3}
DEFAULT_CV = 0.02


def ladder_up(t):
    """The smallest step of LADDER at or above t (the largest if none)."""
    return next((x for x in LADDER if x >= t - 1e-12), LADDER[-1])


def nearest(table, prefix, n):
    """(value, its n) of table["<prefix>/<n'>"] for the measured n' nearest to n (in log), or None."""
    best = None
    for k, v in table.items():
        head, _, tail = k.rpartition("/")
        if head == prefix and tail.isdigit():
            d = abs(math.log(int(tail) / n))
            if best is None or d < best[0]:
                best = (d, v, int(tail))
    return (best[1], best[2]) if best else None


class Costs:
    def __init__(self, path=CALIBRATION):
        self.path = path
        try:
            with open(path) as f:
                self.cal = json.load(f)
            self.found = True
        except (OSError, ValueError):
            self.cal, self.found = {}, False
        for k, v in DEFAULTS.items():
            if isinstance(v, dict):
                self.cal[k] = {**v, **(self.cal.get(k) or {})}
            else:
                self.cal.setdefault(k, v)

    def about(self):
        """What meta.json and the dry run say about the calibration used."""
        if not self.found:
            return {"file": None, "note": f"{self.path} not found: default costs (python3 -m ssbench.calibrate)"}
        return {"file": os.path.basename(self.path), **(self.cal.get("measured") or {})}

    #~ google-benchmark

    def gbench_case_s(self, reps, min_time):
        return (REP_FACTOR * reps + RAMP_FACTOR) * min_time + self.cal["gbench"]["overhead_s"]

    def rk4_min_time(self, problem, n, bounds):
        """The --benchmark_min_time of an RK4 point: fixed (a number) or planned (a [lo, hi] range)."""
        if not isinstance(bounds, (list, tuple)):
            return bounds
        lo, hi = bounds
        r = self.cal["rk4"]
        got = nearest(r["cv"], problem, n)
        cv = got[0] if got else DEFAULT_CV
        t = r["t0"] * (cv / CV_TARGET) ** 2
        return min(max(ladder_up(t), lo), hi)

    #~ physics

    def physics_step_s(self, engine, scene, impl, n):
        got = nearest(self.cal["physics"]["step_s"], f"{engine}/{scene}/{impl}", n)
        if not got:
            return 2e-7 * (n * n / 8 if scene == "nbody" else n)
        v, m = got
        return v * ((n / m) ** 2 if scene == "nbody" else n / m)

    def physics_steps(self, scene, n, engines, impls, bounds, fixed=None):
        """K: the steps of a repetition at (scene, n), the same for every engine and implementation."""
        if fixed:
            return fixed
        lo, hi = bounds
        p = self.cal["physics"]
        got = nearest(p["cv"], scene, n)
        cv = got[0] if got else DEFAULT_CV
        rep0 = (nearest(p["rep0_s"], scene, n) or (0.01, n))[0]
        rep = min(max(rep0 * (cv / CV_TARGET) ** 2, lo), hi)
        fastest = min(self.physics_step_s(e, scene, i, n) for e in engines for i in impls)
        return max(2, math.ceil(rep / fastest))

    def physics_prepare_s(self, scene, n):
        got = nearest(self.cal["physics"]["prepare_s"], scene, n)
        return got[0] * max(1.0, n / got[1]) if got else 0.5

    def physics_case_s(self, engine, scene, impl, n, steps, reps):
        return reps * steps * self.physics_step_s(engine, scene, impl, n) + 0.01

    #~ whole processes

    def process_step_s(self, workload, what, n):
        """Seconds a step of `ss-run <workload>`: what is problem/impl (rk4) or engine/scene/impl."""
        got = nearest(self.cal["process"]["step_s"], f"{workload}/{what}", n)
        if got:
            v, m = got
            return v * ((n / m) ** 2 if "/nbody/" in f"/{what}/" else n / m)
        if workload == "physics":
            return self.physics_step_s(*what.split("/"), n)
        return 1e-8 * n if workload == "rk4" else 1e-9 * n

    def process_startup_s(self, workload, case, n):
        got = nearest(self.cal["process"]["startup_s"], f"{workload}/{case}", n)
        return got[0] if got else 0.01

    def process_steps(self, workload, case, n, whats, min_seconds):
        """Steps of a whole-process point: its fastest case runs min_seconds (with 20 % to spare)."""
        fastest = min(self.process_step_s(workload, w, n) for w in whats)
        need = 1.2 * min_seconds - self.process_startup_s(workload, case, n)
        return max(1, math.ceil(max(need, 0.2 * min_seconds) / fastest))

    def process_case_s(self, workload, what, case, n, steps, runs):
        wall = self.process_startup_s(workload, case, n) + steps * self.process_step_s(workload, what, n)
        return (runs + 1) * wall + self.cal["hyperfine_overhead_s"]

    #~ the rest

    def callgrind_s(self, name):
        return self.cal["callgrind"].get(name, 1.0)

    def build_s(self, variant):
        return self.cal["builds"]["default" if variant == "default" else "variant"]

    def evidence_s(self, levels):
        return self.cal["evidence"]["per_level_s"] * len(levels)
