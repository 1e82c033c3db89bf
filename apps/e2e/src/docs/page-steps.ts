/**
 * The runnable steps of a challenge page (docs/desafios/*.md). A step is a fenced block whose info
 * string is `bash passo`; the `text saída` block that follows it (before the next step) is the
 * output the step must print. GitHub renders both as ordinary `bash` and `text` blocks.
 */
import { readFileSync } from 'node:fs';
import { fromMarkdown } from 'mdast-util-from-markdown';
import type { Code } from 'mdast';

export interface PageStep {
  /** 1-based line of the step's fence in the page, for failure messages. */
  line: number;
  command: string;
  /** The output the page promises, when it shows one. */
  expected?: string;
}

const STEP = { lang: 'bash', meta: 'passo' };
const OUTPUT = { lang: 'text', meta: 'saída' };

export function pageSteps(path: string): PageStep[] {
  const steps: PageStep[] = [];
  const visit = (node: { type: string; children?: unknown[] }) => {
    if (node.type === 'code') {
      const code = node as Code;
      if (code.lang === STEP.lang && code.meta === STEP.meta) {
        steps.push({ line: code.position?.start.line ?? 0, command: code.value });
      } else if (code.lang === OUTPUT.lang && code.meta === OUTPUT.meta) {
        const step = steps.at(-1);
        if (!step || step.expected !== undefined) {
          throw new Error(`${path}:${code.position?.start.line}: a "text saída" block with no "bash passo" block before it`);
        }
        step.expected = code.value;
      }
    }
    for (const child of (node.children ?? []) as { type: string }[]) visit(child);
  };
  visit(fromMarkdown(readFileSync(path, 'utf8')));
  return steps;
}
