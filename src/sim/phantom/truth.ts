/**
 * The truth of a synthetic study, computed on the fine truth grid: true mean concentrations,
 * true T/M, volumes, hypoxic volume, VOI spheres in LPS mm (usable as `sphere:X,Y,Z,R` VOIs by
 * `atsm quantify`) and the mass balance.
 */
import type { Grid, Vec3 } from "../../core/types.js";
import { po2Histogram } from "../oxygen/stats.js";
import { NO_SHELL, TISSUE } from "./anatomy.js";
import type { ShellOxygen } from "./microenvironment.js";
import type { StudyPreset } from "./presets.js";

export interface VoiSphere {
  readonly centreMm: Vec3;
  readonly radiusMm: number;
  /** `sphere:X,Y,Z,R` for quant/voi. */
  readonly spec: string;
}

export interface TruthSummary {
  readonly tumour: {
    readonly voi: VoiSphere;
    readonly volumeMl: number;
    readonly meanBqPerMl: number;
    readonly maxBqPerMl: number;
    /** Volume of shells whose pO2 is < 10 mmHg in ≥ half of the tissue (label "hypoxic core"). */
    readonly hypoxicCoreVolumeMl: number;
    /** Σ (fraction of tissue < 10 mmHg) × volume over the tumour: the microscopic hypoxic volume. */
    readonly hypoxicVolume10Ml: number;
    readonly hypoxicVolume2p5Ml: number;
    /** Volume-weighted hypoxic fractions of the tumour. */
    readonly hypoxicFraction10: number;
    readonly hypoxicFraction2p5: number;
    readonly meanPo2MmHg: number;
    /** Volume-weighted microscopic pO2 histogram of the tumour: bins of 2.5 mmHg from 0. */
    readonly po2Histogram: { readonly binEdgesMmHg: number[]; readonly fraction: number[] };
  };
  readonly muscle: { readonly voi: VoiSphere; readonly meanBqPerMl: number };
  /** True tumour mean / muscle mean. */
  readonly tmr: number;
  readonly massBalance: {
    readonly injectedBq: number;
    /** exp(−λ·uptake): decay from injection to the scan start. */
    readonly decayFactor: number;
    readonly excretedBq: number;
    /** Activity in the body = injected·decay − excreted. */
    readonly bodyBq: number;
    /** Activity in the field of view (Σ truth · voxel volume). */
    readonly inFieldOfViewBq: number;
    /** Body activity outside the field of view (patient presets). */
    readonly outsideFieldOfViewBq: number;
    readonly liverBqPerMl: number;
    readonly statement: string;
  };
}

export interface TruthInput {
  readonly preset: StudyPreset;
  readonly grid: Grid;
  readonly labels: Uint8Array;
  readonly activity: Float32Array;
  readonly shells: readonly ShellOxygen[];
  readonly shell: Uint8Array;
  readonly muscleBqPerMl: number;
  readonly injectedBq: number;
  readonly uptakeS: number;
  readonly tMidS: number;
  readonly halfLifeS: number;
  readonly bodyBq: number;
  readonly modelledBq: number;
  readonly liverBqPerMl: number;
}

function sphere(c: Vec3, r: number): VoiSphere {
  const f = (v: number) => Number(v.toFixed(3));
  return {
    centreMm: [f(c[0]), f(c[1]), f(c[2])],
    radiusMm: f(r),
    spec: `sphere:${f(c[0])},${f(c[1])},${f(c[2])},${f(r)}`,
  };
}

export function summariseTruth(t: TruthInput): TruthSummary {
  const g = t.grid;
  const voxelMl = (g.spacingMm[0] * g.spacingMm[1] * g.spacingMm[2]) / 1000;
  let nT = 0;
  let sumT = 0;
  let maxT = 0;
  let core = 0;
  let h10 = 0;
  let h25 = 0;
  let po2 = 0;
  let total = 0;
  const perShell = new Float64Array(t.shells.length);
  for (let u = 0; u < t.labels.length; u++) {
    const a = t.activity[u]!;
    total += a * voxelMl;
    const l = t.labels[u]!;
    if (l !== TISSUE.tumour && l !== TISSUE.hypoxicCore) continue;
    nT++;
    sumT += a;
    if (a > maxT) maxT = a;
    if (l === TISSUE.hypoxicCore) core++;
    const s = t.shell[u]!;
    if (s !== NO_SHELL) {
      perShell[s]! += 1;
      const sh = t.shells[s]!;
      h10 += sh.hypoxicFraction10;
      h25 += sh.hypoxicFraction2p5;
      po2 += sh.meanMmHg;
    }
  }
  const p = t.preset;
  const m = p.muscle;
  const edges: number[] = [];
  const hist: number[] = [];
  t.shells.forEach((sh, k) => {
    const h = po2Histogram(sh.po2SamplesMmHg, { binWidthMmHg: 2.5, maxMmHg: 60 });
    h.fraction.forEach((f, b) => {
      edges[b] = h.binEdgesMmHg[b]!;
      hist[b] = (hist[b] ?? 0) + (nT > 0 ? (f * perShell[k]!) / nT : 0);
    });
  });
  const decay = Math.exp((-Math.LN2 / t.halfLifeS) * t.uptakeS);
  const tumourMean = nT > 0 ? sumT / nT : Number.NaN;
  return {
    tumour: {
      voi: sphere(p.tumourCentreMm, p.tumourRadiusMm),
      volumeMl: nT * voxelMl,
      meanBqPerMl: tumourMean,
      maxBqPerMl: maxT,
      hypoxicCoreVolumeMl: core * voxelMl,
      hypoxicVolume10Ml: h10 * voxelMl,
      hypoxicVolume2p5Ml: h25 * voxelMl,
      hypoxicFraction10: nT > 0 ? h10 / nT : Number.NaN,
      hypoxicFraction2p5: nT > 0 ? h25 / nT : Number.NaN,
      meanPo2MmHg: nT > 0 ? po2 / nT : Number.NaN,
      po2Histogram: { binEdgesMmHg: edges, fraction: hist.map((v) => Number(v.toFixed(5))) },
    },
    muscle: {
      // Sphere inside the muscle ellipsoid, radius 60 % of its smallest semi-axis.
      voi: sphere(m.centreMm, 0.6 * Math.min(m.semiAxesMm[0], m.semiAxesMm[1], m.semiAxesMm[2])),
      meanBqPerMl: t.muscleBqPerMl,
    },
    tmr: tumourMean / t.muscleBqPerMl,
    massBalance: {
      injectedBq: t.injectedBq,
      decayFactor: decay,
      excretedBq: t.injectedBq * decay - t.bodyBq,
      bodyBq: t.bodyBq,
      inFieldOfViewBq: total,
      outsideFieldOfViewBq: t.bodyBq - total,
      liverBqPerMl: t.liverBqPerMl,
      statement:
        "body activity = injected × exp(−λ·uptake) − excreted, excreted = injected × exp(−λ·uptake) × f_ex(t_mid), " +
        "f_ex(t) = max·(1 − 2^(−t/T½ex)) [assumed]; the liver (mouse) or the body outside the field of view " +
        "(patient) holds what the modelled tissues do not",
    },
  };
}
