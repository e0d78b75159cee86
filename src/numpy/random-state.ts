/**
 * numpy's legacy `RandomState`, as `np.random.seed(s); np.random.randn(...)` runs it: the MT19937
 * generator seeded by `init_genrand`, `legacy_double` for uniforms and `legacy_gauss` (Marsaglia's
 * polar method, the second value cached) for normals — numpy's
 * numpy/random/src/mt19937/mt19937.c and numpy/random/src/legacy/legacy-distributions.c. The polar
 * method calls the C library's `log`; we call glibcLog (glibc-log.ts) so that the bits match numpy's
 * on x86-64 Linux in every JavaScript engine.
 */
import { glibcLog } from "./glibc-log.js";

const MT_N = 624;
const MT_M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;

/** numpy's legacy RandomState: MT19937 seeded by init_genrand(seed), legacy_double, legacy_gauss (Marsaglia polar with cached second value). */
export class NumpyRandomState {
  private readonly key = new Uint32Array(MT_N);
  private pos = MT_N;
  private hasGauss = false;
  private cachedGauss = 0;

  /** As `np.random.seed(seed)` for an integer 0 … 2^32-1 (numpy's mt19937_seed, i.e. init_genrand). */
  constructor(seed: number) {
    const key = this.key;
    let s = seed >>> 0;
    for (let i = 0; i < MT_N; i++) {
      key[i] = s;
      // as numpy's mt19937_seed: seed = (1812433253UL * (seed ^ (seed >> 30)) + pos + 1) & 0xffffffff
      s = (Math.imul(1812433253, s ^ (s >>> 30)) + i + 1) >>> 0;
    }
    this.pos = MT_N;
    this.hasGauss = false; // as numpy's _reset_state_variables
    this.cachedGauss = 0;
  }

  /** Regenerates the 624 words of state, as numpy's mt19937_gen. */
  private generate(): void {
    const key = this.key;
    let kk = 0;
    let y: number;
    for (; kk < MT_N - MT_M; kk++) {
      y = (key[kk] & UPPER_MASK) | (key[kk + 1] & LOWER_MASK);
      key[kk] = key[kk + MT_M] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
    }
    for (; kk < MT_N - 1; kk++) {
      y = (key[kk] & UPPER_MASK) | (key[kk + 1] & LOWER_MASK);
      key[kk] = key[kk + (MT_M - MT_N)] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
    }
    y = (key[MT_N - 1] & UPPER_MASK) | (key[0] & LOWER_MASK);
    key[MT_N - 1] = key[MT_M - 1] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
    this.pos = 0;
  }

  /** The next 32-bit output, as numpy's mt19937_next (with MT19937's tempering). */
  nextUint32(): number {
    if (this.pos === MT_N) this.generate();
    let y = this.key[this.pos++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** A double in [0, 1) with 53 random bits, as numpy's legacy_double (mt19937_next_double). */
  nextDouble(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864.0 + b) / 9007199254740992.0;
  }

  /** A standard normal, as numpy's legacy_gauss (Marsaglia's polar method, second value cached). */
  gauss(): number {
    if (this.hasGauss) {
      this.hasGauss = false;
      return this.cachedGauss;
    }
    let x1: number;
    let x2: number;
    let r2: number;
    do {
      x1 = 2.0 * this.nextDouble() - 1.0;
      x2 = 2.0 * this.nextDouble() - 1.0;
      r2 = x1 * x1 + x2 * x2; // not fused in numpy's build (checked against the fixtures)
    } while (r2 >= 1.0 || r2 === 0.0);
    // Box-Muller transform; glibcLog so the bits match numpy's call to the C library's log.
    const f = Math.sqrt((-2.0 * glibcLog(r2)) / r2);
    this.cachedGauss = f * x1;
    this.hasGauss = true;
    return f * x2;
  }

  /**
   * Fills `out` with gauss() in order, as np.random.randn(*shape) fills its C-order array.
   * A Float32Array receives Math.fround of each float64 value.
   */
  fillRandn(out: Float64Array | Float32Array): void {
    for (let i = 0; i < out.length; i++) out[i] = this.gauss();
  }
}
