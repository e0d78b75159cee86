// node scripts/simd-peak.mjs: how fast this machine's engine runs 128-bit wasm multiplies and adds
// with nothing else in the way — the ceiling the products' rates are read against (README, The Gram
// form, measured). A loop of 12 independent chains, each a = a + a·m on an f64x2 (a multiply then an
// add, no memory, no FMA), compiled here from the AssemblyScript below; prints GFLOP/s and ns per
// two-lane multiply-add (median of 9 timings of 2·10⁷ iterations). Needs the dev dependencies.
import asc from "assemblyscript/asc";

const CHAINS = 12;
const names = Array.from({ length: CHAINS }, (_, i) => `a${i}`);
const source = `
export function muladd(n: i32): f64 {
  let ${names.map((a) => `${a} = f64x2.splat(1)`).join(", ")};
  const m = f64x2.splat(0.999999);
  for (let i = 0; i < n; i++) {
    ${names.map((a) => `${a} = f64x2.add(${a}, f64x2.mul(${a}, m));`).join(" ")}
  }
  const s = ${names.slice(1).reduce((sum, a) => `f64x2.add(${sum}, ${a})`, names[0])};
  return f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
}`;

const { binary, stderr } = await asc.compileString(source, { enable: ["simd"], optimizeLevel: 3, runtime: "stub" });
if (!binary) {
  console.error(`simd-peak: the loop did not compile\n${stderr.toString()}`);
  process.exit(1);
}
const { instance } = await WebAssembly.instantiate(binary, { env: { abort() {} } });
const muladd = instance.exports.muladd;
const n = 2e7;
muladd(1e6);
const times = [];
for (let s = 0; s < 9; s++) {
  const start = performance.now();
  muladd(n);
  times.push(performance.now() - start);
}
const ms = times.sort((a, b) => a - b)[4];
const madds = n * CHAINS;
console.log(`f64x2 multiply + add, ${CHAINS} chains: ${((madds * 4) / (ms / 1000) / 1e9).toFixed(1)} GFLOP/s, ${((ms * 1e6) / madds).toFixed(3)} ns per two-lane multiply-add`);
