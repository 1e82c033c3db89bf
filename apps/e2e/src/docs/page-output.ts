/**
 * Compares what a step printed with the output its page shows. Both sides are normalised only for
 * what truly varies from run to run. The page may write `...` alone on a line for "any lines here"
 * (progress lines whose order or number Docker does not fix), and `...` inside a line for "any text
 * here" (a server's version string, which differs between the official images and the CI's).
 */

/** What varies between runs, each replaced by a fixed token on both sides. */
const VARYING: [RegExp, string][] = [
  // ISO timestamps (the apps log and store them in UTC).
  [/\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z\b/g, '<data>'],
  // Durations (latencies, uptimes): "24 ms", "3,5 s".
  [/\b\d+(?:[.,]\d+)? ?(ms|s)\b/g, '<duração> $1'],
  // Container and image ids.
  [/\b[0-9a-f]{12,64}\b/g, '<id>'],
];

export function normalise(text: string): string[] {
  // Terminal control sequences (Compose erases the line before each log line): invisible on screen.
  // eslint-disable-next-line no-control-regex
  let out = text.replace(/\r\n/g, '\n').replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
  for (const [pattern, token] of VARYING) out = out.replace(pattern, token);
  const lines = out.split('\n').map((line) => line.trimEnd());
  while (lines.length > 0 && lines.at(-1) === '') lines.pop();
  return lines;
}

const ANY = '...';

/** True when `actual` is `expected` line for line, `...` lines standing for any run of lines. */
export function outputMatches(expected: string[], actual: string[]): boolean {
  const match = (e: number, a: number): boolean => {
    if (e === expected.length) return a === actual.length;
    if (expected[e] === ANY) {
      for (let skip = a; skip <= actual.length; skip++) if (match(e + 1, skip)) return true;
      return false;
    }
    return a < actual.length && lineMatches(expected[e], actual[a]) && match(e + 1, a + 1);
  };
  return match(0, 0);
}

function lineMatches(expected: string, actual: string): boolean {
  if (!expected.includes(ANY)) return expected === actual;
  const escaped = expected.split(ANY).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`).test(actual);
}
