/**
 * The second platform of a release: builds the apps' linux/arm64 images (docker-compose.yml with
 * compose.arm64.yaml: tag desafios/<app>:arm64) and, once Nx Release has pushed the linux/amd64 one as
 * <ref>, pushes the arm64 one as <ref>-arm64 and turns <ref> into a manifest list of both.
 *
 * Why per-architecture pushes and `docker manifest`, not `docker buildx build --platform a,b --push`:
 * an engine with the classic image store (one platform per tag, buildx's docker driver) cannot build
 * or hold a multi-platform image; a list made from two pushed images works on every engine
 * (docs/decisions.md).
 */
import { execFileSync } from 'node:child_process';

export const PLATFORMS = ['linux/amd64', 'linux/arm64'];

/**
 * What this release publishes, from RELEASE_PLATFORMS: `all` (the default) is both platforms, as one
 * list per image; it builds linux/amd64 natively and linux/arm64 through compose.arm64.yaml, so it runs
 * on an amd64 engine (CI) and stops with one line on another. `native` is only the engine's own
 * platform, the image the default build makes: what the three-node lab needs (its nodes run on this
 * machine), with no emulation and no second build.
 */
export function releasePlatforms(value = process.env.RELEASE_PLATFORMS?.trim() || 'all') {
  if (value !== 'all' && value !== 'native') return { error: `RELEASE_PLATFORMS deve ser all ou native; recebido "${value}"` };
  const native = `linux/${docker(['version', '--format', '{{.Server.Arch}}'])}`;
  if (value === 'native') return { platforms: [native], list: false };
  if (native !== 'linux/amd64') {
    return { error: `RELEASE_PLATFORMS=all publica ${PLATFORMS.join(' e ')} a partir de um Docker linux/amd64 (o CI); este é ${native}: use RELEASE_PLATFORMS=native para publicar só ${native}` };
  }
  return { platforms: PLATFORMS, list: true };
}
const ARM64_COMPOSE = ['-f', 'docker-compose.yml', '-f', 'compose.arm64.yaml'];
/** Local tag of an app's arm64 image (compose.arm64.yaml). */
const arm64Image = (repository) => `${repository}:arm64`;

const docker = (args, options = {}) => execFileSync('docker', args, { encoding: 'utf8', ...options }).trim();

/** Builds the arm64 image of each project (a compose service of the same name). */
export function buildArm64(cwd, projects) {
  // Its progress on stderr: stdout carries only the release's own lines.
  execFileSync('docker', ['compose', ...ARM64_COMPOSE, '--profile', 'all', 'build', ...projects], { cwd, stdio: ['ignore', 2, 'inherit'] });
}

/** name@digest of the image `docker push` just sent as <ref>, as the registry serves it. */
export function pushedDigest(ref) {
  const name = ref.replace(/:[^:/]+$/, '');
  const repoDigest = docker(['image', 'inspect', '--format', '{{join .RepoDigests " "}}', ref])
    .split(' ')
    .find((each) => each.startsWith(`${name}@`));
  if (!repoDigest) throw new Error(`${ref}: sem digest no registro depois do push`);
  return repoDigest;
}

/** Loopback registries speak plain HTTP (as the engine allows them by default); `docker manifest` must be told. */
const insecure = (ref) => (/^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//.test(ref) ? ['--insecure'] : []);

/**
 * <ref> (the amd64 image Nx Release pushed) becomes a list of it and the arm64 image, pushed as
 * <ref>-arm64 first. Returns the list's digest and the platforms it holds (sorted), as the registry serves them.
 */
export function publishManifestList(ref, repository) {
  const name = ref.replace(/:[^:/]+$/, '');
  const amd64 = pushedDigest(ref);
  const arm64Ref = `${ref}-arm64`;
  docker(['tag', arm64Image(repository), arm64Ref]);
  docker(['push', '-q', arm64Ref]);
  try {
    docker(['manifest', 'rm', ref], { stdio: 'ignore' });
  } catch {
    // no list of that name left locally by an earlier, interrupted run
  }
  docker(['manifest', 'create', ...insecure(ref), ref, amd64, arm64Ref]);
  const pushed = docker(['manifest', 'push', '--purge', ...insecure(ref), ref]);
  const digest = pushed.match(/sha256:[0-9a-f]{64}/)?.[0];
  const list = JSON.parse(docker(['manifest', 'inspect', ...insecure(ref), `${name}@${digest}`]));
  // Sorted: `docker manifest push` does not keep the order the list was created with (arm64 first, once).
  const platforms = (list.manifests ?? []).map(({ platform }) => `${platform.os}/${platform.architecture}`).sort();
  return { digest, platforms };
}
