// Live charts of one socket's samples: traffic per direction, what shaping
// holds, bufferedAmount and the delay shaping added. uPlot draws thousands of
// points on a canvas in well under an animation frame, and the charts redraw only when a
// sample arrives (four times a second), whatever the message rate.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { SampleField } from '../../shim/wire/records';
import { formatBytes, formatCount } from '../model/format';
import type { Columns, SampleSeries } from '../model/series';
import './socket-charts.css';

type Color = 'green' | 'blue' | 'amber' | 'red';

interface Line {
  label: string;
  field: SampleField;
  color: Color;
  /** A count per interval, drawn per second. */
  rate?: boolean;
}

interface Chart {
  title: string;
  lines: Line[];
  format: (value: number) => string;
}

const CHARTS: Chart[] = [
  {
    title: 'Messages/s',
    format: formatCount,
    lines: [
      { label: '↑ sent', field: 'sent', color: 'green', rate: true },
      { label: '↓ received', field: 'received', color: 'blue', rate: true },
      { label: '↓ handed to the page', field: 'handed', color: 'amber', rate: true },
    ],
  },
  {
    title: 'Bytes/s',
    format: formatBytes,
    lines: [
      { label: '↑ sent', field: 'sentBytes', color: 'green', rate: true },
      { label: '↓ received', field: 'receivedBytes', color: 'blue', rate: true },
    ],
  },
  {
    title: 'Held messages',
    format: formatCount,
    lines: [
      { label: '↑ up link', field: 'heldUp', color: 'green' },
      { label: '↓ down link', field: 'heldDown', color: 'blue' },
      { label: 'consumer', field: 'heldConsumer', color: 'amber' },
    ],
  },
  {
    title: 'bufferedAmount',
    format: formatBytes,
    lines: [{ label: 'bytes', field: 'buffered', color: 'red' }],
  },
  {
    title: 'Added delay (ms)',
    format: (ms) => formatCount(Math.round(ms)),
    lines: [
      { label: '↑ up', field: 'delayUpMs', color: 'green' },
      { label: '↓ down', field: 'delayDownMs', color: 'blue' },
    ],
  },
];

const CHART_HEIGHT = 110;
const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });

/** The columns one chart draws: seconds, then one per line (rates per second). */
function chartData(columns: Columns, chart: Chart): uPlot.AlignedData {
  const seconds = columns.time.map((ms) => ms / 1000);
  const lines = chart.lines.map(({ field, rate }) =>
    rate ? columns[field].map((count, i) => (count * 1000) / (columns.intervalMs[i] || 1)) : columns[field],
  );
  return [seconds, ...lines];
}

function options(chart: Chart, width: number, style: CSSStyleDeclaration): uPlot.Options {
  const color = (name: string) => style.getPropertyValue(`--${name}`).trim() || 'gray';
  const axis: uPlot.Axis = { stroke: color('text-dim'), grid: { stroke: color('grid'), width: 1 }, ticks: { stroke: color('grid'), width: 1 } };
  return {
    title: chart.title,
    width,
    height: CHART_HEIGHT,
    cursor: { drag: { x: false, y: false } },
    legend: { live: false },
    scales: { y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
    axes: [
      { ...axis, size: 24, space: 90, values: (_u, ticks) => ticks.map((seconds) => clock.format(seconds * 1000)) },
      { ...axis, size: 64, values: (_u, ticks) => ticks.map(chart.format) },
    ],
    series: [
      {},
      ...chart.lines.map((line) => ({
        label: line.label,
        stroke: color(line.color),
        width: 1.5,
        points: { show: false },
        value: (_u: uPlot, value: number | null) => (value === null ? '–' : chart.format(value)),
      })),
    ],
  };
}

export function SocketCharts({ series }: { series: SampleSeries | null }) {
  const box = useRef<HTMLDivElement>(null);
  const plots = useRef<uPlot[]>([]);

  useEffect(() => {
    const element = box.current as HTMLDivElement;
    const style = getComputedStyle(element);
    const width = () => Math.max(200, element.clientWidth);
    plots.current = CHARTS.map((chart) => {
      const holder = element.appendChild(document.createElement('div'));
      holder.dataset.testid = 'socket-chart';
      return new uPlot(options(chart, width(), style), [[]], holder);
    });
    const resize = new ResizeObserver(() => plots.current.forEach((plot) => plot.setSize({ width: width(), height: CHART_HEIGHT })));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plots.current.forEach((plot) => plot.destroy());
      plots.current = [];
      element.replaceChildren();
    };
  }, []);

  const newest = series?.latest('time') ?? 0;
  useEffect(() => {
    if (!series) return;
    plots.current.forEach((plot, i) => plot.setData(chartData(series.columns, CHARTS[i])));
  }, [series, series?.length, newest]);

  return <div ref={box} class="socket-charts" data-testid="socket-charts" data-samples={series?.length ?? 0} />;
}
