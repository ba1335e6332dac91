/** T/M histogram as inline SVG: tumour volume (mL) per T/M bin, bins at/above the hypoxic cutoff in red. */
import type { QuantifyResult } from "./types.js";

const W = 520;
const H = 240;
const PAD = { l: 48, r: 12, t: 12, b: 36 };

export function Histogram(props: { h: QuantifyResult["histogram"]; cutoffTm: number }) {
  const { binEdgesTm: edges, volumeMl } = props.h;
  const nb = Math.min(volumeMl.length, Math.max(0, edges.length - 1));
  if (nb === 0) return <p className="muted">Empty histogram.</p>;
  const x0 = edges[0] ?? 0;
  const x1 = edges[nb] ?? 1;
  const yMax = Math.max(...volumeMl.slice(0, nb), 1e-9);
  const sx = (x: number) => PAD.l + ((x - x0) / (x1 - x0 || 1)) * (W - PAD.l - PAD.r);
  const sy = (y: number) => H - PAD.b - (y / yMax) * (H - PAD.t - PAD.b);
  const ticks = niceTicks(x0, x1, 6);
  const yTicks = niceTicks(0, yMax, 4);
  return (
    <svg
      viewBox={`0 0 ${W} ${H}`}
      className="histogram"
      role="img"
      aria-label="T/M histogram"
      data-testid="tm-histogram"
    >
      {Array.from({ length: nb }, (_, b) => {
        const a = edges[b] ?? 0;
        const c = edges[b + 1] ?? a;
        const y = volumeMl[b] ?? 0;
        return (
          <rect
            key={a}
            x={sx(a)}
            y={sy(y)}
            width={Math.max(0.5, sx(c) - sx(a) - 0.5)}
            height={H - PAD.b - sy(y)}
            className={a >= props.cutoffTm - 1e-9 ? "bar hypoxic" : "bar"}
          >
            <title>
              T/M {a.toFixed(2)}–{c.toFixed(2)}: {y.toFixed(3)} mL
            </title>
          </rect>
        );
      })}
      <line x1={PAD.l} x2={W - PAD.r} y1={H - PAD.b} y2={H - PAD.b} className="axis" />
      <line x1={PAD.l} x2={PAD.l} y1={PAD.t} y2={H - PAD.b} className="axis" />
      {ticks.map((t) => (
        <text key={t} x={sx(t)} y={H - PAD.b + 14} className="tick" textAnchor="middle">
          {t}
        </text>
      ))}
      {yTicks.map((t) => (
        <text key={t} x={PAD.l - 4} y={sy(t) + 4} className="tick" textAnchor="end">
          {t}
        </text>
      ))}
      {props.cutoffTm >= x0 && props.cutoffTm <= x1 ? (
        <line x1={sx(props.cutoffTm)} x2={sx(props.cutoffTm)} y1={PAD.t} y2={H - PAD.b} className="cutoff" />
      ) : null}
      <text x={(W + PAD.l) / 2} y={H - 4} className="label" textAnchor="middle">
        T/M (tumour / reference mean)
      </text>
      <text x={12} y={H / 2} className="label" textAnchor="middle" transform={`rotate(-90 12 ${H / 2})`}>
        volume (mL)
      </text>
    </svg>
  );
}

/** Round tick values (1, 2, 5 × 10^n steps) covering [a, b]. */
function niceTicks(a: number, b: number, n: number): number[] {
  const span = b - a || 1;
  const raw = span / n;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * mag >= raw) ?? 10) * mag;
  const out: number[] = [];
  for (let t = Math.ceil(a / step) * step; t <= b + 1e-9; t += step) out.push(Number(t.toPrecision(6)));
  return out;
}
