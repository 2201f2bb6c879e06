/** @module A small accessible SVG bar chart (actual minutes per day) with a line for peak concurrency. */
import type { DayUsage } from './daily-usage.js';

const WIDTH = 720;
const HEIGHT = 200;
const PAD = { top: 12, right: 36, bottom: 24, left: 36 };

export function UsageChart({ days }: { days: DayUsage[] }) {
  const maxMinutes = niceCeil(Math.max(...days.map((d) => d.minutes)));
  // Concurrency is whole sessions: an even top keeps the middle tick whole too.
  const maxConcurrency = Math.max(2, Math.ceil(Math.max(...days.map((d) => d.peakConcurrency)) / 2) * 2);
  const innerW = WIDTH - PAD.left - PAD.right;
  const innerH = HEIGHT - PAD.top - PAD.bottom;
  const slot = innerW / Math.max(1, days.length);
  const barW = Math.max(2, slot * 0.6);
  const y = (minutes: number) => PAD.top + innerH - (minutes / maxMinutes) * innerH;
  const yc = (c: number) => PAD.top + innerH - (c / maxConcurrency) * innerH;
  const line = days
    .filter((d) => !d.future)
    .map((d, i) => `${PAD.left + slot * i + slot / 2},${yc(d.peakConcurrency)}`)
    .join(' ');
  const total = days.reduce((sum, d) => sum + d.minutes, 0);

  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby="usage-chart-title usage-chart-desc">
        <title id="usage-chart-title">Actual minutes per day this period</title>
        <desc id="usage-chart-desc">
          {`${Math.round(total * 10) / 10} actual minutes so far (unrounded; billing rounds each session up) over a ${days.length}-day period; busiest day ${Math.max(...days.map((d) => d.minutes))} minutes; peak ${Math.max(...days.map((d) => d.peakConcurrency))} concurrent sessions.`}
        </desc>
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line
              x1={PAD.left}
              x2={WIDTH - PAD.right}
              y1={y(maxMinutes * f)}
              y2={y(maxMinutes * f)}
              className="chart-grid"
            />
            <text x={PAD.left - 6} y={y(maxMinutes * f) + 4} textAnchor="end" className="chart-label">
              {formatTick(maxMinutes * f)}
            </text>
            <text
              x={WIDTH - PAD.right + 6}
              y={yc(maxConcurrency * f) + 4}
              className="chart-label chart-label-accent"
            >
              {maxConcurrency * f}
            </text>
          </g>
        ))}
        {days.map((d, i) => (
          <rect
            key={d.day}
            x={PAD.left + slot * i + (slot - barW) / 2}
            y={y(d.minutes)}
            width={barW}
            height={Math.max(0, PAD.top + innerH - y(d.minutes))}
            rx={2}
            className="chart-bar"
          >
            <title>{`${d.day}: ${d.minutes} actual min, peak ${d.peakConcurrency} concurrent`}</title>
          </rect>
        ))}
        {days.length > 1 && <polyline points={line} className="chart-line" fill="none" />}
        {days
          .filter((_, i) => i === 0 || i === days.length - 1 || i % 7 === 0)
          .map((d) => {
            const i = days.indexOf(d);
            return (
              <text
                key={d.day}
                x={PAD.left + slot * i + slot / 2}
                y={HEIGHT - 6}
                textAnchor="middle"
                className="chart-label"
              >
                {d.day.slice(5)}
              </text>
            );
          })}
      </svg>
      <figcaption className="chart-legend">
        <span className="legend-bar" aria-hidden="true" /> actual minutes per day, not rounded (left axis)
        <span className="legend-line" aria-hidden="true" /> peak concurrent sessions (right axis)
      </figcaption>
    </figure>
  );
}

/** 1, 2, 5 × 10ⁿ at or above the value (at least 1 minute). */
function niceCeil(value: number): number {
  if (value <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 5, 10].find((m) => m * power >= value) ?? 10;
  return step * power;
}

const formatTick = (value: number) => (Number.isInteger(value) ? String(value) : value.toFixed(1));
