/** Writes lines to stdout in batches, so printing costs the training loop next to nothing. */
export function lineWriter(): { line(text: string): void; flush(): void } {
  let pending: string[] = [];
  let last = performance.now();
  const flush = () => {
    if (pending.length) process.stdout.write(pending.join("\n") + "\n");
    pending = [];
    last = performance.now();
  };
  return {
    line(text) {
      pending.push(text);
      if (performance.now() - last > 100) flush();
    },
    flush,
  };
}
