// The page: one simulation per implementation, all in the engine chosen (loop or array),
// stepped in lockstep (every round gives each the same number of steps, in an order drawn at
// random), timed per batch by the module itself (engine only: drawing and bookkeeping are
// outside the timed call), drawn from linear memory.
//
// URL parameters fill the form: ?engine=array&scene=rain&n=1024&steps=600&seed=1&run=1 (run=1
// starts at once). When a run ends, window.physResults holds what the page shows (the web test
// reads it): {state: "done"|"error", engine, scene, n, steps, seed, build, message,
//        impls: {bump: {steps, seconds, steps_per_s, allocs, checksum, error}, ...}}.
"use strict";

const IMPLS = ["bump", "malloc", "stack"];
const ENGINES = ["loop", "array"];
const ROUND_MS = 12; // target engine time of one round (all implementations)
const DRAW_MS = 40; // at most this often
const LIVE_S = 0.5; // live steps/s: over the last half second of engine time
// V8 runs wasm first through its baseline compiler (Liftoff) and swaps in optimized code for
// hot functions later: a throwaway copy of each simulation runs this long before timing starts.
const WARM_S = 0.25;
const MAX_N = 1 << 20;
const $ = (id) => document.getElementById(id);

let M = null; // the module
let api = null;
let run = null; // the current run

window.physResults = { state: "loading" };

function setState(state) {
  document.body.dataset.state = state;
  window.physResults.state = state;
}

function showMessage(text) {
  const m = $("message");
  m.textContent = text;
  m.hidden = !text;
}

function makePanels() {
  const panels = $("panels");
  for (const impl of IMPLS) {
    const p = document.createElement("section");
    p.className = "impl";
    p.id = "panel-" + impl;
    p.innerHTML = `<h2>${impl}</h2>
      <canvas width="360" height="360"></canvas>
      <p class="error" hidden></p>
      <dl>
        <dt>steps</dt><dd class="steps">—</dd>
        <dt>steps/s (live)</dt><dd class="live">—</dd>
        <dt>steps/s (run)</dt><dd class="rate">—</dd>
        <dt>vs bump</dt><dd class="ratio">—</dd>
        <dt>contacts</dt><dd class="contacts">—</dd>
        <dt>allocations/step</dt><dd class="allocs">—</dd>
        <dt>checksum</dt><dd class="checksum">—</dd>
      </dl>`;
    panels.appendChild(p);
  }
}

function panel(impl, cls) {
  return $("panel-" + impl).querySelector(cls);
}

// Whole numbers only, in [lo, hi]; a clear message otherwise.
function parseCount(name, text, lo, hi) {
  const t = String(text).trim();
  if (!/^[0-9]+$/.test(t) || Number(t) < lo || Number(t) > hi)
    throw new Error(`${name}: '${text}' is not a whole number in [${lo}, ${hi}]`);
  return Number(t);
}

function readForm() {
  const engine = $("engine").value;
  if (!ENGINES.includes(engine)) throw new Error(`unknown engine '${engine}' (${ENGINES.join(", ")})`);
  const scene = $("scene").value;
  if (!["rain", "billiards", "cloth", "nbody"].includes(scene))
    throw new Error(`unknown scene '${scene}' (rain, billiards, cloth, nbody)`);
  return {
    engine,
    scene,
    n: parseCount("n", $("n").value, 1, MAX_N),
    steps: parseCount("steps", $("steps").value, 0, 100000000),
    seed: parseCount("seed", $("seed").value, 0, 4294967295),
  };
}

function stopRun(state) {
  if (!run) return;
  run.stopped = true;
  for (const s of run.sims) if (s.h) api.destroy(s.h);
  for (const w of run.warm || []) api.destroy(w.h);
  run = null;
  $("stop").disabled = true;
  if (state) setState(state);
}

function startRun() {
  stopRun(null);
  showMessage("");
  let cfg;
  try {
    cfg = readForm();
  } catch (e) {
    showMessage(e.message);
    window.physResults = { state: "error", message: e.message, impls: {} };
    setState("error");
    return;
  }
  const url = new URL(location.href);
  for (const [k, v] of Object.entries(cfg)) url.searchParams.set(k, v);
  history.replaceState(null, "", url);

  run = { cfg, sims: [], round: 0, k: 1, lastDraw: 0, stopped: false };
  const messages = [];
  for (const impl of IMPLS) {
    const s = { impl, h: 0, seconds: 0, recent: [], error: "" };
    for (const c of [".steps", ".live", ".rate", ".ratio", ".contacts", ".allocs", ".checksum"])
      panel(impl, c).textContent = "—";
    $("panel-" + impl).querySelector("h2").textContent = `${impl} (${cfg.engine} engine)`;
    const h = api.create(impl, cfg.engine, cfg.scene, cfg.n, cfg.seed);
    const err = panel(impl, ".error");
    if (!h) {
      s.error = M.UTF8ToString(api.error());
      messages.push(`${impl}: ${s.error}`);
      err.textContent = s.error;
      err.hidden = false;
      $("panel-" + impl).classList.add("failed");
      clear(panel(impl, "canvas"));
    } else {
      s.h = h;
      err.hidden = true;
      $("panel-" + impl).classList.remove("failed");
    }
    run.sims.push(s);
  }
  if (messages.length) showMessage(messages.join("; "));
  $("native").textContent =
    nativeCommand(cfg, cfg.steps || "S") + (cfg.steps ? "" : "   (S: the steps shown)");
  window.physResults = {
    state: "running",
    ...cfg,
    build: $("build").textContent,
    crossOriginIsolated: window.crossOriginIsolated,
    message: messages.join("; "),
    impls: {},
  };
  setState("running");
  $("stop").disabled = false;
  if (!run.sims.some((s) => s.h)) {
    finish();
    return;
  }
  // The warm-up copies: same scene, n and seed, discarded afterwards.
  run.warm = run.sims
    .filter((s) => s.h)
    .map((s) => ({ h: api.create(s.impl, cfg.engine, cfg.scene, cfg.n, cfg.seed), seconds: 0, k: 1 }))
    .filter((w) => w.h);
  $("ratios").textContent = "warming up (optimized code first, then the timed run)…";
  draw(true);
  setTimeout(tick, 0);
}

// Warm-up: each copy runs until it has WARM_S of engine time; true when all are done.
function warmUp(r) {
  const t0 = performance.now();
  while (performance.now() - t0 < DRAW_MS) {
    const todo = r.warm.filter((w) => w.seconds < WARM_S);
    if (!todo.length) break;
    for (const w of todo) {
      const secs = api.run(w.h, w.k);
      w.seconds += secs;
      w.k = Math.max(1, Math.min(4096, Math.round(Math.min(2 * w.k, (w.k * 0.004) / Math.max(secs, 1e-6)))));
    }
  }
  if (r.warm.some((w) => w.seconds < WARM_S)) return false;
  for (const w of r.warm) api.destroy(w.h);
  r.warm = null;
  return true;
}

// One tick: rounds until ~40 ms have passed, then draw and yield to the browser. An abort in
// the module (the malloc engine aborts when malloc fails) ends the run with its message; the
// module cannot be used after that.
function tick() {
  const r = run;
  if (!r || r.stopped) return;
  try {
    tickRounds(r);
  } catch (e) {
    const msg = `the module stopped: ${e.message || e} (out of linear memory? see the console); reload the page`;
    showMessage(msg);
    window.physResults = { ...window.physResults, state: "error", message: msg };
    run = null;
    $("stop").disabled = true;
    setState("error");
  }
}

function tickRounds(r) {
  if (r.warm && !warmUp(r)) {
    setTimeout(tick, 0);
    return;
  }
  const live = r.sims.filter((s) => s.h);
  const t0 = performance.now();
  while (performance.now() - t0 < DRAW_MS) {
    const done = api.steps(live[0].h);
    let k = r.k;
    if (r.cfg.steps) k = Math.min(k, r.cfg.steps - done);
    if (k <= 0) break;
    let roundS = 0;
    // Who goes first is drawn at random each round: the first after a yield (drawing, the
    // browser's own work) and the one after another's batch meet caches they did not warm;
    // a fixed rotation could line up with the rounds per tick and favour one of them.
    const first = Math.floor(Math.random() * live.length);
    for (let j = 0; j < live.length; j++) {
      const s = live[(first + j) % live.length];
      const secs = api.run(s.h, k);
      s.seconds += secs;
      s.recent.push([k, secs]);
      roundS += secs;
    }
    r.round++;
    // The next round's batch: aim at ROUND_MS of engine time for all of them together.
    const want = (r.k * (ROUND_MS / 1000)) / Math.max(roundS, 1e-6);
    r.k = Math.max(1, Math.min(4096, Math.round(Math.min(want, 2 * r.k))));
  }
  draw(false);
  const done = api.steps(live[0].h);
  if (r.cfg.steps && done >= r.cfg.steps) finish();
  else setTimeout(tick, 0);
}

function rateText(v) {
  return v >= 100 ? v.toFixed(0) : v.toFixed(1);
}

function liveRate(s) {
  // The newest batches covering LIVE_S of engine time.
  let steps = 0;
  let secs = 0;
  let i = s.recent.length - 1;
  for (; i >= 0 && secs < LIVE_S; i--) {
    steps += s.recent[i][0];
    secs += s.recent[i][1];
  }
  if (i > 64) s.recent.splice(0, i);
  return secs > 0 ? steps / secs : 0;
}

function stats() {
  const out = {};
  let base = 0;
  for (const s of run.sims) {
    if (!s.h) {
      out[s.impl] = { error: s.error };
      continue;
    }
    const steps = api.steps(s.h);
    const rate = s.seconds > 0 ? steps / s.seconds : 0;
    out[s.impl] = {
      steps,
      seconds: s.seconds,
      steps_per_s: rate,
      live: liveRate(s),
      contacts: api.contacts(s.h),
      allocs: api.allocs(s.h),
    };
    if (s.impl === "bump") base = rate;
  }
  for (const v of Object.values(out)) if (v.steps_per_s !== undefined) v.vs_bump = base > 0 ? v.steps_per_s / base : null;
  return out;
}

function showStats(st) {
  for (const impl of IMPLS) {
    const v = st[impl];
    if (!v || v.error) continue;
    panel(impl, ".steps").textContent = v.steps;
    panel(impl, ".live").textContent = rateText(v.live);
    panel(impl, ".rate").textContent = rateText(v.steps_per_s);
    panel(impl, ".ratio").textContent = v.vs_bump ? v.vs_bump.toFixed(3) + "×" : "—";
    panel(impl, ".contacts").textContent = v.contacts;
    panel(impl, ".allocs").textContent = v.allocs;
  }
  const parts = IMPLS.filter((i) => i !== "bump" && st[i] && !st[i].error && st.bump && !st.bump.error).map(
    (i) => `${i} / bump = ${st[i].vs_bump ? st[i].vs_bump.toFixed(3) : "—"}`,
  );
  $("ratios").textContent = parts.length
    ? `steps per second, relative to bump (same steps, same bits): ${parts.join(", ")}`
    : "—";
}

function finish() {
  const r = run;
  const st = stats();
  showStats(st);
  const sums = [];
  for (const s of r.sims) {
    if (!s.h) continue;
    const c = M.UTF8ToString(api.checksum(s.h));
    st[s.impl].checksum = c;
    sums.push(c);
    panel(s.impl, ".checksum").textContent = c;
  }
  const steps = r.sims.find((s) => s.h) ? st[r.sims.find((s) => s.h).impl].steps : 0;
  const agree = sums.length > 1 && sums.every((c) => c === sums[0]);
  const a = $("agreement");
  a.textContent = sums.length
    ? `checksum of the final positions after ${steps} steps: ` +
      (sums.length === 1 ? sums[0] : agree ? `${sums[0]}, the same in all ${sums.length}` : `they differ: ${sums.join(" ")}`)
    : "no implementation ran";
  a.className = sums.length > 1 ? (agree ? "agree" : "differ") : "";
  $("native").textContent = nativeCommand(r.cfg, steps);
  draw(true);
  window.physResults = { ...window.physResults, impls: st, steps_done: steps, agree };
  $("results").textContent = JSON.stringify(window.physResults, null, 1);
  stopRun(window.physResults.message && !sums.length ? "error" : "done");
}

// The native runner's command for the same checksum: both engines compute the loop engine's
// bits, so the runner's default engine gives it for either.
function nativeCommand(cfg, steps) {
  return (
    `ss-run physics --impl bump|malloc|stack --scene ${cfg.scene} -n ${cfg.n} --steps ${steps}` +
    ` --seed ${cfg.seed} --checksum` + (cfg.engine === "loop" ? "" : "   (either engine: the same bits)")
  );
}

function clear(canvas) {
  const g = canvas.getContext("2d");
  g.fillStyle = "#fbfbf8";
  g.fillRect(0, 0, canvas.width, canvas.height);
}

const HUES = 8;
function draw(force) {
  const now = performance.now();
  if (!force && now - run.lastDraw < DRAW_MS) return;
  run.lastDraw = now;
  const st = stats();
  showStats(st);
  for (const s of run.sims) if (s.h) drawSim(s);
}

function drawSim(s) {
  const canvas = panel(s.impl, "canvas");
  const g = canvas.getContext("2d");
  const n = api.n(s.h);
  const W = api.width(s.h);
  const H = api.height(s.h);
  const pad = 6;
  const scale = Math.min((canvas.width - 2 * pad) / W, (canvas.height - 2 * pad) / H);
  const ox = (canvas.width - W * scale) / 2;
  const oy = (canvas.height + H * scale) / 2; // y up
  clear(canvas);
  g.strokeStyle = "#888";
  g.lineWidth = 1;
  g.strokeRect(ox - 0.5, oy - H * scale - 0.5, W * scale + 1, H * scale + 1);
  // Views into linear memory, made afresh: memory.grow detaches the old buffer.
  const heap = M.HEAPF32;
  const x = heap.subarray(api.x(s.h) >> 2, (api.x(s.h) >> 2) + n);
  const y = heap.subarray(api.y(s.h) >> 2, (api.y(s.h) >> 2) + n);
  const rr = heap.subarray(api.r(s.h) >> 2, (api.r(s.h) >> 2) + n);
  for (let b = 0; b < HUES; b++) {
    g.fillStyle = `hsl(${(b * 360) / HUES}, 60%, 52%)`;
    g.beginPath();
    for (let i = b; i < n; i += HUES) {
      const px = ox + x[i] * scale;
      const py = oy - y[i] * scale;
      const pr = rr[i] * scale;
      if (pr < 1.2) {
        g.rect(px - 0.75, py - 0.75, 1.5, 1.5);
      } else {
        g.moveTo(px + pr, py);
        g.arc(px, py, pr, 0, 2 * Math.PI);
      }
    }
    g.fill();
  }
}

function fillFormFromUrl() {
  const q = new URLSearchParams(location.search);
  for (const k of ["engine", "scene", "n", "steps", "seed"]) if (q.has(k)) $(k).value = q.get(k);
  return q.get("run") === "1";
}

makePanels();
const auto = fillFormFromUrl();
$("controls").addEventListener("submit", (e) => {
  e.preventDefault();
  startRun();
});
$("stop").addEventListener("click", () => {
  if (run) finish();
});

createPhys()
  .then((mod) => {
    M = mod;
    api = {
      create: M.cwrap("web_create", "number", ["string", "string", "string", "number", "number"]),
      run: M._web_run,
      steps: M._web_steps,
      n: M._web_n,
      x: M._web_x,
      y: M._web_y,
      r: M._web_r,
      width: M._web_width,
      height: M._web_height,
      contacts: M._web_contacts,
      allocs: M._web_allocs,
      checksum: M._web_checksum,
      destroy: M._web_destroy,
      error: M._web_error,
    };
    $("build").textContent = M.UTF8ToString(M._web_build());
    const sizes = M.UTF8ToString(M._web_stack_sizes()).split(" ");
    for (const v of sizes) {
      const o = document.createElement("option");
      o.value = v;
      $("sizes").appendChild(o);
    }
    $("n").title = `any n for bump and malloc; the stack build exists for n in ${sizes.join(", ")}`;
    setState("ready");
  })
  .then(
    () => {
      if (auto) startRun();
    },
    (e) => {
      showMessage("the WebAssembly module did not load: " + e);
      window.physResults = { state: "error", message: String(e), impls: {} };
      setState("error");
    },
  );
