/**
 * Links from the pages to lines of a YAML file, `[`name`](…/docker-compose.yml#L40-L57)`, named by
 * the key they point at. Line numbers move whenever the file changes; the docs suite checks that
 * each range is still exactly the block of its key, so a page never points at the wrong lines.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export interface LineLink {
  page: string;
  key: string;
  file: string;
  from: number;
  to: number;
}

const LINE_LINK = /\[`([\w.-]+)`\]\(([^)#\s]+\.ya?ml)#L(\d+)-L(\d+)\)/g;

/** Every line-range link of a page to a YAML file, with the file's absolute path. */
export function lineLinks(page: string): LineLink[] {
  const text = readFileSync(page, 'utf8');
  return [...text.matchAll(LINE_LINK)].map(([, key, target, from, to]) => ({
    page,
    key,
    file: resolve(dirname(page), target),
    from: Number(from),
    to: Number(to),
  }));
}

/**
 * The lines (1-based, inclusive) of the block that `key` opens one level below the top of a
 * compose file (a service, network or volume): from its line to its last line of content, the
 * comments that introduce the next block left out. Undefined if no such key exists.
 */
export function blockOf(file: string, key: string): { from: number; to: number } | undefined {
  const lines = readFileSync(file, 'utf8').split('\n');
  const start = lines.findIndex((line) => line === `  ${key}:` || line.startsWith(`  ${key}: `));
  if (start < 0) return undefined;
  let end = start + 1;
  while (end < lines.length && !/^ {0,2}\S/.test(lines[end])) end += 1;
  let last = end - 1;
  while (last > start && (lines[last].trim() === '' || lines[last].trim().startsWith('#'))) last -= 1;
  return { from: start + 1, to: last + 1 };
}
