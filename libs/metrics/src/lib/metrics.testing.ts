/**
 * For specs: the value of one series in the Prometheus text format, as a scrape reads it
 * (`series` with its labels, e.g. `x_total{outcome="ok"}`), or undefined when it is absent.
 */
export function seriesValue(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}
