// Alerts by priority over time with uPlot: one series per priority group, drawn as bars,
// sized to its container so the chart fits a phone as well as a laptop.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Priority, Summary } from './types.ts';

const GROUPS: { label: string; of: Priority[]; color: string }[] = [
  { label: 'Critical+', of: ['Emergency', 'Alert', 'Critical'], color: '#c0392b' },
  { label: 'Error', of: ['Error'], color: '#e67e22' },
  { label: 'Warning', of: ['Warning'], color: '#d4ac0d' },
  { label: 'Notice-', of: ['Notice', 'Informational', 'Debug'], color: '#2e86c1' },
];

/** The data arrays uPlot wants: x in seconds, then one count per group per bucket. */
export function chartData(s: Pick<Summary, 'buckets' | 'since' | 'until' | 'bucketMs'>): number[][] {
  const byStart = new Map(s.buckets.map((b) => [b.start, b]));
  const first = Math.floor(s.since / s.bucketMs) * s.bucketMs;
  const xs: number[] = [];
  for (let t = first; t < s.until && xs.length < 1000; t += s.bucketMs) xs.push(t);
  return [xs.map((t) => t / 1000), ...GROUPS.map((g) => xs.map((t) => g.of.reduce((n, p) => n + (byStart.get(t)?.byPriority[p] ?? 0), 0)))];
}

/** The chart; redrawn when the summary changes and resized with its box. */
export function TimeChart({ summary }: { summary: Summary }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const bars = uPlot.paths.bars!({ size: [0.8, 40] });
    const plot = new uPlot(
      {
        width: el.clientWidth,
        height: 220,
        series: [{}, ...GROUPS.map((g) => ({ label: g.label, stroke: g.color, fill: `${g.color}99`, paths: bars, points: { show: false } }))],
        axes: [{}, { size: 40 }],
        legend: { live: false },
        cursor: { drag: { x: false, y: false } },
      },
      chartData(summary) as uPlot.AlignedData,
      el,
    );
    const ro = new ResizeObserver(() => plot.setSize({ width: el.clientWidth, height: 220 }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.destroy();
    };
  }, [summary]);
  return <div ref={box} className="chart" id="priority-chart" />;
}
