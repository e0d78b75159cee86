// The small network every page and runtime trains first: odd sizes, so every kernel runs its SIMD
// tails, and a learning rate at which the loss falls (578.7 to 11.4 in 40 steps).
export const SMALL = { n: 7, dIn: 13, hidden: 5, dOut: 3, iterations: 40, learningRate: 1e-3, seed: 3 };
