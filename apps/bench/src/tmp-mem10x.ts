import { BenchStack, containerMemory } from './stack';
import { wrk } from './wrk';
const PORT = 5000;
async function main(stack: BenchStack) {
  await stack.up();
  const up = await stack.baseline('users-upstream-10x', 'users-upstream.mjs', PORT, { env: { USERS_REPEAT: process.env.REPEAT ?? '10' } });
  for (const round of [1, 2]) {
    for (const image of ['consumer-old', 'desafios/users-consumer:latest']) {
      const role = `c-${image.includes('old') ? 'old' : 'new'}-${round}`;
      const c = await stack.http(role, image, PORT, '/health/ready', { env: { USERS_SERVICE_URL: `http://users-upstream-10x:${PORT}` } });
      const out = [];
      for (let i = 0; i < 3; i++) { const r = await wrk(c.url(), 50, '4s'); const m = await containerMemory(c.name); out.push(`${r.rps} rps heap ${m.liveHeap} rss ${m.rss} anon ${m.rssAnon}`); }
      console.log(image, out.join(' | '));
      await stack.remove(c);
    }
  }
  void up;
}
const stack = new BenchStack();
main(stack).finally(() => stack.down());
