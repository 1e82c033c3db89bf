/**
 * The curves as one SVG: a row per service, req/s on the left and p99 on the right, connections on
 * a log scale. Drawn by hand: a few polylines and axis labels (a charting library such as Vega
 * would add tens of MB of dependencies for this; docs/decisions.md).
 */
import type { CurvePoint } from './wrk';

const PANEL = { width: 420, height: 220, left: 64, right: 28, top: 36, bottom: 40 };
const COLORS = ['#0969da', '#bf3989', '#1a7f37', '#9a6700'];

const escapeXml = (text: string) => text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);

/** Round numbers for an axis from 0 to at least `max`. */
function ticks(max: number): number[] {
  const rough = max / 4;
  const magnitude = 10 ** Math.floor(Math.log10(rough || 1));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? rough;
  return Array.from({ length: Math.ceil(max / step) + 1 }, (_, i) => round(i * step));
}

const round = (value: number) => Math.round(value * 1000) / 1000;
const label = (value: number) => (value >= 10_000 ? `${round(value / 1000)}k` : String(value));

function panel(x0: number, y0: number, title: string, series: { name: string; points: [number, number][] }[], unit: string): string {
  const connections = [...new Set(series.flatMap((s) => s.points.map(([c]) => c)))].sort((a, b) => a - b);
  const [minC, maxC] = [Math.log10(connections[0]), Math.log10(connections.at(-1) as number)];
  const yTicks = ticks(Math.max(1, ...series.flatMap((s) => s.points.map(([, v]) => v))));
  const maxY = yTicks.at(-1) as number;
  const plotW = PANEL.width - PANEL.left - PANEL.right;
  const plotH = PANEL.height - PANEL.top - PANEL.bottom;
  const x = (c: number) => x0 + PANEL.left + ((Math.log10(c) - minC) / (maxC - minC || 1)) * plotW;
  const y = (v: number) => y0 + PANEL.top + plotH - (v / maxY) * plotH;
  const parts = [`<text x="${x0 + PANEL.left}" y="${y0 + 20}" class="title">${escapeXml(title)}</text>`];
  for (const t of yTicks) {
    parts.push(`<line x1="${x0 + PANEL.left}" x2="${x0 + PANEL.left + plotW}" y1="${y(t)}" y2="${y(t)}" class="grid"/>`);
    parts.push(`<text x="${x0 + PANEL.left - 6}" y="${y(t) + 4}" class="tick" text-anchor="end">${label(t)}</text>`);
  }
  for (const c of connections) {
    parts.push(`<text x="${x(c)}" y="${y0 + PANEL.top + plotH + 16}" class="tick" text-anchor="middle">${c}</text>`);
  }
  parts.push(`<text x="${x0 + PANEL.left + plotW / 2}" y="${y0 + PANEL.height - 6}" class="tick" text-anchor="middle">conexões (escala log) · ${escapeXml(unit)}</text>`);
  series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length];
    parts.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${s.points.map(([c, v]) => `${x(c).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}"/>`);
    for (const [c, v] of s.points) parts.push(`<circle cx="${x(c).toFixed(1)}" cy="${y(v).toFixed(1)}" r="3" fill="${color}"/>`);
  });
  return parts.join('\n');
}

export function curvesSvg(sets: { service: string; curves: Record<string, CurvePoint[]> }[]): string {
  const legendHeight = 22;
  const rowHeight = PANEL.height + legendHeight;
  const width = PANEL.width * 2;
  const height = rowHeight * sets.length;
  const body = sets.map(({ service, curves }, row) => {
    const y0 = row * rowHeight;
    const names = Object.keys(curves);
    const series = (metric: 'rps' | 'p99') => names.map((name) => ({ name, points: curves[name].map((p): [number, number] => [p.connections, p[metric]]) }));
    const legend = names
      .map((name, i) => `<rect x="${PANEL.left + i * 300}" y="${y0 + PANEL.height + 4}" width="12" height="12" fill="${COLORS[i % COLORS.length]}"/><text x="${PANEL.left + i * 300 + 18}" y="${y0 + PANEL.height + 14}" class="tick">${escapeXml(name)}</text>`)
      .join('\n');
    return [panel(0, y0, `${service}: req/s`, series('rps'), 'req/s'), panel(PANEL.width, y0, `${service}: p99`, series('p99'), 'ms'), legend].join('\n');
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif">
<style>.title { font-size: 14px; font-weight: 600; } .tick { font-size: 11px; fill: #444; } .grid { stroke: #ddd; }</style>
<rect width="100%" height="100%" fill="#fff"/>
${body.join('\n')}
</svg>
`;
}
