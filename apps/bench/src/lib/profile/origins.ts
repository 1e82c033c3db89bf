/** Source maps: which package a bundled frame came from. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { docker, WORKSPACE_ROOT } from '@desafios/testing';
import type { CallFrame } from './inspector';

/** A bundle chunk in the image, as the CPU profile (file:///app/x.js) and the heap profile (/app/x.js) name it. */
export const CHUNK = /^(?:file:\/\/)?\/app\/([\w.-]+\.js)$/;

/** Frames of /app/<chunk>.js, mapped to their original file with the maps copied out of the container. */
export class Origins {
  private readonly maps = new Map<string, SourceMap | null>();
  private readonly dir = mkdtempSync(join(tmpdir(), 'bench-maps-'));

  constructor(private readonly container: string) {}

  async load(profileUrls: Iterable<string>): Promise<void> {
    for (const url of profileUrls) {
      const chunk = CHUNK.exec(url)?.[1];
      if (!chunk || this.maps.has(chunk)) continue;
      const target = join(this.dir, `${chunk}.map`);
      const copied = await docker(['cp', `${this.container}:/app/${chunk}.map`, target]).then(() => true, () => false);
      this.maps.set(chunk, copied ? new SourceMap(JSON.parse(readFileSync(target, 'utf8'))) : null);
    }
  }

  /** The original file of a frame, e.g. "node_modules/axios/lib/core/mergeConfig.js:199", or undefined if not bundled. */
  source(frame: CallFrame): string | undefined {
    const chunk = CHUNK.exec(frame.url)?.[1];
    const map = chunk ? this.maps.get(chunk) : undefined;
    if (!map) return undefined;
    const entry = map.findEntry(frame.lineNumber, frame.columnNumber) as { originalSource?: string; originalLine?: number };
    return `${entry.originalSource ?? chunk}:${(entry.originalLine ?? 0) + 1}`;
  }

  /** The same, short: "axios/lib/core/mergeConfig.js:199", "libs/server/src/lib/request-log.ts:31", "src/users/users.client.ts:122". */
  shortSource(frame: CallFrame): string | undefined {
    return this.source(frame)?.replace(/^.*node_modules\//, '').replace(/^webpack:\/\/[^/]*\//, '').replace(/^(\.\.?\/)+/, '');
  }

  /** The package a frame belongs to: an npm package, a workspace lib, the app itself, or undefined for Node and V8. */
  owner(frame: CallFrame): string | undefined {
    const source = this.source(frame);
    if (source === undefined) return /^(file:\/\/)?\/bench\//.test(frame.url) ? 'bench (sonda)' : undefined;
    const packages = [...source.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)/g)];
    if (packages.length > 0) return (packages.at(-1) as RegExpMatchArray)[1];
    const lib = /libs\/([\w-]+)\//.exec(source)?.[1];
    if (lib) return `@desafios/${lib}`;
    if (source.startsWith('webpack/')) return 'runtime do webpack';
    // vendor.js holds npm packages only; a path outside node_modules there came from a package's
    // own source map pointing outside the package (typeorm's and @redis/client's do).
    if (CHUNK.exec(frame.url)?.[1] === 'vendor.js') return packageShippingMapOf(source.replace(/:\d+$/, '')) ?? 'npm (pacote não identificado)';
    return 'o próprio app';
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Node-core and native frames with no bundled caller: the HTTP parser's callbacks, timers, the event loop. */
export const NO_CALLER = 'Node/nativo, sem chamador do app (parser HTTP, timers, laço de eventos)';

export let shippedMaps: Map<string, string[]> | undefined;
export const mapOwners = new Map<string, string | undefined>();

/**
 * The npm package whose shipped source map names `source` (e.g. "webpack:///../src/driver/postgres/
 * PostgresQueryRunner.ts" → typeorm): the workspace's node_modules, from which the image was built,
 * searched for a map of that file name that lists a source with the same path.
 */
export function packageShippingMapOf(source: string): string | undefined {
  if (mapOwners.has(source)) return mapOwners.get(source);
  if (!shippedMaps) {
    shippedMaps = new Map();
    const found = execFileSync('find', [join(WORKSPACE_ROOT, 'node_modules'), '-name', '*.js.map'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    for (const file of found.split('\n').filter(Boolean)) {
      const name = basename(file);
      shippedMaps.set(name, [...(shippedMaps.get(name) ?? []), file]);
    }
  }
  const tail = source.replace(/^webpack:\/\/[^/]*\//, '').replace(/^(\.\.?\/)+/, '');
  const stem = basename(tail).replace(/\.[^.]+$/, '');
  let owner: string | undefined;
  for (const file of shippedMaps.get(`${stem}.js.map`) ?? []) {
    const sources = (JSON.parse(readFileSync(file, 'utf8')) as { sources?: string[] }).sources ?? [];
    if (!sources.some((listed) => listed.replace(/^(\.\.?\/)+/, '').endsWith(tail))) continue;
    owner = ([...file.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)/g)].at(-1) as RegExpMatchArray)[1];
    break;
  }
  mapOwners.set(source, owner);
  return owner;
}
