/**
 * The report's pictures as RGBA images: fused PET/CT axial/coronal/sagittal through the hottest
 * tumour voxel with VOI contours, a coronal PET MIP, and the T/M histogram with its cumulative
 * curve.
 */

import { voxelToWorld } from "../../core/geometry.js";
import type { Mask, Vec3 } from "../../core/types.js";
import { renderPlot } from "../../image/render/plot.js";
import type { RgbaImage } from "../../image/render/rgba.js";
import { renderFusedView, renderMip } from "../../image/render/views.js";
import type { QuantifyImages, QuantifyResult } from "../quantify/types.js";

export interface ReportFigures {
  readonly axial: RgbaImage;
  /** Axial slice through the centroid of the reference VOI (QA of the muscle placement). */
  readonly referenceAxial: RgbaImage;
  readonly coronal: RgbaImage;
  readonly sagittal: RgbaImage;
  readonly mip: RgbaImage;
  readonly histogram: RgbaImage;
}

/** Display maximum: the tumour maximum in the display unit (SUV when known). */
export function displayMax(r: QuantifyResult, images: QuantifyImages): number {
  const toDisplay = images.pet.unit === r.tumor.unit ? 1 : (r.study.suvPerNativeUnit ?? 1);
  const m = r.tumor.nativeMax * toDisplay;
  return Number.isFinite(m) && m > 0 ? m : 1;
}

/** LPS centroid of the voxels of `label` (null when absent). */
export function labelCentroidMm(mask: Mask, label: number): Vec3 | null {
  const [nx, ny] = mask.dims;
  let si = 0;
  let sj = 0;
  let sk = 0;
  let n = 0;
  for (let p = 0; p < mask.data.length; p++) {
    if (mask.data[p] !== label) continue;
    const i = p % nx;
    const q = (p - i) / nx;
    const j = q % ny;
    si += i;
    sj += j;
    sk += (q - j) / ny;
    n++;
  }
  if (n === 0) return null;
  const w = voxelToWorld(mask, si / n, sj / n, sk / n);
  return [w[0]!, w[1]!, w[2]!];
}

/** Render every figure of the report. */
export function renderReportFigures(r: QuantifyResult, images: QuantifyImages, sizePx = 320): ReportFigures {
  const petWindow = { min: 0, max: displayMax(r, images) };
  const point = r.tumor.maxVoxelMm;
  const view = (orientation: "axial" | "coronal" | "sagittal", at: Vec3 = point) =>
    renderFusedView({
      pet: images.pet,
      ct: images.ct,
      mask: images.mask,
      orientation,
      pointMm: at,
      petWindow,
      sizePx,
    });
  const h = r.histogram;
  const centres = h.binEdgesTm.slice(0, -1);
  const histogram = renderPlot({
    width: 640,
    height: 360,
    title: "TUMOUR T/M HISTOGRAM",
    xLabel: `T/M (VOXEL / REFERENCE MEAN)`,
    yLabel: "VOLUME (ML)",
    yRightLabel: "% VOLUME WITH T/M >= X",
    yRightRange: [0, 100],
    bars: [{ edges: h.binEdgesTm, heights: h.volumeMl, color: [90, 140, 220] }],
    lines: [
      {
        x: h.binEdgesTm,
        y: h.fractionAtLeast.map((f) => f * 100),
        color: [200, 40, 40],
        axis: "right",
      },
    ],
    markers: [{ x: r.hypoxicCutoffTm, color: [20, 150, 20], label: `CUTOFF ${r.hypoxicCutoffTm}` }],
    xRange: [
      Math.min(0, centres[0] ?? 0),
      Math.max(r.hypoxicCutoffTm * 1.1, h.binEdgesTm[h.binEdgesTm.length - 1] ?? 1),
    ],
  });
  return {
    axial: view("axial"),
    referenceAxial: view("axial", labelCentroidMm(images.mask, 2) ?? r.reference.maxVoxelMm),
    coronal: view("coronal"),
    sagittal: view("sagittal"),
    mip: renderMip(
      images.pet,
      petWindow,
      images.pet.unit === "SUVbw" ? "SUV" : images.pet.unit,
      "inferno",
      sizePx,
    ),
    histogram,
  };
}
