#!/usr/bin/env node
/**
 * Publishes the apps' images for linux/amd64 and linux/arm64 with Nx Release and @nx/docker
 * (`release` in nx.json):
 *   1. version: runs the pre-version command (docker-build of every app), then tags each local
 *      image apps-<app> as <registry>/desafios/<app>:<version> (version scheme in nx.json);
 *   2. the arm64 images (compose.arm64.yaml, desafios/<app>:arm64), built after it;
 *   3. publish: `docker push` of each tag (the nx-release-publish target, @nx/docker:release-publish);
 *   4. the arm64 image pushed as <version>-arm64, and <version> made a manifest list of both
 *      (platforms.mjs): one name that each machine pulls for its own architecture.
 *
 * Usage: node tools/release/release.mjs [--dry-run] [--projects=a,b] [--verbose]
 *   (npm run release:images -- --dry-run)
 * Environment:
 *   REGISTRY   the registry (host[:port]) to publish to; default: release.docker.registryUrl of nx.json
 *   IMAGE_TAG  an exact version instead of the scheme ({currentDate|YYMM.DD}.{shortCommitSha})
 *
 * Why a script and not only `nx release`: nx.json cannot read the environment, and the registry is
 * a per-machine choice. Nx's programmatic API (ReleaseClient) merges this override into nx.json.
 * And @nx/docker 23.2 reads the dry-run flag from NX_DRY_RUN in its own process, which `nx release
 * --dry-run` does not set: without it a dry run still runs `docker tag` (docs/decisions.md).
 * Prints one line per image: `publicado <image>:<tag> <digest> <platforms>`, the digest and the
 * platforms of the list as the registry serves it (in a dry run, `publicaria <image>:<tag> <platforms>`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createProjectGraphAsync, workspaceRoot } from '@nx/devkit';
import { getDockerVersionPath } from '@nx/docker/release/version-utils';
import { ReleaseClient } from 'nx/release/index.js';
import { buildArm64, publishManifestList, pushedDigest, releasePlatforms } from './platforms.mjs';

const args = process.argv.slice(2);
const dryRun = args.includes('--dry-run') || args.includes('-d');
const verbose = args.includes('--verbose');
const projects = args.find((arg) => arg.startsWith('--projects='))?.slice('--projects='.length).split(',').filter(Boolean);
const unknown = args.filter((arg) => !['--dry-run', '-d', '--verbose'].includes(arg) && !arg.startsWith('--projects='));
if (unknown.length) {
  console.error(`opção desconhecida: ${unknown.join(' ')} (use --dry-run, --projects=a,b, --verbose)`);
  process.exit(2);
}
const registry = process.env.REGISTRY?.trim().replace(/\/+$/, '');
if (registry !== undefined && registry !== '' && !/^[a-z0-9.-]+(:\d+)?(\/[a-z0-9._/-]+)?$/i.test(registry)) {
  console.error(`REGISTRY deve ser host[:porta][/caminho], como registro.exemplo:5000; recebido "${registry}"`);
  process.exit(2);
}
const target = releasePlatforms();
if (target.error) {
  console.error(target.error);
  process.exit(2);
}
if (dryRun) process.env.NX_DRY_RUN = 'true';

const client = new ReleaseClient(registry ? { docker: { registryUrl: registry } } : {});
const { projectsVersionData } = await client.releaseVersion({
  dryRun,
  verbose,
  projects,
  dockerVersion: process.env.IMAGE_TAG?.trim() || undefined,
  gitCommit: false,
  gitTag: false,
  stageChanges: false,
});
const graph = await createProjectGraphAsync();
const registryUrl = registry || JSON.parse(readFileSync(join(workspaceRoot, 'nx.json'), 'utf8')).release?.docker?.registryUrl;
const released = Object.entries(projectsVersionData)
  .filter(([, { dockerVersion }]) => dockerVersion)
  .map(([project, { dockerVersion }]) => {
    const { root, release } = graph.nodes[project].data;
    const repository = release?.docker?.repositoryName ?? project;
    return { project, root, repository, ref: `${registryUrl ? `${registryUrl}/` : ''}${repository}:${dockerVersion}` };
  });
if (dryRun) {
  // @nx/docker's publish step reads the reference the last real version step wrote to disk, so in a
  // dry run it would name the previous release: say what this one would push instead.
  for (const { ref } of released) console.log(`publicaria ${ref} ${target.platforms.join(',')}`);
  process.exit(0);
}
if (target.list) buildArm64(workspaceRoot, released.map(({ project }) => project));
const results = await client.releasePublish({ verbose, projects, versionData: projectsVersionData });
const failed = Object.entries(results).filter(([, { code }]) => code !== 0);
if (failed.length) {
  console.error(`falhou a publicação de: ${failed.map(([project]) => project).join(', ')}`);
  process.exit(1);
}
for (const { root, repository } of released) {
  // The reference @nx/docker's version step tagged and its publish step pushed (the engine's platform).
  const ref = readFileSync(getDockerVersionPath(workspaceRoot, root), 'utf8').trim();
  // The digest as the registry now serves it (what a node pulls by digest): the list's, or the one image's.
  const { digest, platforms } = target.list
    ? publishManifestList(ref, repository)
    : { digest: pushedDigest(ref).split('@')[1], platforms: target.platforms };
  console.log(`publicado ${ref} ${digest ?? '(sem digest)'} ${platforms.join(',')}`);
}
