// Part of the lab suite (lab.e2e.ts, which stands the lab up): what Nx Release published to the lab's registry.
import { docker, runCommand, WORKSPACE_ROOT } from '@desafios/testing';
import { onNode, registryDigest, REGISTRY_HOST } from '../support/lab';
import { Lab, publishedImages } from '../support/lab-checks';

const APPS = [
  'curl-client',
  'greeting-server',
  'sqlite-persister',
  'users-consumer',
  'users-service',
  'web-gateway',
];

export function releaseChecks(lab: Lab): void {
  it('nx release published every app image; each pulls back by digest on another engine, the same image', async () => {
    const published = publishedImages(lab.upOutput());
    expect([...published.keys()].sort()).toEqual(APPS);
    for (const app of APPS) {
      const { tag, digest, platforms } = published.get(app) ?? {
        tag: '',
        digest: '',
        platforms: '',
      };
      // The lab publishes this engine's platform only (RELEASE_PLATFORMS=native); e2e:arm64 checks both.
      expect(platforms).toBe(`linux/${await docker(['version', '--format', '{{.Server.Arch}}'])}`);
      expect(await registryDigest(`desafios/${app}`, tag)).toBe(digest);
      // Node 2 pulls by digest from the registry (as the nodes name it) and gets the very image built here.
      await onNode(2, ['pull', '-q', `registry:5000/desafios/${app}@${digest}`], 120_000);
      const pulled = await onNode(2, [
        'image',
        'inspect',
        '--format',
        '{{.Id}}',
        `registry:5000/desafios/${app}@${digest}`,
      ]);
      expect(pulled).toBe(
        await docker(['image', 'inspect', '--format', '{{.Id}}', `desafios/${app}:latest`]),
      );
    }
  }, 600_000);

  it('a dry run says what it would publish and tags nothing', async () => {
    const tag = `dry-run-${Date.now()}`;
    const { stdout: out } = await runCommand('node', ['tools/release/release.mjs', '--dry-run'], {
      cwd: WORKSPACE_ROOT,
      env: { IMAGE_TAG: tag },
      timeoutMs: 300_000,
    });
    for (const app of APPS) {
      expect(out).toContain(
        `Image would be tagged with ${REGISTRY_HOST}/desafios/${app}:${tag} but dry run is enabled.`,
      );
      expect(out).toContain(
        `publicaria ${REGISTRY_HOST}/desafios/${app}:${tag} linux/amd64,linux/arm64\n`,
      );
      await expect(
        docker(['image', 'inspect', `${REGISTRY_HOST}/desafios/${app}:${tag}`]),
      ).rejects.toThrow(/No such image/);
    }
    expect(out).not.toMatch(/^publicado /m);
  }, 360_000);
}
