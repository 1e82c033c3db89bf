/**
 * The header every generated report in docs/ starts with (which commit it measured, when, and the
 * command that writes it again), and the check that lists the reports older than their inputs.
 * Imported by the bench (jiti), by tools/*\/write-report.mjs and tools/reports/stale-reports.mjs
 * (Node strips the types itself): so only node: imports here, and only erasable TypeScript.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The generated reports, with the command that writes each (the header names it too). */
export const REPORTS: readonly { path: string; command: string }[] = [
  { path: 'docs/reports/reliability.md', command: 'npx nx run e2e:reliability-report' },
  { path: 'docs/reports/lab.md', command: 'npx nx run e2e:lab-report' },
  { path: 'docs/reports/arm64.md', command: 'npx nx run e2e:arm64-report' },
  { path: 'docs/reports/benchmarks.md', command: 'npx nx run bench:all' },
  { path: 'docs/reports/profiles.md', command: 'npx nx run bench:profile' },
  { path: 'docs/reports/build-time.md', command: 'npx nx run bench:build-time' },
];

/**
 * What a report measures: a commit that changes none of these leaves its figures true. Markdown
 * (a lib's README, a link in one) measures nothing, so it is left out.
 */
export const REPORT_INPUTS = ['apps', 'libs', 'docker', 'docker-compose.yml', 'compose.dev.yaml', 'deploy', ':(exclude,glob)**/*.md'];

export interface Revision {
  /** `git rev-parse --short HEAD`. */
  commit: string;
  /** The work tree had changes not committed (outside docs/, where the reports are, and Markdown). */
  dirty: boolean;
}

const git = (root: string, args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();

/** The commit the work tree is at, and whether it differs from it (outside the reports and Markdown). */
export function sourceRevision(root: string): Revision {
  const commit = git(root, ['rev-parse', '--short', 'HEAD']);
  // Git leaves docs/ out itself: it holds the reports and what is written about them, not what they measure.
  // (Filtering the porcelain lines here went wrong: trimming the output ate the first line's status column.)
  const changed = git(root, ['status', '--porcelain', '--', '.', ':(exclude)docs', ':(exclude,glob)**/*.md']);
  return { commit, dirty: changed !== '' };
}

const MARKER = /^<!-- relatório gerado: commit=([0-9a-f]+)(\+dirty)? data=(\S+) -->$/m;

/**
 * The report's first lines: a marker the staleness check reads, then the same for a person.
 * `revision` is the commit measured (taken when the measurement started), `date` an ISO time.
 */
export function reportHeader(command: string, revision: Revision, date: string): string {
  const dirty = revision.dirty ? ' + alterações não commitadas' : '';
  return [
    `<!-- relatório gerado: commit=${revision.commit}${revision.dirty ? '+dirty' : ''} data=${date} -->`,
    `> **Gerado**, não escrito à mão: \`${command}\` o escreve de novo. Mediu o commit \`${revision.commit}\`${dirty}, em ${date}.`,
    '',
  ].join('\n');
}

/** The revision and date a report's header names, or undefined when it has none. */
export function readReportHeader(markdown: string): (Revision & { date: string }) | undefined {
  const match = MARKER.exec(markdown);
  return match ? { commit: match[1], dirty: match[2] !== undefined, date: match[3] } : undefined;
}

/**
 * One line per report that is missing, has no header, was measured on uncommitted changes, or
 * measured a commit older than the last commit that changed its inputs. Empty: all current.
 */
export function staleReports(root: string): string[] {
  const last = git(root, ['log', '-1', '--format=%H', '--', ...REPORT_INPUTS]);
  const lastShort = git(root, ['rev-parse', '--short', last]);
  const lines: string[] = [];
  for (const { path, command } of REPORTS) {
    const file = join(root, path);
    const header = existsSync(file) ? readReportHeader(readFileSync(file, 'utf8')) : undefined;
    if (!existsSync(file)) lines.push(`${path}: não existe (${command})`);
    else if (!header) lines.push(`${path}: sem cabeçalho de relatório gerado; não se sabe que commit mediu (${command})`);
    else if (!isCommit(root, header.commit)) lines.push(`${path}: mediu ${header.commit}, que não está nesta história (${command})`);
    else if (!isAncestor(root, last, header.commit))
      lines.push(`${path}: mediu ${header.commit}${header.dirty ? ' + alterações não commitadas' : ''}; ${lastShort} mudou o que ele mede depois (${command})`);
    else if (header.dirty) lines.push(`${path}: mediu ${header.commit} + alterações não commitadas (${command})`);
  }
  return lines;
}

/** git exits non-zero for "no": false. */
function succeeds(root: string, args: string[]): boolean {
  try {
    git(root, args);
    return true;
  } catch {
    return false;
  }
}

const isCommit = (root: string, commit: string) => succeeds(root, ['cat-file', '-e', `${commit}^{commit}`]);
/** `ancestor` is `commit` or comes before it. */
const isAncestor = (root: string, ancestor: string, commit: string) => succeeds(root, ['merge-base', '--is-ancestor', ancestor, commit]);
