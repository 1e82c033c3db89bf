/**
 * The images on linux/arm64 (Apple Silicon, Graviton, Raspberry Pi), built and run on this amd64 host
 * under QEMU emulation: every app's image built with compose.arm64.yaml over docker-compose.yml, each
 * desafio's core check on arm64 containers (and, for the comparison, the same steps on amd64), and
 * `npm run release:images` publishing one manifest list per image with both platforms to a registry:2.
 *
 * Reports (test-artifacts/arm64/arm64.json and the console): the arm64 build's wall time and, per
 * desafio, how much slower the emulated run was than the native one. Timings are reported, never asserted.
 * Needs the amd64 images (npx nx run-many -t docker-build) and the arm64v8/ bases (docs/arm64.md).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ComposeProject, docker, freePort, get, runCommand, waitFor, WORKSPACE_ROOT } from '@desafios/testing';
import { APPS, Arch, ARM64_COMPOSE_FILES, CORE_CHECKS, localImage } from '../support/arm64';
const PLATFORMS = ['linux/amd64', 'linux/arm64'];
const measured: { buildSeconds?: number; releaseSeconds?: number; desafios: Record<string, Record<Arch, number> & { slowdown: number }> } = {
  desafios: {},
};
const seconds = (since: number) => Math.round((performance.now() - since) / 100) / 10;

/** release.mjs with the registry and the tag given; its stdout. */
const release = async (args: string[], env: Record<string, string>) =>
  (await runCommand('node', ['tools/release/release.mjs', ...args], { cwd: WORKSPACE_ROOT, env, timeoutMs: 1_800_000, stdoutTailChars: 4000 })).stdout;

describe('arm64: every image built for linux/arm64, each desafio on arm64 containers, published for both', () => {
  beforeAll(async () => {
    const started = performance.now();
    await new ComposeProject('desafios-e2e-arm64-build', {}, { files: ARM64_COMPOSE_FILES }).run(['--profile', 'all', 'build'], 3_000_000);
    measured.buildSeconds = seconds(started);
  }, 3_000_000);

  afterAll(() => {
    const dir = join(WORKSPACE_ROOT, 'test-artifacts/arm64');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'arm64.json'), `${JSON.stringify(measured, null, 2)}\n`);
    console.log(`arm64: build ${measured.buildSeconds} s; ${JSON.stringify(measured.desafios)}`);
  });

  it('every app image is linux/arm64, and Node inside it runs as arm64', async () => {
    for (const app of APPS) {
      expect({ app, platform: await docker(['image', 'inspect', '--format', '{{.Os}}/{{.Architecture}}', localImage(app, 'arm64')]) }).toEqual({
        app,
        platform: 'linux/arm64',
      });
    }
    const arch = await docker(['run', '--rm', '--platform', 'linux/arm64', '--entrypoint', 'node', localImage('greeting-server', 'arm64'), '-p', 'process.arch + " " + os.machine()']);
    expect(arch).toBe('arm64 aarch64');
  });

  it.each(Object.keys(CORE_CHECKS))('%s: the core check passes on arm64 containers (and on amd64, timed beside it)', async (desafio) => {
    const times = {} as Record<Arch, number>;
    for (const arch of ['arm64', 'amd64'] as const) {
      const started = performance.now();
      const found = await CORE_CHECKS[desafio](arch);
      times[arch] = seconds(started);
      // Every container the check ran (db and cache included) came from an image of that architecture.
      expect(Object.keys(found).length).toBeGreaterThan(0);
      expect(new Set(Object.values(found))).toEqual(new Set([arch]));
    }
    measured.desafios[desafio] = { ...times, slowdown: Math.round((times.arm64 / times.amd64) * 10) / 10 };
  }, 1_500_000);

  it('release:images publishes one list per image with linux/amd64 and linux/arm64; each platform pulls back by digest', async () => {
    const tag = `e2e-arm64-${Date.now()}`;
    const port = await freePort();
    const registry = `127.0.0.1:${port}`;
    const dryRun = await release(['--dry-run'], { REGISTRY: registry, IMAGE_TAG: tag });
    for (const app of APPS) expect(dryRun).toContain(`publicaria ${registry}/desafios/${app}:${tag} ${PLATFORMS.join(',')}\n`);

    const container = await docker(['run', '-d', '--name', `desafios-e2e-arm64-registry-${port}`, '-p', `${registry}:5000`, 'registry:2']);
    try {
      await waitFor('the registry', async () => ((await get(`http://${registry}/v2/`)).status === 200 ? true : undefined), { timeoutMs: 30_000 });
      const started = performance.now();
      const out = await release([], { REGISTRY: registry, IMAGE_TAG: tag });
      measured.releaseSeconds = seconds(started);
      const published = [...out.matchAll(/^publicado \S+\/desafios\/([a-z-]+):(\S+) (sha256:[0-9a-f]{64}) (\S+)$/gm)];
      expect(published.map(([, app]) => app).sort()).toEqual(APPS);
      for (const [, app, publishedTag, digest, platforms] of published) {
        expect({ app, publishedTag, platforms }).toEqual({ app, publishedTag: tag, platforms: PLATFORMS.join(',') });
        const repository = `${registry}/desafios/${app}`;
        // The list as the registry serves it under the tag: the digest printed, both platforms.
        const list = await fetch(`http://${registry}/v2/desafios/${app}/manifests/${tag}`, {
          headers: { accept: 'application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.oci.image.index.v1+json' },
        });
        expect(list.headers.get('docker-content-digest')).toBe(digest);
        const { manifests } = (await list.json()) as { manifests: { platform: { os: string; architecture: string } }[] };
        expect(manifests.map(({ platform }) => `${platform.os}/${platform.architecture}`).sort()).toEqual(PLATFORMS);
        // Pulled by the list's digest, each platform is the very image built here for it. One platform
        // per name on this engine: the digest's reference is dropped before the other platform's pull.
        for (const arch of ['amd64', 'arm64'] as const) {
          await docker(['pull', '-q', '--platform', `linux/${arch}`, `${repository}@${digest}`], 300_000);
          const pulled = await docker(['image', 'inspect', '--format', '{{.Id}} {{.Architecture}}', `${repository}@${digest}`]);
          await docker(['image', 'rm', `${repository}@${digest}`]);
          expect({ app, arch, pulled }).toEqual({ app, arch, pulled: `${await docker(['image', 'inspect', '--format', '{{.Id}}', localImage(app, arch)])} ${arch}` });
        }
      }
    } finally {
      await docker(['rm', '-f', '-v', container]);
      // The tags release.mjs made, also when a check above failed (`image rm` exits 1 on a name it lacks).
      const tags = APPS.flatMap((app) => [`${registry}/desafios/${app}:${tag}`, `${registry}/desafios/${app}:${tag}-arm64`]);
      await docker(['image', 'rm', ...tags]).catch(() => undefined);
    }
  }, 3_600_000);
});
