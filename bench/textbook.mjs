// The numpy program of "Learning PyTorch with Examples" as a person first writes it in JavaScript:
// arrays of arrays and the triple loop for each product, a fresh array for each intermediate. The
// baseline the benchmark measures twolayer against (data from twolayer's numpy-exact randn, so the
// losses can be checked against numpy's before timing).
import { NumpyRandomState } from "../dist/numpy/random-state.js";

function randn(random, rows, cols) {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => random.gauss()));
}

function dot(a, b) {
  const n = a.length;
  const k = b.length;
  const m = b[0].length;
  const c = [];
  for (let i = 0; i < n; i++) {
    const row = new Array(m);
    for (let j = 0; j < m; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) sum += a[i][p] * b[p][j];
      row[j] = sum;
    }
    c.push(row);
  }
  return c;
}

function transpose(a) {
  return a[0].map((_, j) => a.map((row) => row[j]));
}

/** np.random.seed(seed); x, y, w1, w2 = randn(...) as the tutorial does. */
export function textbookData(seed = 0, N = 64, D_in = 1000, H = 100, D_out = 10) {
  const random = new NumpyRandomState(seed);
  return { x: randn(random, N, D_in), y: randn(random, N, D_out), w1: randn(random, D_in, H), w2: randn(random, H, D_out) };
}

/** The training loop; returns the 500 losses. Mutates w1 and w2 as numpy does. */
export function textbookTrain({ x, y, w1, w2 }, iterations = 500, learning_rate = 1e-6) {
  const losses = [];
  for (let t = 0; t < iterations; t++) {
    const h = dot(x, w1);
    const h_relu = h.map((row) => row.map((v) => Math.max(v, 0)));
    const y_pred = dot(h_relu, w2);

    let loss = 0;
    for (let i = 0; i < y_pred.length; i++) for (let j = 0; j < y_pred[i].length; j++) loss += (y_pred[i][j] - y[i][j]) ** 2;
    losses.push(loss);

    const grad_y_pred = y_pred.map((row, i) => row.map((v, j) => 2 * (v - y[i][j])));
    const grad_w2 = dot(transpose(h_relu), grad_y_pred);
    const grad_h_relu = dot(grad_y_pred, transpose(w2));
    const grad_h = grad_h_relu.map((row, i) => row.map((v, j) => (h[i][j] < 0 ? 0 : v)));
    const grad_w1 = dot(transpose(x), grad_h);

    for (let i = 0; i < w1.length; i++) for (let j = 0; j < w1[i].length; j++) w1[i][j] -= learning_rate * grad_w1[i][j];
    for (let i = 0; i < w2.length; i++) for (let j = 0; j < w2[i].length; j++) w2[i][j] -= learning_rate * grad_w2[i][j];
  }
  return losses;
}
