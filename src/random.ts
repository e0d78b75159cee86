/**
 * numpy-identical normal random numbers in plain TypeScript.
 *
 * `np.random.seed(s); np.random.randn(...)` uses numpy's legacy `RandomState`: the MT19937 generator
 * seeded by `init_genrand`, `legacy_double` for uniforms and `legacy_gauss` (Marsaglia's polar
 * method) for normals. The polar method calls the C library's `log`; on x86-64 Linux that is glibc's
 * table-driven `log` (glibc 2.28+, from ARM's optimized-routines) in its FMA variant. JavaScript's
 * `Math.log` is a different function (and differs between engines), so `glibcLog` below re-implements
 * glibc's algorithm in plain double arithmetic, emulating each fused multiply-add exactly. IEEE
 * add/sub/mul/div/sqrt are correctly rounded in every JavaScript engine, so the result is the same
 * everywhere and bit-identical with numpy on x86-64 Linux.
 */

// ---------------------------------------------------------------------------------------------
// Bit access to doubles
// ---------------------------------------------------------------------------------------------

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
/** Index of the high (sign/exponent) 32-bit word of a double in `u32`: 1 on little-endian machines. */
const HI = (() => {
  f64[0] = 1; // 0x3ff00000_00000000
  return u32[1] === 0x3ff00000 ? 1 : 0;
})();
const LO = 1 - HI;

/** A double from its 64 bits given as high and low 32-bit words. */
function fromWords(hi: number, lo: number): number {
  u32[HI] = hi;
  u32[LO] = lo;
  return f64[0];
}

/** 2^e for -1022 <= e <= 1023, built from its bits (exact, unlike trusting Math.pow). */
function pow2(e: number): number {
  return fromWords((e + 1023) << 20, 0);
}

/** Parses a C hexadecimal float literal such as "-0x1.5555555555577p-2" exactly. */
function hexFloat(literal: string): number {
  const m = /^(-?)0x([01])(?:\.([0-9a-f]*))?p([+-]?\d+)$/i.exec(literal);
  if (m === null) throw new Error(`bad hex float literal ${literal}`);
  const digits = m[3] ?? "";
  const mantissa = parseInt(m[2] + digits, 16); // <= 53 bits: exact
  const value = mantissa * pow2(Number(m[4]) - 4 * digits.length); // scaling by 2^n: exact
  return m[1] === "-" ? -value : value;
}

// ---------------------------------------------------------------------------------------------
// Exact fused multiply-add (fma(a, b, c) = a*b + c with one rounding)
// ---------------------------------------------------------------------------------------------
// Boldo & Melquiond, "Emulation of FMA and correctly rounded sums: proved algorithms using rounding
// to odd", IEEE Trans. Computers 57(4), 2008, Algorithm 5: with a*b = uh + ul exactly (Dekker) and
// c + uh = th + tl exactly (Knuth's TwoSum), fma(a, b, c) = RN(th + RO(tl + ul)), where RO is
// rounding to odd. Valid while nothing overflows or underflows, which holds for every call in
// glibcLog (all operands are far from 2^±1022).

/** Veltkamp's splitter for doubles: 2^27 + 1. */
const SPLITTER = 134217729;

/** Rounds the exact sum a + b to odd: RN(a + b) if exact, else the neighbour with an odd last bit. */
function addRoundToOdd(a: number, b: number): number {
  const s = a + b;
  // TwoSum: s + err == a + b exactly.
  const bv = s - a;
  const err = a - (s - bv) + (b - bv);
  if (err === 0) return s;
  f64[0] = s;
  if ((u32[LO] & 1) === 1) return s; // already odd: RO(a + b) == s
  // s is even and inexact: the odd neighbour on err's side is one ulp away from s.
  const awayFromZero = err > 0 === s > 0;
  let lo = u32[LO];
  let hi = u32[HI];
  if (awayFromZero) {
    lo = (lo + 1) >>> 0;
    if (lo === 0) hi = (hi + 1) >>> 0;
  } else {
    if (lo === 0) hi = (hi - 1) >>> 0;
    lo = (lo - 1) >>> 0;
  }
  return fromWords(hi, lo);
}

/** fma(a, b, c): a*b + c rounded once to nearest-even, as the x86-64 `vfmadd` instructions do. */
function fma(a: number, b: number, c: number): number {
  // Dekker's TwoProduct: uh + ul == a*b exactly.
  const uh = a * b;
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  const ul = ah * bh - uh + ah * bl + al * bh + al * bl;
  // TwoSum: th + tl == c + uh exactly.
  const th = c + uh;
  const bv = th - c;
  const tl = c - (th - bv) + (uh - bv);
  return th + addRoundToOdd(tl, ul);
}

// ---------------------------------------------------------------------------------------------
// glibc's log (sysdeps/ieee754/dbl-64/e_log.c and e_log_data.c, glibc 2.28+, from ARM's
// optimized-routines math/log.c: LOG_TABLE_BITS = 7, LOG_POLY_ORDER = 6, LOG_POLY1_ORDER = 12)
// ---------------------------------------------------------------------------------------------

/** ln2hi, ln2lo, as glibc's e_log_data.c. */
const LN2HI = hexFloat("0x1.62e42fefa3800p-1");
const LN2LO = hexFloat("0x1.ef35793c76730p-45");

/** poly1 (B) for inputs close to 1.0, as glibc's e_log_data.c (LOG_POLY1_ORDER == 12). */
const B = [
  "-0x1p-1",
  "0x1.5555555555577p-2",
  "-0x1.ffffffffffdcbp-3",
  "0x1.999999995dd0cp-3",
  "-0x1.55555556745a7p-3",
  "0x1.24924a344de3p-3",
  "-0x1.fffffa4423d65p-4",
  "0x1.c7184282ad6cap-4",
  "-0x1.999eb43b068ffp-4",
  "0x1.78182f7afd085p-4",
  "-0x1.5521375d145cdp-4",
].map(hexFloat);
const [B0, B1, B2, B3, B4, B5, B6, B7, B8, B9, B10] = B;

/** poly (A), as glibc's e_log_data.c (N == 128 && LOG_POLY_ORDER == 6). */
const A = [
  "-0x1.0000000000001p-1",
  "0x1.555555551305bp-2",
  "-0x1.fffffffeb459p-3",
  "0x1.999b324f10111p-3",
  "-0x1.55575e506c89fp-3",
].map(hexFloat);
const [A0, A1, A2, A3, A4] = A;

/**
 * tab[i] = {invc, logc}, as glibc's e_log_data.c (N == 128). glibc's tab2 (chi, clo) is only used
 * when there is no fast fma (`#ifndef __FP_FAST_FMA`); the FMA variant numpy runs does not read it.
 */
const TAB_HEX = `
0x1.734f0c3e0de9fp+0 -0x1.7cc7f79e69000p-2
0x1.713786a2ce91fp+0 -0x1.76feec20d0000p-2
0x1.6f26008fab5a0p+0 -0x1.713e31351e000p-2
0x1.6d1a61f138c7dp+0 -0x1.6b85b38287800p-2
0x1.6b1490bc5b4d1p+0 -0x1.65d5590807800p-2
0x1.69147332f0cbap+0 -0x1.602d076180000p-2
0x1.6719f18224223p+0 -0x1.5a8ca86909000p-2
0x1.6524f99a51ed9p+0 -0x1.54f4356035000p-2
0x1.63356aa8f24c4p+0 -0x1.4f637c36b4000p-2
0x1.614b36b9ddc14p+0 -0x1.49da7fda85000p-2
0x1.5f66452c65c4cp+0 -0x1.445923989a800p-2
0x1.5d867b5912c4fp+0 -0x1.3edf439b0b800p-2
0x1.5babccb5b90dep+0 -0x1.396ce448f7000p-2
0x1.59d61f2d91a78p+0 -0x1.3401e17bda000p-2
0x1.5805612465687p+0 -0x1.2e9e2ef468000p-2
0x1.56397cee76bd3p+0 -0x1.2941b3830e000p-2
0x1.54725e2a77f93p+0 -0x1.23ec58cda8800p-2
0x1.52aff42064583p+0 -0x1.1e9e129279000p-2
0x1.50f22dbb2bddfp+0 -0x1.1956d2b48f800p-2
0x1.4f38f4734ded7p+0 -0x1.141679ab9f800p-2
0x1.4d843cfde2840p+0 -0x1.0edd094ef9800p-2
0x1.4bd3ec078a3c8p+0 -0x1.09aa518db1000p-2
0x1.4a27fc3e0258ap+0 -0x1.047e65263b800p-2
0x1.4880524d48434p+0 -0x1.feb224586f000p-3
0x1.46dce1b192d0bp+0 -0x1.f474a7517b000p-3
0x1.453d9d3391854p+0 -0x1.ea4443d103000p-3
0x1.43a2744b4845ap+0 -0x1.e020d44e9b000p-3
0x1.420b54115f8fbp+0 -0x1.d60a22977f000p-3
0x1.40782da3ef4b1p+0 -0x1.cc00104959000p-3
0x1.3ee8f5d57fe8fp+0 -0x1.c202956891000p-3
0x1.3d5d9a00b4ce9p+0 -0x1.b81178d811000p-3
0x1.3bd60c010c12bp+0 -0x1.ae2c9ccd3d000p-3
0x1.3a5242b75dab8p+0 -0x1.a45402e129000p-3
0x1.38d22cd9fd002p+0 -0x1.9a877681df000p-3
0x1.3755bc5847a1cp+0 -0x1.90c6d69483000p-3
0x1.35dce49ad36e2p+0 -0x1.87120a645c000p-3
0x1.34679984dd440p+0 -0x1.7d68fb4143000p-3
0x1.32f5cceffcb24p+0 -0x1.73cb83c627000p-3
0x1.3187775a10d49p+0 -0x1.6a39a9b376000p-3
0x1.301c8373e3990p+0 -0x1.60b3154b7a000p-3
0x1.2eb4ebb95f841p+0 -0x1.5737d76243000p-3
0x1.2d50a0219a9d1p+0 -0x1.4dc7b8fc23000p-3
0x1.2bef9a8b7fd2ap+0 -0x1.4462c51d20000p-3
0x1.2a91c7a0c1babp+0 -0x1.3b08abc830000p-3
0x1.293726014b530p+0 -0x1.31b996b490000p-3
0x1.27dfa5757a1f5p+0 -0x1.2875490a44000p-3
0x1.268b39b1d3bbfp+0 -0x1.1f3b9f879a000p-3
0x1.2539d838ff5bdp+0 -0x1.160c8252ca000p-3
0x1.23eb7aac9083bp+0 -0x1.0ce7f57f72000p-3
0x1.22a012ba940b6p+0 -0x1.03cdc49fea000p-3
0x1.2157996cc4132p+0 -0x1.f57bdbc4b8000p-4
0x1.201201dd2fc9bp+0 -0x1.e370896404000p-4
0x1.1ecf4494d480bp+0 -0x1.d17983ef94000p-4
0x1.1d8f5528f6569p+0 -0x1.bf9674ed8a000p-4
0x1.1c52311577e7cp+0 -0x1.adc79202f6000p-4
0x1.1b17c74cb26e9p+0 -0x1.9c0c3e7288000p-4
0x1.19e010c2c1ab6p+0 -0x1.8a646b372c000p-4
0x1.18ab07bb670bdp+0 -0x1.78d01b3ac0000p-4
0x1.1778a25efbcb6p+0 -0x1.674f145380000p-4
0x1.1648d354c31dap+0 -0x1.55e0e6d878000p-4
0x1.151b990275fddp+0 -0x1.4485cdea1e000p-4
0x1.13f0ea432d24cp+0 -0x1.333d94d6aa000p-4
0x1.12c8b7210f9dap+0 -0x1.22079f8c56000p-4
0x1.11a3028ecb531p+0 -0x1.10e4698622000p-4
0x1.107fbda8434afp+0 -0x1.ffa6c6ad20000p-5
0x1.0f5ee0f4e6bb3p+0 -0x1.dda8d4a774000p-5
0x1.0e4065d2a9fcep+0 -0x1.bbcece4850000p-5
0x1.0d244632ca521p+0 -0x1.9a1894012c000p-5
0x1.0c0a77ce2981ap+0 -0x1.788583302c000p-5
0x1.0af2f83c636d1p+0 -0x1.5715e67d68000p-5
0x1.09ddb98a01339p+0 -0x1.35c8a49658000p-5
0x1.08cabaf52e7dfp+0 -0x1.149e364154000p-5
0x1.07b9f2f4e28fbp+0 -0x1.e72c082eb8000p-6
0x1.06ab58c358f19p+0 -0x1.a55f152528000p-6
0x1.059eea5ecf92cp+0 -0x1.63d62cf818000p-6
0x1.04949cdd12c90p+0 -0x1.228fb8caa0000p-6
0x1.038c6c6f0ada9p+0 -0x1.c317b20f90000p-7
0x1.02865137932a9p+0 -0x1.419355daa0000p-7
0x1.0182427ea7348p+0 -0x1.81203c2ec0000p-8
0x1.008040614b195p+0 -0x1.0040979240000p-9
0x1.fe01ff726fa1ap-1 0x1.feff384900000p-9
0x1.fa11cc261ea74p-1 0x1.7dc41353d0000p-7
0x1.f6310b081992ep-1 0x1.3cea3c4c28000p-6
0x1.f25f63ceeadcdp-1 0x1.b9fc114890000p-6
0x1.ee9c8039113e7p-1 0x1.1b0d8ce110000p-5
0x1.eae8078cbb1abp-1 0x1.58a5bd001c000p-5
0x1.e741aa29d0c9bp-1 0x1.95c8340d88000p-5
0x1.e3a91830a99b5p-1 0x1.d276aef578000p-5
0x1.e01e009609a56p-1 0x1.07598e598c000p-4
0x1.dca01e577bb98p-1 0x1.253f5e30d2000p-4
0x1.d92f20b7c9103p-1 0x1.42edd8b380000p-4
0x1.d5cac66fb5ccep-1 0x1.606598757c000p-4
0x1.d272caa5ede9dp-1 0x1.7da76356a0000p-4
0x1.cf26e3e6b2ccdp-1 0x1.9ab434e1c6000p-4
0x1.cbe6da2a77902p-1 0x1.b78c7bb0d6000p-4
0x1.c8b266d37086dp-1 0x1.d431332e72000p-4
0x1.c5894bd5d5804p-1 0x1.f0a3171de6000p-4
0x1.c26b533bb9f8cp-1 0x1.067152b914000p-3
0x1.bf583eeece73fp-1 0x1.147858292b000p-3
0x1.bc4fd75db96c1p-1 0x1.2266ecdca3000p-3
0x1.b951e0c864a28p-1 0x1.303d7a6c55000p-3
0x1.b65e2c5ef3e2cp-1 0x1.3dfc33c331000p-3
0x1.b374867c9888bp-1 0x1.4ba366b7a8000p-3
0x1.b094b211d304ap-1 0x1.5933928d1f000p-3
0x1.adbe885f2ef7ep-1 0x1.66acd2418f000p-3
0x1.aaf1d31603da2p-1 0x1.740f8ec669000p-3
0x1.a82e63fd358a7p-1 0x1.815c0f51af000p-3
0x1.a5740ef09738bp-1 0x1.8e92954f68000p-3
0x1.a2c2a90ab4b27p-1 0x1.9bb3602f84000p-3
0x1.a01a01393f2d1p-1 0x1.a8bed1c2c0000p-3
0x1.9d79f24db3c1bp-1 0x1.b5b515c01d000p-3
0x1.9ae2505c7b190p-1 0x1.c2967ccbcc000p-3
0x1.9852ef297ce2fp-1 0x1.cf635d5486000p-3
0x1.95cbaeea44b75p-1 0x1.dc1bd3446c000p-3
0x1.934c69de74838p-1 0x1.e8c01b8cfe000p-3
0x1.90d4f2f6752e6p-1 0x1.f5509c0179000p-3
0x1.8e6528effd79dp-1 0x1.00e6c121fb800p-2
0x1.8bfce9fcc007cp-1 0x1.071b80e93d000p-2
0x1.899c0dabec30ep-1 0x1.0d46b9e867000p-2
0x1.87427aa2317fbp-1 0x1.13687334bd000p-2
0x1.84f00acb39a08p-1 0x1.1980d67234800p-2
0x1.82a49e8653e55p-1 0x1.1f8ffe0cc8000p-2
0x1.8060195f40260p-1 0x1.2595fd7636800p-2
0x1.7e22563e0a329p-1 0x1.2b9300914a800p-2
0x1.7beb377dcb5adp-1 0x1.3187210436000p-2
0x1.79baa679725c2p-1 0x1.377266dec1800p-2
0x1.77907f2170657p-1 0x1.3d54ffbaf3000p-2
0x1.756cadbd6130cp-1 0x1.432eee32fe000p-2
`;
const LOG_TABLE_BITS = 7;
const LOG_N = 1 << LOG_TABLE_BITS;
const TAB_INVC = new Float64Array(LOG_N);
const TAB_LOGC = new Float64Array(LOG_N);
{
  const rows = TAB_HEX.trim().split("\n");
  if (rows.length !== LOG_N) throw new Error("glibc log table must have 128 rows");
  rows.forEach((row, i) => {
    const [invc, logc] = row.trim().split(/\s+/);
    TAB_INVC[i] = hexFloat(invc);
    TAB_LOGC[i] = hexFloat(logc);
  });
}

/** High words of asuint64(1.0 - 0x1p-4) and asuint64(1.0 + 0x1.09p-4); both low words are 0. */
const NEAR1_LO_HI = 0x3fee0000;
const NEAR1_HI_HI = 0x3ff10900;
/** High word of OFF = 0x3fe6000000000000 (low word 0). */
const OFF_HI = 0x3fe60000;
const TWO_POW_27 = 134217728;
const TWO_POW_52 = 4503599627370496;

/*
 * Which a*b + c are fused. glibc builds its x86-64 FMA variant of log with -mfma -mavx2, and GCC
 * (-ffp-contract=fast, its default for C) contracts every multiplication whose result is only added
 * or subtracted. Written out below as fma(); checked against python3's math.log (same glibc
 * function) on ~20 million inputs with zero mismatches. Computing one of these unfused made results
 * differ from glibc's (so they are fused for certain): the explicit r = fma(z, invc, -1.0);
 * r2*A[0] + lo; B[1] + r*B[2]; r2*B[3] + (...); r3*(B[4] ...) + (...); y = r3*(...) + lo.
 * Unfusing any of the others changed no result in 20-40 million tries (their rounding difference
 * vanishes in the final sum), so they follow GCC's contraction rule; where a product is exact
 * (k*Ln2hi, r*2^27, rhi*rhi*B[0]) fusing cannot change anything and plain arithmetic is used.
 */

/** log(x) for x close to 1.0 (1 - 2^-4 <= x < 1 + 0x1.09p-4), as glibc's e_log.c. */
function logNear1(x: number): number {
  const r = x - 1.0;
  const r2 = r * r;
  const r3 = r * r2;
  // y = r3 * (B1 + r*B2 + r2*B3 + r3*(B4 + r*B5 + r2*B6 + r3*(B7 + r*B8 + r2*B9 + r3*B10)))
  const inner = fma(r3, B10, fma(r2, B9, fma(r, B8, B7)));
  const middle = fma(r3, inner, fma(r2, B6, fma(r, B5, B4)));
  const outer = fma(r3, middle, fma(r2, B3, fma(r, B2, B1)));
  // Worst-case error is around 0.507 ULP (glibc's comment).
  let w = r * TWO_POW_27;
  const rhi = r + w - w;
  const rlo = r - rhi;
  w = rhi * rhi * B0; // B0 == -0.5; exact, so GCC's fusing it into the next two lines changes nothing
  const hi = r + w;
  let lo = r - hi + w;
  lo = fma(B0 * rlo, rhi + r, lo); // lo += B0 * rlo * (rhi + r)
  let y = fma(r3, outer, lo); // y = r3 * (...); y += lo
  y += hi;
  return y;
}

/**
 * Natural log bit-identical to glibc's (2.28+) x86-64 FMA variant of `log` (which numpy and
 * CPython's math.log call), computed in plain double arithmetic. Follows glibc's
 * sysdeps/ieee754/dbl-64/e_log.c; special inputs give what glibc gives (log(0) = -Infinity,
 * log(negative) = NaN, log(Infinity) = Infinity, log(NaN) = NaN).
 */
export function glibcLog(x: number): number {
  f64[0] = x;
  let hiw = u32[HI];
  let low = u32[LO];

  // as glibc: if (ix - LO < HI - LO) — x close to 1.0
  if (hiw >= NEAR1_LO_HI && hiw < NEAR1_HI_HI) {
    if (hiw === 0x3ff00000 && low === 0) return 0; // log(1) == +0
    return logNear1(x);
  }

  // as glibc: if (top - 0x0010 >= 0x7ff0 - 0x0010) — x < 0x1p-1022 or inf or nan
  const top = hiw >>> 16;
  if (top < 0x0010 || top >= 0x7ff0) {
    if ((hiw & 0x7fffffff) === 0 && low === 0) return -Infinity; // __math_divzero(1)
    if (x === Infinity) return x;
    if ((top & 0x8000) !== 0 || (top & 0x7ff0) === 0x7ff0) return NaN; // __math_invalid(x)
    // x is subnormal, normalize it: ix = asuint64(x * 0x1p52); ix -= 52ULL << 52
    f64[0] = x * TWO_POW_52;
    hiw = (u32[HI] - (52 << 20)) >>> 0;
    low = u32[LO];
  }

  // as glibc: x = 2^k z; where z is in range [OFF, 2*OFF) and exact.
  const tmpHi = (hiw - OFF_HI) | 0; // tmp = ix - OFF (OFF's low word is 0)
  const i = (tmpHi >>> (52 - LOG_TABLE_BITS - 32)) % LOG_N; // (tmp >> 45) % N
  const k = tmpHi >> 20; // (int64_t) tmp >> 52, arithmetic shift
  const z = fromWords((hiw - (tmpHi & 0xfff00000)) >>> 0, low); // iz = ix - (tmp & 0xfff << 52)
  const invc = TAB_INVC[i];
  const logc = TAB_LOGC[i];

  // log(x) = log1p(z/c-1) + log(c) + k*Ln2; r ~= z/c - 1, |r| < 1/(2*N).
  const r = fma(z, invc, -1.0); // as glibc under __FP_FAST_FMA: r = __builtin_fma (z, invc, -1.0)
  const kd = k;

  // hi + lo = r + log(c) + k*Ln2.
  const w = kd * LN2HI + logc; // exact (glibc's table guarantees it), so fused or not is the same
  const hi = w + r;
  const lo = fma(kd, LN2LO, w - hi + r); // lo = w - hi + r + kd * Ln2lo

  // log(x) = lo + (log1p(r) - r) + hi.
  const r2 = r * r;
  // y = lo + r2*A[0] + r*r2*(A[1] + r*A[2] + r2*(A[3] + r*A[4])) + hi
  const p = fma(r2, fma(r, A4, A3), fma(r, A2, A1));
  const y = fma(r * r2, p, fma(r2, A0, lo)) + hi;
  return y;
}

// ---------------------------------------------------------------------------------------------
// numpy's legacy RandomState
// ---------------------------------------------------------------------------------------------

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
