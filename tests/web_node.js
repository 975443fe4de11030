// The WebAssembly module under Node (the SINGLE_FILE build, phys-node.js): every scene in all
// three implementations and both engines gives the native runner's checksum (its default
// engine, loop: the array engine computes the same bits); each step's allocator calls are
// reported (none for stack, the same for bump and malloc, more in the array engine); bad input
// is refused with a message; the memory backend is what the page says (fixed regions work,
// OS-backed ones are refused with a reason).
//
//   node web_node.js PHYS_NODE_JS 'RUNNER [SUBCOMMAND]' [--native-steps-offset K]
//
// --native-steps-offset K runs the native side K steps further: every comparison must then
// fail (the mutant that shows the comparison can).
"use strict";
const { execFileSync } = require("child_process");

const [modulePath, nativeCmd, ...rest] = process.argv.slice(2);
if (!modulePath || !nativeCmd) {
  console.error("usage: node web_node.js PHYS_NODE_JS 'RUNNER [SUBCOMMAND]' [--native-steps-offset K]");
  process.exit(2);
}
const offset = rest[0] === "--native-steps-offset" ? Number(rest[1]) : 0;
const native = nativeCmd.split(" ").filter(Boolean);

let failed = 0;
function check(ok, what) {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failed++;
}

function nativeChecksum(impl, scene, n, steps, seed) {
  const args = [...native.slice(1), "--impl", impl, "--scene", scene, "-n", String(n), "--steps", String(steps),
    "--seed", String(seed), "--checksum", "--quiet"];
  const out = execFileSync(native[0], args, { encoding: "utf8" });
  const m = /^checksum ([0-9a-f]{16})$/m.exec(out);
  if (!m) throw new Error(`no checksum from ${native.join(" ")} ${args.join(" ")}: ${out}`);
  return m[1];
}

require(require("path").resolve(modulePath))().then((M) => {
  const create = M.cwrap("web_create", "number", ["string", "string", "string", "number", "number"]);
  const str = (p) => M.UTF8ToString(p);
  console.log(`module: ${str(M._web_build())}`);

  const cases = [
    ["rain", 256, 300, 1],
    ["billiards", 64, 400, 7],
    ["cloth", 256, 200, 1],
    ["nbody", 64, 200, 3],
    ["rain", 1000, 100, 2], // not a stack size: bump and malloc only
  ];
  for (const [scene, n, steps, seed] of cases) {
    const allocs = {};
    for (const engine of ["loop", "array"]) {
      for (const impl of ["bump", "malloc", "stack"]) {
        const h = create(impl, engine, scene, n, seed);
        if (!h) {
          const err = str(M._web_error());
          check(impl === "stack" && n === 1000 && /not built for n = 1000/.test(err),
            `${impl} ${engine} ${scene} n=${n}: refused: ${err}`);
          continue;
        }
        // Two calls, to show that batches do not change the result.
        M._web_run(h, Math.floor(steps / 3));
        M._web_run(h, steps - Math.floor(steps / 3));
        const got = str(M._web_checksum(h));
        const want = nativeChecksum(impl, scene, n, steps + offset, seed);
        check(M._web_steps(h) === steps && got === want,
          `${impl} ${engine} ${scene} n=${n} steps=${steps}: wasm ${got}, native ${want}`);
        allocs[`${impl} ${engine}`] = M._web_allocs(h);
        M._web_destroy(h);
      }
    }
    const a = (k) => allocs[k];
    check(a("bump loop") > 0 && a("bump loop") === a("malloc loop") && a("bump array") === a("malloc array") &&
      a("bump array") > a("bump loop") && (n === 1000 || (a("stack loop") === 0 && a("stack array") === 0)),
      `${scene} n=${n}: allocator calls in the last step: ${JSON.stringify(allocs)}`);
  }

  // Bad input gets a message naming it.
  for (const [impl, engine, scene, n, re] of [
    ["pool", "loop", "rain", 16, /unknown implementation 'pool'/],
    ["bump", "vector", "rain", 16, /unknown engine 'vector' \(loop, array\)/],
    ["bump", "array", "snow", 16, /unknown scene 'snow'/],
    ["bump", "loop", "rain", 0, /n = 0 is not in/],
  ]) {
    const h = create(impl, engine, scene, n, 1);
    check(h === 0 && re.test(str(M._web_error())),
      `refused ${impl} ${engine} ${scene} ${n}: ${str(M._web_error())}`);
  }

  // The memory backend: SS_REGION_FIXED works; reserve-all (2) and grow (3) are refused.
  check(str(M._web_region_probe(0)) === "ok", `fixed region: ${str(M._web_region_probe(0))}`);
  for (const kind of [2, 3]) {
    const why = str(M._web_region_probe(kind));
    check(/SIGSEGV handler.*(not implemented|not supported)/i.test(why), `region kind ${kind} refused: ${why}`);
  }

  console.log(`${failed ? failed + " failed" : "all passed"}`);
  process.exit(failed ? 1 : 0);
}, (e) => {
  console.error(`the module did not load: ${e}`);
  process.exit(2);
});
