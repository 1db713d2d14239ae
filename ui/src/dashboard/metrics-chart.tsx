/**
 * One small chart of the app's metrics, drawn as SVG at the width it is given: stacked bars or lines
 * (a dash pattern per line, so colour is never the only difference), a legend, the values under the
 * pointer or the arrow keys, and the same data as a table for anyone who would rather read it.
 */
import type { RefObject } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { linePath, linearScale, logScale, pointAt, stackedBars } from '../lib/chart';
import type { ChartData } from '../lib/metrics';

export interface Props {
  readonly chart: ChartData;
  /** Each point's time as shown on the axis and in the table. */
  readonly times: readonly string[];
}

const height = 120;
const left = 52;
const right = 8;
const top = 8;
const bottom = 22;

function useWidth(): [RefObject<HTMLDivElement | null>, number] {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const observer = new ResizeObserver(([entry]) => setWidth(Math.floor(entry?.contentRect.width ?? 0)));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

export function MetricsChart({ chart, times }: Props) {
  const [box, width] = useWidth();
  const [cursor, setCursor] = useState<number | null>(null);
  const count = times.length;
  const plotWidth = Math.max(0, width - left - right);
  const all = chart.series.flatMap((s) => s.values);
  const stacked = chart.kind === 'bars'
    ? times.map((_, i) => chart.series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0))
    : all;
  const scale = chart.scale === 'log' ? logScale(all, height) : linearScale(stacked, height, { min: 1, integer: chart.integer });
  const x = (i: number) => ((i + 0.5) / Math.max(count, 1)) * plotWidth;
  const every = Math.max(1, Math.ceil(count / Math.max(2, Math.floor(plotWidth / 90))));
  const move = (delta: number) => setCursor((c) => Math.min(count - 1, Math.max(0, (c ?? (delta > 0 ? -1 : count)) + delta)));
  const titleId = `chart-${chart.id}-title`;
  const shown = cursor !== null && cursor < count ? cursor : null;
  return (
    <figure class="chart" aria-labelledby={titleId}>
      <figcaption id={titleId} class="chart-title">{chart.title}</figcaption>
      <ul class="legend" aria-label={`${chart.title}: series`}>
        {chart.series.map((s) => <li key={s.label}><svg width="14" height="10" aria-hidden="true"><line x1="0" x2="14" y1="5" y2="5" class={`swatch ${s.tone}`} /></svg>{s.label}</li>)}
      </ul>
      <div class="plot" ref={box} tabIndex={0} role="group" aria-label={`${chart.summary} Arrow keys read each point.`}
        onPointerMove={(e) => setCursor(pointAt(e.offsetX - left, plotWidth, count))} onPointerLeave={() => setCursor(null)} onBlur={() => setCursor(null)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') { e.preventDefault(); move(e.key === 'ArrowRight' ? 1 : -1); }
          else if (e.key === 'Home' || e.key === 'End') { e.preventDefault(); setCursor(e.key === 'Home' ? 0 : count - 1); }
          else if (e.key === 'Escape') setCursor(null);
        }}>
        {width > 0 && (
          <svg width={width} height={height + top + bottom} aria-hidden="true" data-testid={`chart-${chart.id}`}>
            <g transform={`translate(${left},${top})`}>
              {scale.ticks.map((t) => (
                <g key={t} class="tick">
                  <line x1={0} x2={plotWidth} y1={scale.y(t)} y2={scale.y(t)} />
                  <text x={-6} y={scale.y(t)} dy="0.32em" text-anchor="end">{chart.axis(t)}</text>
                </g>
              ))}
              {times.map((label, i) => (i % every === 0 ? <text key={i} class="time" x={x(i)} y={height + 16} text-anchor="middle">{label}</text> : null))}
              {chart.kind === 'bars'
                ? stackedBars(chart.series.map((s) => s.values.map((v) => v ?? 0)), plotWidth, scale.y).map((b, i) => (
                  <rect key={i} class={`bar ${chart.series[b.series]?.tone ?? ''}`} x={b.x} y={b.y} width={b.width} height={b.height} />
                ))
                : chart.series.map((s) => (
                  <g key={s.label} class={`line ${s.tone}`}>
                    <path d={linePath(s.values, x, scale.y)} />
                    {s.values.map((v, i) => (v === null ? null : <circle key={i} cx={x(i)} cy={scale.y(v)} r={2} />))}
                  </g>
                ))}
              {shown !== null && <line class="cursor" x1={x(shown)} x2={x(shown)} y1={0} y2={height} />}
            </g>
          </svg>
        )}
        <div class="readout" aria-live="polite">
          {shown !== null && (
            <>
              <strong>{times[shown]}</strong>
              {chart.series.map((s) => {
                const v = s.values[shown];
                return <span key={s.label}> · {s.label} {v === null || v === undefined ? 'no data' : chart.format(v)}</span>;
              })}
            </>
          )}
        </div>
      </div>
      <details class="chart-table">
        <summary>Show as a table<span class="visually-hidden">: {chart.title}</span></summary>
        <div class="table-scroll" tabIndex={0} role="region" aria-label={`${chart.title} as a table`}>
          <table>
            <thead><tr><th scope="col">Time</th>{chart.series.map((s) => <th key={s.label} scope="col">{s.label}</th>)}</tr></thead>
            <tbody>
              {times.map((label, i) => (
                <tr key={i}><th scope="row">{label}</th>{chart.series.map((s) => { const v = s.values[i]; return <td key={s.label}>{v === null || v === undefined ? '–' : chart.axis(v)}</td>; })}</tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
