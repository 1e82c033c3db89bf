import { get } from '@desafios/testing';

export interface Sample {
  metric: Record<string, string>;
  value: number;
}

export interface Target {
  job: string;
  instance: string;
  health: 'up' | 'down' | 'unknown';
  lastError: string;
}

/** An instant query through Prometheus's HTTP API (GET /api/v1/query). */
export async function query(base: string, promql: string): Promise<Sample[]> {
  const response = await get(`${base}/api/v1/query?query=${encodeURIComponent(promql)}`);
  const body = JSON.parse(response.body) as { status: string; error?: string; data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
  if (body.status !== 'success') throw new Error(`query ${promql}: ${body.error ?? response.status}`);
  return body.data.result.map(({ metric, value }) => ({ metric, value: Number(value[1]) }));
}

/** The single value of a query that yields one series, or undefined while it yields none. */
export async function scalar(base: string, promql: string): Promise<number | undefined> {
  const result = await query(base, promql);
  if (result.length > 1) throw new Error(`query ${promql}: ${result.length} series, expected one`);
  return result[0]?.value;
}

/** The active scrape targets (GET /api/v1/targets). */
export async function targets(base: string): Promise<Target[]> {
  const body = JSON.parse((await get(`${base}/api/v1/targets?state=active`)).body) as {
    data: { activeTargets: { labels: Record<string, string>; health: Target['health']; lastError: string }[] };
  };
  return body.data.activeTargets.map(({ labels, health, lastError }) => ({ job: labels.job, instance: labels.instance, health, lastError }));
}
