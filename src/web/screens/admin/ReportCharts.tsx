// The report's two charts (chart.js): tokens by source, stacked by outcome; and waits by source
// (median and 9 in 10). Each dataset has one colour, used for its bars and its legend box alike, so the
// legend always matches. A chart is a picture of a table the screen also shows, so a screen reader gets
// the same in words (the canvas's label) and the numbers in the tables.

import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip, type ChartConfiguration } from 'chart.js';
import { useEffect, useMemo, useRef } from 'react';
import type { ReportRow } from '../../api.ts';
import { SOURCE_LABEL } from '../../format.ts';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

const SOURCES = ['EMERGENCY', 'PAID', 'FOLLOWUP', 'ONLINE', 'WALKIN'] as const;

/** One colour per outcome, the words the tables use. */
export const OUTCOME_SERIES = [
  ['seen', 'Seen', '#16703a'],
  ['noShow', 'Did not come', '#c25e00'],
  ['cancelled', 'Cancelled', '#6b7785'],
  ['expired', 'Got no seat', '#b3261e'],
  ['open', 'Not finished', '#0b5cad'],
] as const;

export const WAIT_SERIES = [
  ['median', 'Median wait', '#0b5cad'],
  ['p90', '9 in 10 waited at most', '#c25e00'],
] as const;

function BarChart({ config, label, testId }: { config: ChartConfiguration<'bar'>; label: string; testId: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const el = canvas.current;
    const chart = new Chart(el, config);
    // What chart.js drew, for the browser test to compare: each legend box's colour, each series' bars'.
    el.dataset.legend = (chart.legend?.legendItems ?? []).map((i) => String(i.fillStyle)).join(' ');
    el.dataset.bars = chart.data.datasets.map((_, i) => String((chart.getDatasetMeta(i).data[0]?.options as { backgroundColor?: unknown } | undefined)?.backgroundColor ?? '')).join(' ');
    return () => chart.destroy();
  }, [config]);
  return (
    <div className="chart">
      <canvas ref={canvas} role="img" aria-label={label} data-testid={testId} />
    </div>
  );
}

const common = { responsive: true, maintainAspectRatio: false, animation: false } as const;

export function OutcomeChart({ row }: { row: ReportRow }) {
  const config = useMemo((): ChartConfiguration<'bar'> => ({
    type: 'bar',
    data: {
      labels: SOURCES.map((s) => SOURCE_LABEL[s]),
      datasets: OUTCOME_SERIES.map(([key, name, colour]) => ({
        label: name,
        data: SOURCES.map((s) => row.bySource[s][key]),
        backgroundColor: colour,
        borderColor: colour,
      })),
    },
    options: { ...common, scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } },
  }), [row]);
  const words = SOURCES.map((s) => `${SOURCE_LABEL[s]}: ${OUTCOME_SERIES.map(([k, n]) => `${row.bySource[s][k]} ${n.toLowerCase()}`).join(', ')}`).join('; ');
  return <BarChart config={config} label={`Tokens by source and outcome. ${words}.`} testId="chart-outcomes" />;
}

export function WaitChart({ row }: { row: ReportRow }) {
  const config = useMemo((): ChartConfiguration<'bar'> => ({
    type: 'bar',
    data: {
      labels: SOURCES.map((s) => SOURCE_LABEL[s]),
      datasets: WAIT_SERIES.map(([key, name, colour]) => ({
        label: name,
        data: SOURCES.map((s) => row.waits[s][key] ?? 0),
        backgroundColor: colour,
        borderColor: colour,
      })),
    },
    options: { ...common, scales: { y: { beginAtZero: true, title: { display: true, text: 'minutes' } } } },
  }), [row]);
  const words = SOURCES.filter((s) => row.waits[s].patients > 0)
    .map((s) => `${SOURCE_LABEL[s]}: median ${row.waits[s].median} min, 9 in 10 within ${row.waits[s].p90} min`)
    .join('; ');
  return <BarChart config={config} label={`Wait from check-in to call, by source. ${words || 'Nobody was called.'}`} testId="chart-waits" />;
}
