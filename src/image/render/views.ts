/**
 * Report views: fused PET/CT slices through a point with VOI contours and orientation letters,
 * and a PET MIP with a colour bar. Pure; returns RGBA images.
 */
import type { Mask, Vec3, Volume } from "../../core/types.js";
import { applyColormap, type ColormapName, colormap, type DisplayWindow, fuseRgba } from "./colormap.js";
import { drawContours } from "./contour.js";
import { drawText, textHeight } from "./font.js";
import {
  coronalMip,
  gridBoundsMm,
  makePlane,
  type Orientation,
  sampleMaskPlane,
  samplePlane,
  worldToPlanePixel,
} from "./plane.js";
import { blit, createRgba, drawLine, type Rgb, type RgbaImage } from "./rgba.js";

/** CT soft-tissue window, centre 40 HU / width 400 HU (common radiology default). */
export const CT_SOFT_TISSUE: DisplayWindow = { min: -160, max: 240 };

export interface FusedViewOptions {
  readonly pet: Volume;
  readonly ct?: Volume | null;
  readonly mask?: Mask | null;
  readonly orientation: Orientation;
  /** LPS point the plane passes through (e.g. the tumour's hottest voxel). */
  readonly pointMm: Vec3;
  readonly petWindow: DisplayWindow;
  readonly ctWindow?: DisplayWindow;
  readonly colormap?: ColormapName;
  /** Longest side of the output image in pixels (default 320). */
  readonly sizePx?: number;
  /** Draw a small crosshair tick at the point (default false). */
  readonly marker?: boolean;
  readonly caption?: string;
}

const EDGE_LETTERS: Record<Orientation, [string, string, string, string]> = {
  // left, right, top, bottom (radiological convention, see plane.ts)
  axial: ["R", "L", "A", "P"],
  coronal: ["R", "L", "S", "I"],
  sagittal: ["A", "P", "S", "I"],
};

function pixelFor(extent: Volume, orientation: Orientation, sizePx: number): number {
  const { min, max } = gridBoundsMm(extent);
  const ext = [max[0] - min[0], max[1] - min[1], max[2] - min[2]];
  const [a, b] = orientation === "axial" ? [0, 1] : orientation === "coronal" ? [0, 2] : [1, 2];
  return Math.max(ext[a]!, ext[b]!) / sizePx;
}

/**
 * A fused PET/CT slice (CT grey with its window, PET colour alpha-blended on top; PET alone in
 * colour when there is no CT), VOI outlines and orientation letters. The plane covers the CT's
 * extent (or the PET's without CT); PET and mask are resampled onto it.
 */
export function renderFusedView(o: FusedViewOptions): RgbaImage {
  const extent = o.ct ?? o.pet;
  const plane = makePlane(o.orientation, o.pointMm, extent, pixelFor(extent, o.orientation, o.sizePx ?? 320));
  const petValues = samplePlane(o.pet, plane, 0);
  const map = o.colormap ?? "hot";
  let img: RgbaImage;
  if (o.ct) {
    const ctValues = samplePlane(o.ct, plane, -1000);
    img = fuseRgba(
      applyColormap(ctValues, plane.width, plane.height, o.ctWindow ?? CT_SOFT_TISSUE, "grey"),
      petValues,
      o.petWindow,
      map,
    );
  } else {
    img = applyColormap(petValues, plane.width, plane.height, o.petWindow, map);
  }
  if (o.mask)
    drawContours(img, sampleMaskPlane(o.mask, plane), undefined, Math.max(1, Math.round(plane.width / 200)));
  if (o.marker) {
    const [c, r] = worldToPlanePixel(plane, o.pointMm);
    const col: Rgb = [120, 255, 120];
    drawLine(img, c - 12, r, c - 6, r, col);
    drawLine(img, c + 6, r, c + 12, r, col);
    drawLine(img, c, r - 12, c, r - 6, col);
    drawLine(img, c, r + 6, c, r + 12, col);
  }
  const [l, rt, t, b] = EDGE_LETTERS[o.orientation];
  const s = 2;
  const th = textHeight(s);
  const yellow: Rgb = [255, 230, 0];
  drawText(img, 3, plane.height / 2 - th / 2, l, { scale: s, color: yellow });
  drawText(img, plane.width - 3, plane.height / 2 - th / 2, rt, { scale: s, color: yellow, align: "right" });
  drawText(img, plane.width / 2, 3, t, { scale: s, color: yellow, align: "center" });
  drawText(img, plane.width / 2, plane.height - th - 3, b, { scale: s, color: yellow, align: "center" });
  if (o.caption) drawText(img, 4, 4, o.caption, { scale: 1, color: [255, 255, 255], background: [0, 0, 0] });
  return img;
}

/** Vertical colour bar (max at top) with min/max labels and a unit, `height` px tall. */
export function renderColorbar(
  window: DisplayWindow,
  map: ColormapName,
  height: number,
  unit: string,
): RgbaImage {
  const s = 2;
  const w = 70;
  const img = createRgba(w, height, [0, 0, 0]);
  const lut = colormap(map);
  const top = 20;
  const barH = height - 2 * top;
  for (let y = 0; y < barH; y++) {
    const li = Math.round((1 - y / Math.max(1, barH - 1)) * 255);
    const c: Rgb = [lut[3 * li]!, lut[3 * li + 1]!, lut[3 * li + 2]!];
    drawLine(img, 6, top + y, 20, top + y, c);
  }
  const fmt = (v: number) => String(Number(v.toPrecision(3)));
  drawText(img, 24, top, fmt(window.max), { scale: s, color: [255, 255, 255] });
  drawText(img, 24, top + barH - textHeight(s), fmt(window.min), { scale: s, color: [255, 255, 255] });
  drawText(img, w / 2, height - textHeight(s) - 2, unit, {
    scale: s,
    color: [255, 255, 255],
    align: "center",
  });
  return img;
}

/** Coronal PET MIP (anterior view, patient right on image left) with a colour bar. */
export function renderMip(
  pet: Volume,
  window: DisplayWindow,
  unit: string,
  map: ColormapName = "inferno",
  sizePx = 320,
): RgbaImage {
  const pixel = pixelFor(pet, "coronal", sizePx);
  const { plane, values } = coronalMip(pet, pixel);
  const img = applyColormap(values, plane.width, plane.height, window, map);
  const bar = renderColorbar(window, map, Math.max(120, plane.height), unit);
  const out = createRgba(plane.width + bar.width, Math.max(plane.height, bar.height));
  blit(out, img, 0, 0);
  blit(out, bar, plane.width, 0);
  const [l, r, t, b] = EDGE_LETTERS.coronal;
  const th = textHeight(2);
  const yellow: Rgb = [255, 230, 0];
  drawText(out, 3, plane.height / 2 - th / 2, l, { scale: 2, color: yellow });
  drawText(out, plane.width - 3, plane.height / 2 - th / 2, r, { scale: 2, color: yellow, align: "right" });
  drawText(out, plane.width / 2, 3, t, { scale: 2, color: yellow, align: "center" });
  drawText(out, plane.width / 2, plane.height - th - 3, b, { scale: 2, color: yellow, align: "center" });
  return out;
}
