/** Share maths: self time and allocated bytes per package and per function, from V8's profiles. */
import { round } from '../stats';
import type { CallFrame, CpuProfile, SamplingNode } from './inspector';
import { CHUNK, NO_CALLER, Origins } from './origins';

/** V8's own entries, not frames of any code. */
export const V8_ENTRIES: Record<string, string> = {
  '(garbage collector)': 'coletor de lixo (thread principal)',
  '(idle)': 'ocioso (esperando I/O)',
  '(program)': 'V8 e Node fora de JS (compilação, runtime)',
  '(root)': 'V8 e Node fora de JS (compilação, runtime)',
};

/**
 * Self time per owner: a bundled frame counts to its package; a Node-core or native frame counts to
 * the nearest bundled caller ("fastify → Node/nativo"), so a socket write lands on whoever wrote.
 */
export function cpuShares(profile: CpuProfile, origins: Origins): { owners: Map<string, number>; functions: Map<string, number>; total: number } {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const ownerOf = new Map<number, string>();
  const resolve = (id: number): string => {
    const cached = ownerOf.get(id);
    if (cached !== undefined) return cached;
    const frame = (byId.get(id) as CpuProfile['nodes'][number]).callFrame;
    let owner = V8_ENTRIES[frame.functionName] && frame.url === '' ? V8_ENTRIES[frame.functionName] : origins.owner(frame);
    if (owner === undefined) {
      let up = parent.get(id);
      while (up !== undefined && origins.owner((byId.get(up) as CpuProfile['nodes'][number]).callFrame) === undefined) up = parent.get(up);
      owner = up === undefined ? NO_CALLER : `${origins.owner((byId.get(up) as CpuProfile['nodes'][number]).callFrame)} → Node/nativo`;
    }
    ownerOf.set(id, owner);
    return owner;
  };
  const owners = new Map<string, number>();
  const functions = new Map<string, number>();
  let total = 0;
  // Each sample counts once, not by the wall time since the one before: that time also holds the
  // pauses of the CPU quota (the sampler thread stops with the rest of the container), which belong
  // to no function.
  for (const id of profile.samples) {
    total += 1;
    const owner = resolve(id);
    owners.set(owner, (owners.get(owner) ?? 0) + 1);
    const name = frameName((byId.get(id) as CpuProfile['nodes'][number]).callFrame, origins);
    functions.set(name, (functions.get(name) ?? 0) + 1);
  }
  return { owners, functions, total };
}

/** Sampled bytes per owner, Node and native allocations counted to the nearest bundled caller. */
export function allocationShares(head: SamplingNode, origins: Origins): { owners: Map<string, number>; functions: Map<string, number>; total: number } {
  const owners = new Map<string, number>();
  const functions = new Map<string, number>();
  let total = 0;
  const walk = (node: SamplingNode, caller: string | undefined) => {
    const own = origins.owner(node.callFrame);
    const owner = own ?? (caller === undefined ? NO_CALLER : `${caller} → Node/nativo`);
    if (node.selfSize > 0) {
      total += node.selfSize;
      owners.set(owner, (owners.get(owner) ?? 0) + node.selfSize);
      const name = frameName(node.callFrame, origins);
      functions.set(name, (functions.get(name) ?? 0) + node.selfSize);
    }
    for (const child of node.children) walk(child, own ?? caller);
  };
  walk(head, undefined);
  return { owners, functions, total };
}

/** "mergeConfig axios/lib/core/mergeConfig.js:199", "query typeorm: src/driver/…", "writeUtf8String (nativa)". */
export function frameName(frame: CallFrame, origins: Origins): string {
  let where = origins.shortSource(frame);
  const owner = origins.owner(frame);
  if (where !== undefined && owner !== undefined && CHUNK.exec(frame.url)?.[1] === 'vendor.js' && !where.startsWith(owner)) where = `${owner}: ${where}`;
  return `${frame.functionName || '(anônima)'} ${where ?? (frame.url ? `${frame.url}:${frame.lineNumber + 1}` : '(nativa)')}`;
}

/** Frames' script URLs, to copy only the maps the profile needs. */
export function urlsOf(frames: CallFrame[]): Set<string> {
  return new Set(frames.map((frame) => frame.url));
}

export function collectFrames(node: SamplingNode, into: CallFrame[] = []): CallFrame[] {
  into.push(node.callFrame);
  for (const child of node.children) collectFrames(child, into);
  return into;
}

export const percent = (part: number, total: number) => `${round((100 * part) / total, 1)} %`;
export const top = (shares: Map<string, number>, count: number) => [...shares].sort((a, b) => b[1] - a[1]).slice(0, count);
