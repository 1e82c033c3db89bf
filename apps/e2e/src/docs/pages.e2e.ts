/**
 * The challenge pages, executed: every `bash passo` block of docs/desafios/*.md runs in order, in
 * bash from the repository's root, exactly as written, and what it prints (stdout and stderr, as a
 * terminal shows them) must match the `text saída` block the page shows after it (page-output.ts
 * says what is normalised). It runs the stacks under the page's own names (the `desafios` project),
 * so it refuses to start while anything of that project exists: it never touches a student's stack.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { docker, WORKSPACE_ROOT } from '@desafios/testing';
import { normalise, outputMatches } from './page-output';
import { pageSteps } from './page-steps';

const PAGES_DIR = join(WORKSPACE_ROOT, 'docs/desafios');
// A step that builds images from a cold cache takes minutes (the e2e:docs target builds them first).
const STEP_TIMEOUT_MS = 540_000;
const PROJECT = 'desafios';

const pages = readdirSync(PAGES_DIR)
  .filter((name) => /^\d-.*\.md$/.test(name))
  .sort()
  .map((name) => join(PAGES_DIR, name));

/** Runs one step as a student's shell would, stderr interleaved with stdout in one stream. */
function runStep(command: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', `exec 2>&1\n${command}`], {
      cwd: WORKSPACE_ROOT,
      env: { ...process.env, COMPOSE_PROJECT_NAME: undefined, COMPOSE_PROFILES: undefined },
      stdio: ['ignore', 'pipe', 'inherit'],
      timeout: STEP_TIMEOUT_MS,
      killSignal: 'SIGKILL',
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** Everything Docker holds under the page's project name: nothing may be there before we start. */
async function projectLeftovers(): Promise<string[]> {
  const label = `label=com.docker.compose.project=${PROJECT}`;
  const containers = await docker(['ps', '-a', '--filter', label, '--format', 'container {{.Names}}']);
  const volumes = await docker(['volume', 'ls', '--filter', label, '--format', 'volume {{.Name}}']);
  return [...containers.split('\n'), ...volumes.split('\n')].filter(Boolean);
}

async function removeProject(): Promise<void> {
  await docker(['compose', '-p', PROJECT, '--profile', 'all', '--profile', 'observabilidade', 'down', '-v', '--remove-orphans'], 120_000);
}

const ran: string[] = [];

describe('docs: the challenge pages, step by step', () => {
  beforeAll(async () => {
    const leftovers = await projectLeftovers();
    if (leftovers.length > 0) {
      throw new Error(
        `the "${PROJECT}" project already has ${leftovers.join(', ')}: the pages run under that name; ` +
          `remove them (docker compose --profile all --profile observabilidade down -v) and run again`,
      );
    }
  });

  afterAll(() => {
    process.stdout.write(`\ndocs: ${ran.join('; ')}\n`);
  });

  describe.each(pages.map((path) => [relative(WORKSPACE_ROOT, path), path]))('%s', (name, path) => {
    const steps = pageSteps(path);
    let failedAt: number | undefined;
    let executed = 0;
    let compared = 0;

    it('has runnable steps', () => {
      expect(steps.length).toBeGreaterThan(0);
    });

    it.each(steps.map((step, index) => [index + 1, step.line, step.command.split('\n')[0], step] as const))(
      'passo %i (linha %i): %s',
      async (index, _line, _first, step) => {
        if (failedAt !== undefined) throw new Error(`not run: step ${failedAt} of this page failed`);
        failedAt = index;
        const { code, output } = await runStep(step.command);
        executed++;
        const detail = `${name}:${step.line}\n--- printed ---\n${output}`;
        expect({ exit: code, detail }).toEqual({ exit: 0, detail });
        if (step.expected !== undefined) {
          const [expected, actual] = [normalise(step.expected), normalise(output)];
          if (!outputMatches(expected, actual)) {
            // The diff Jest prints is the page's block against what really came out.
            expect(actual.join('\n')).toEqual(expected.join('\n'));
          }
          compared++;
        }
        failedAt = undefined;
      },
    );

    afterAll(async () => {
      ran.push(`${name}: ${executed} de ${steps.length} passos executados, ${compared} com a saída conferida`);
      // A page that stopped half-way did not reach its own clean-up step: do it, so the next page starts clean.
      if (failedAt !== undefined) await removeProject();
    });
  });
});
