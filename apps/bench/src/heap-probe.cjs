// Preloaded into each app and baseline container the bench starts (NODE_OPTIONS="--expose-gc -r
// /bench/heap-probe.cjs", stack.ts): on SIGUSR2 it
// collects garbage and prints the live heap to stderr, so the report can tell memory the app
// holds from garbage V8 has not collected yet. Bench only; the images do not carry it.
process.on('SIGUSR2', () => {
  const before = process.memoryUsage();
  global.gc();
  const after = process.memoryUsage();
  process.stderr.write(`heap-probe ${JSON.stringify({ rssBefore: before.rss, rssAfter: after.rss, heapUsedAfter: after.heapUsed })}\n`);
});
