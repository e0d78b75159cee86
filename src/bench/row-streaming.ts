// The numpy program of "Learning PyTorch with Examples" as plain JavaScript written with care but
// no tricks: preallocated typed arrays, each product a loop nest that streams rows (i-k-j: for each
// row of the result, add a[i][p] times row p of b), no transpose ever copied. The baseline the
// "js" backend is held to (it must stay within 1.15× of this), and the one `twolayer bench` shows
// beside wasm. Each element is summed in increasing k from 0, one multiply then one add, so its
// float64 losses are the js backend's and the wasm scalar build's, bit for bit.
import { NumpyRandomState } from "../numpy/random-state.js";

type Floats = Float64Array | Float32Array;

/** The seed network's data: np.random.seed(seed); x, y, w1, w2 = randn(…) in the tutorial's order. */
export interface RowStreamingData {
  readonly x: Floats;
  readonly y: Floats;
  readonly w1: Floats;
  readonly w2: Floats;
}

export interface Sizes {
  readonly n: number;
  readonly dIn: number;
  readonly hidden: number;
  readonly dOut: number;
}

/** numpy's randn for the four arrays, as `Float64Array`s or (rounded, as `.astype(np.float32)`) `Float32Array`s. */
export function rowStreamingData(sizes: Sizes, dtype: "f64" | "f32", seed = 0): RowStreamingData {
  const Type = dtype === "f64" ? Float64Array : Float32Array;
  const random = new NumpyRandomState(seed);
  const randn = (length: number) => {
    const out = new Type(length);
    random.fillRandn(out);
    return out;
  };
  const { n, dIn, hidden: H, dOut } = sizes;
  return { x: randn(n * dIn), y: randn(n * dOut), w1: randn(dIn * H), w2: randn(H * dOut) };
}

/** Trains w1 and w2 of `data` in place for `iterations` steps; returns the losses. */
export function rowStreamingTrain(data: RowStreamingData, sizes: Sizes, iterations: number, learningRate: number): Float64Array {
  const { n: N, dIn: D, hidden: H, dOut: O } = sizes;
  const { x, y, w1, w2 } = data;
  const Type = x instanceof Float32Array ? Float32Array : Float64Array;
  const lr = x instanceof Float32Array ? Math.fround(learningRate) : learningRate;
  const h = new Type(N * H);
  const hRelu = new Type(N * H);
  const yPred = new Type(N * O);
  const gradYPred = new Type(N * O);
  const gradH = new Type(N * H);
  const gradW1 = new Type(D * H);
  const gradW2 = new Type(H * O);
  const losses = new Float64Array(iterations);

  for (let t = 0; t < iterations; t++) {
    // h = x.dot(w1)
    h.fill(0);
    for (let i = 0; i < N; i++) {
      for (let p = 0; p < D; p++) {
        const a = x[i * D + p];
        for (let j = 0; j < H; j++) h[i * H + j] += a * w1[p * H + j];
      }
    }
    // h_relu = np.maximum(h, 0)
    for (let i = 0; i < N * H; i++) hRelu[i] = Math.max(h[i], 0);
    // y_pred = h_relu.dot(w2)
    yPred.fill(0);
    for (let i = 0; i < N; i++) {
      for (let p = 0; p < H; p++) {
        const a = hRelu[i * H + p];
        for (let j = 0; j < O; j++) yPred[i * O + j] += a * w2[p * O + j];
      }
    }
    // loss = np.square(y_pred - y).sum(); grad_y_pred = 2.0 * (y_pred - y)
    let loss = 0;
    for (let i = 0; i < N * O; i++) {
      const d = x instanceof Float32Array ? Math.fround(yPred[i] - y[i]) : yPred[i] - y[i];
      loss += d * d;
      gradYPred[i] = 2 * d;
    }
    losses[t] = loss;
    // grad_w2 = h_relu.T.dot(grad_y_pred): row p of h_relu scales row p of grad_y_pred
    gradW2.fill(0);
    for (let p = 0; p < N; p++) {
      for (let i = 0; i < H; i++) {
        const a = hRelu[p * H + i];
        for (let j = 0; j < O; j++) gradW2[i * O + j] += a * gradYPred[p * O + j];
      }
    }
    // grad_h_relu = grad_y_pred.dot(w2.T): a row of grad_y_pred against a row of w2
    for (let i = 0; i < N; i++) {
      for (let j = 0; j < H; j++) {
        let sum = 0;
        for (let p = 0; p < O; p++) sum += gradYPred[i * O + p] * w2[j * O + p];
        gradH[i * H + j] = sum;
      }
    }
    // grad_h[h < 0] = 0
    for (let i = 0; i < N * H; i++) if (h[i] < 0) gradH[i] = 0;
    // grad_w1 = x.T.dot(grad_h)
    gradW1.fill(0);
    for (let p = 0; p < N; p++) {
      for (let i = 0; i < D; i++) {
        const a = x[p * D + i];
        for (let j = 0; j < H; j++) gradW1[i * H + j] += a * gradH[p * H + j];
      }
    }
    // w1 -= learning_rate * grad_w1; w2 -= learning_rate * grad_w2
    for (let i = 0; i < D * H; i++) w1[i] -= lr * gradW1[i];
    for (let i = 0; i < H * O; i++) w2[i] -= lr * gradW2[i];
  }
  return losses;
}
