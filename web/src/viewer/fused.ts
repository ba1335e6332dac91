/**
 * NiiVue adapter for the fused PET/CT view. Volumes: CT (grey, background) when present, PET (colour
 * overlay), then one VOI overlay per role (role colour: VOI boundary opaque, inside faint).
 *
 * Transparency: NiiVue draws every overlay voxel whose colormap alpha is > 0 fully opaque (times the
 * layer opacity), so a plain "hot" PET would paint every voxel above the range minimum dark red over the
 * CT. Overlays therefore use NiiVue's colormapType 1 (ZERO_TO_MAX_TRANSPARENT_BELOW_MIN): colours run
 * from 0 to cal_max (the colour bar too, with a tick at the threshold) and below cal_min the alpha fades
 * as (value / cal_min)². The PET's cal_min is the "floor" (a fraction of the range maximum), so
 * background uptake vanishes and the CT shows through, as on a clinical PET/CT workstation.
 *
 * Geometry: NiiVue reports RAS mm; everything leaving this file is LPS mm (see geometry.ts). Voxel
 * arrays (`NVImage.img`) stay in the file's order, which is the server's LPS grid order, so the viewer
 * reads values and writes VOI overlays with the VolumeInfo grids directly.
 */
import { Niivue, NVImage, SHOW_RENDER, SLICE_TYPE } from "@niivue/niivue";
import type { Vec3, VoiRole, VolumeInfo } from "../types.js";
import { type Grid, lpsToRas, rasToLps, voxelCount, voxelToWorld, worldToVoxel } from "./geometry.js";

export type ViewKind = "axial" | "coronal" | "sagittal" | "multiplanar" | "render" | "mip";
/** NiiVue COLORMAP_TYPE.ZERO_TO_MAX_TRANSPARENT_BELOW_MIN (the enum is not exported by 0.69). */
const TRANSPARENT_BELOW_MIN = 1;
/** VOI overlay values: boundary voxels 1 (opaque), inside voxels faint ((0.2 / 0.5)² = 16 % alpha). */
const VOI_EDGE = 1;
const VOI_INSIDE = 0.2;
const VOI_CAL_MIN = 0.5;
/** Upper end of the automatic PET range: this quantile of the voxels (the hottest 0.01 % saturate). */
const AUTO_MAX_QUANTILE = 0.9999;

const SLICE: Record<ViewKind, SLICE_TYPE> = {
  axial: SLICE_TYPE.AXIAL,
  coronal: SLICE_TYPE.CORONAL,
  sagittal: SLICE_TYPE.SAGITTAL,
  multiplanar: SLICE_TYPE.MULTIPLANAR,
  render: SLICE_TYPE.RENDER,
  mip: SLICE_TYPE.MULTIPLANAR, // the MIP is drawn by Mip.tsx over the canvas; NiiVue keeps the MPR behind
};
export const ROLE_COLOURS: Record<VoiRole, readonly [number, number, number]> = {
  tumour: [0, 230, 90],
  reference: [40, 150, 255],
  other: [230, 80, 230],
};

export interface Readout {
  readonly lps: Vec3;
  /** PET at the nearest voxel in the display unit (SUV, native or T/M), null outside the grid. */
  readonly pet: number | null;
  /** CT HU at the nearest voxel, null without CT or outside. */
  readonly ct: number | null;
}

function nearest(g: Grid, data: ArrayLike<number>, p: Vec3): number | null {
  const v = worldToVoxel(g, p).map(Math.round);
  if (v.some((x, a) => x! < 0 || x! >= g.dims[a]!)) return null;
  const idx = v[0]! + g.dims[0] * (v[1]! + g.dims[1] * v[2]!);
  const x = data[idx];
  return x === undefined ? null : x;
}

export class FusedViewer {
  readonly nv: Niivue;
  private pet: NVImage | null = null;
  private ct: NVImage | null = null;
  private petGrid: Grid | null = null;
  private ctGrid: Grid | null = null;
  /** PET values as loaded (SUV when the server could compute it, else native), file order. */
  petBase: Float32Array = new Float32Array(0);
  /** Display unit per loaded unit (1, or 1/reference mean for T/M). */
  scale = 1;
  private vois = new Map<VoiRole, NVImage>();
  /** PET display range (display unit) and the transparency floor as a fraction of its maximum. */
  private petRange: [number, number] = [0, 1];
  private petFloor = 0.4;
  private autoMaxBase: number | null = null;
  private refreshPending = false;
  onLocation: (r: Readout) => void = () => {};

  constructor() {
    this.nv = new Niivue({
      backColor: [0.06, 0.07, 0.09, 1],
      crosshairColor: [0.3, 0.85, 1, 0.55],
      crosshairWidth: 1,
      isColorbar: true,
      show3Dcrosshair: true,
      multiplanarShowRender: SHOW_RENDER.ALWAYS,
      isRadiologicalConvention: false,
      dragAndDropEnabled: false,
      logLevel: "error",
      loadingText: "loading PET/CT",
      textHeight: 0.04,
      // The app owns the keyboard (see help.tsx): switch off NiiVue's own hot keys (C, X, V).
      clipPlaneHotKey: "None",
      cycleClipPlaneHotKey: "None",
      viewModeHotKey: "None",
    });
    for (const role of Object.keys(ROLE_COLOURS) as VoiRole[]) {
      const [r, g, b] = ROLE_COLOURS[role];
      // Transparent at 0, the role colour above (the alpha fade below VOI_CAL_MIN makes the inside faint).
      this.nv.addColormap(`voi-${role}`, {
        R: [0, r, r],
        G: [0, g, g],
        B: [0, b, b],
        A: [0, 255, 255],
        I: [0, 1, 255],
      });
    }
    this.nv.onLocationChange = () => this.emitLocation();
  }

  async attach(canvas: HTMLCanvasElement): Promise<void> {
    await this.nv.attachToCanvas(canvas);
  }

  get petGridOrNull(): Grid | null {
    return this.petGrid;
  }

  /** Load PET (and CT) NIfTI bytes fetched by the caller; CT first so it is the background. */
  async load(
    info: { pet: VolumeInfo; ct: VolumeInfo | null },
    petBytes: ArrayBuffer,
    ctBytes: ArrayBuffer | null,
  ) {
    for (const v of [...this.nv.volumes]) this.nv.removeVolume(v);
    this.vois.clear();
    this.petGrid = info.pet;
    this.ctGrid = info.ct;
    if (ctBytes && info.ct) {
      this.ct = await NVImage.loadFromUrl({ url: ctBytes, name: "ct.nii.gz", colormap: "gray" });
      this.ct.colorbarVisible = false;
      this.nv.addVolume(this.ct);
    } else this.ct = null;
    await this.loadPet(petBytes);
  }

  /** (Re)load the PET volume, e.g. another dynamic frame, keeping display settings. */
  async loadPet(petBytes: ArrayBuffer): Promise<void> {
    const old = this.pet;
    const cal = old ? [old.cal_min, old.cal_max] : null;
    const cmap = old ? old.colormap : "hot";
    const pet = await NVImage.loadFromUrl({
      url: petBytes,
      name: "pet.nii.gz",
      colormap: cmap,
      opacity: 0.7,
    });
    const n = voxelCount(this.petGrid!);
    const img = pet.img;
    if (!img || img.length < n)
      throw new Error(
        `PET volume has ${img?.length ?? 0} voxels, expected ${n} (dims ${this.petGrid!.dims})`,
      );
    this.petBase = Float32Array.from(img.subarray(0, n));
    this.autoMaxBase = null;
    pet.colormapType = TRANSPARENT_BELOW_MIN;
    if (!this.ct) pet.opacity = 1;
    if (old) this.nv.removeVolume(old);
    this.pet = pet;
    this.nv.addVolume(pet);
    this.nv.setVolume(pet, this.ct ? 1 : 0);
    if (cal) [pet.cal_min, pet.cal_max] = cal as [number, number];
    this.applyScale();
    this.applyPetRange();
  }

  /** Re-upload volumes to the GPU once per animation frame, however many settings changed. */
  private refresh(): void {
    if (this.refreshPending) return;
    this.refreshPending = true;
    requestAnimationFrame(() => {
      this.refreshPending = false;
      this.nv.updateGLVolume();
    });
  }

  setView(kind: ViewKind): void {
    this.nv.setSliceType(SLICE[kind]);
  }

  /** CT window (width, level in HU). */
  setCtWindow(widthHu: number, levelHu: number): void {
    if (!this.ct) return;
    this.ct.cal_min = levelHu - widthHu / 2;
    this.ct.cal_max = levelHu + widthHu / 2;
    this.refresh();
  }

  /** PET display range in the display unit (colours from 0 to max; see the floor). */
  setPetRange(min: number, max: number): void {
    this.petRange = [min, max];
    this.applyPetRange();
  }

  /** Transparency floor as a fraction of the range maximum: the PET fades out below it (0 = off). */
  setPetFloor(fraction: number): void {
    this.petFloor = Math.min(Math.max(fraction, 0), 0.95);
    this.applyPetRange();
  }

  private applyPetRange(): void {
    if (!this.pet) return;
    const [min, max] = this.petRange;
    // cal_min 0 would switch the fade off; keep a hair above 0 so the colour bar starts at 0.
    this.pet.cal_min = Math.max(min, this.petFloor * max, max * 1e-6);
    this.pet.cal_max = max;
    this.refresh();
  }

  setPetColormap(name: string): void {
    if (this.pet) this.nv.setColormap(this.pet.id, name);
  }
  setPetOpacity(opacity: number): void {
    if (this.pet) this.pet.opacity = opacity;
    this.refresh();
  }

  /** Display unit scale: 1 for SUV/native, 1/referenceMean for T/M. Rewrites the PET voxels. */
  setScale(scale: number): void {
    this.scale = scale;
    this.applyScale();
  }
  private applyScale(): void {
    const img = this.pet?.img;
    if (!img) return;
    for (let v = 0; v < this.petBase.length; v++) img[v] = this.petBase[v]! * this.scale;
    this.refresh();
  }

  /** LPS position of the hottest PET voxel. */
  petMaxLps(): Vec3 | null {
    if (!this.petGrid || this.petBase.length === 0) return null;
    let best = 0;
    for (let v = 1; v < this.petBase.length; v++) if (this.petBase[v]! > this.petBase[best]!) best = v;
    const [nx, ny] = this.petGrid.dims;
    return voxelToWorld(this.petGrid, best % nx, Math.floor(best / nx) % ny, Math.floor(best / (nx * ny)));
  }

  /**
   * Automatic upper end of the PET range (display unit): the 99.99th percentile of the voxels, i.e. the
   * tumour maximum unless a handful of noise voxels are hotter; the image maximum when that is ≤ 0.
   */
  petAutoMax(): number {
    if (this.autoMaxBase === null) {
      const sorted = Float32Array.from(this.petBase).sort();
      const q = sorted[Math.min(sorted.length - 1, Math.floor(AUTO_MAX_QUANTILE * sorted.length))] ?? 0;
      const max = sorted[sorted.length - 1] ?? 0;
      this.autoMaxBase = q > 0 ? q : max > 0 ? max : 1;
    }
    return this.autoMaxBase * this.scale;
  }

  moveTo(lps: Vec3): void {
    const frac = this.nv.mm2frac(lpsToRas(lps) as unknown as [number, number, number]);
    this.nv.scene.crosshairPos = frac;
    this.nv.drawScene();
    this.emitLocation();
  }

  crosshairLps(): Vec3 {
    const mm = this.nv.frac2mm(this.nv.scene.crosshairPos);
    return rasToLps(mm);
  }

  /** LPS point under a canvas position (CSS px relative to the canvas), null outside any 2-D slice. */
  canvasToLps(x: number, y: number): Vec3 | null {
    const dpr = this.nv.uiData.dpr ?? window.devicePixelRatio ?? 1;
    const frac = this.nv.canvasPos2frac([x * dpr, y * dpr]);
    if (frac[0]! < 0) return null;
    return rasToLps(this.nv.frac2mm(frac));
  }

  /**
   * Canvas position (CSS px from the canvas's top-left) where an LPS point is drawn in a 2-D tile, or
   * null when it is not on screen. Test hook: lets the E2E test click exactly on a known LPS point.
   */
  lpsToCanvas(lps: Vec3): [number, number] | null {
    const frac = this.nv.mm2frac(lpsToRas(lps) as unknown as [number, number, number]);
    // Prefer the axial tile (multiplanar shows the point in several tiles).
    const pos = this.nv.frac2canvasPosWithTile(frac, SLICE_TYPE.AXIAL)?.pos ?? this.nv.frac2canvasPos(frac);
    if (!pos) return null;
    const dpr = this.nv.uiData.dpr ?? window.devicePixelRatio ?? 1;
    return [(pos[0] ?? 0) / dpr, (pos[1] ?? 0) / dpr];
  }

  readout(lps: Vec3): Readout {
    const pet = this.petGrid ? nearest(this.petGrid, this.petBase, lps) : null;
    const ctImg = this.ct?.img;
    const ct = this.ctGrid && ctImg ? nearest(this.ctGrid, ctImg, lps) : null;
    return { lps, pet: pet === null ? null : pet * this.scale, ct };
  }

  private emitLocation(): void {
    if (this.pet) this.onLocation(this.readout(this.crosshairLps()));
  }

  /** Show a VOI mask (PET grid, 0/1) for a role; null hides it. Boundary voxels opaque, inside faint. */
  setVoiMask(role: VoiRole, mask: Uint8Array | null): void {
    const g = this.petGrid;
    if (!g || !this.pet) return;
    let vol = this.vois.get(role);
    if (!vol && !mask) return;
    if (!vol) {
      vol = this.pet.clone();
      vol.zeroImage();
      vol.name = `voi-${role}`;
      vol.colorbarVisible = false;
      vol.opacity = 1;
      vol.colormapType = TRANSPARENT_BELOW_MIN;
      vol.cal_min = VOI_CAL_MIN;
      vol.cal_max = 1;
      this.nv.addVolume(vol);
      this.nv.setColormap(vol.id, `voi-${role}`);
      this.vois.set(role, vol);
    }
    const img = vol.img!;
    img.fill(0);
    if (mask) {
      const [nx, ny, nz] = g.dims;
      const plane = nx * ny;
      for (let v = 0; v < mask.length; v++) {
        if (!mask[v]) continue;
        const i = v % nx;
        const j = Math.floor(v / nx) % ny;
        const k = Math.floor(v / plane);
        const edge =
          i === 0 ||
          i === nx - 1 ||
          j === 0 ||
          j === ny - 1 ||
          k === 0 ||
          k === nz - 1 ||
          !mask[v - 1] ||
          !mask[v + 1] ||
          !mask[v - nx] ||
          !mask[v + nx] ||
          !mask[v - plane] ||
          !mask[v + plane];
        img[v] = edge ? VOI_EDGE : VOI_INSIDE;
      }
    }
    vol.cal_min = VOI_CAL_MIN;
    vol.cal_max = 1;
    this.refresh();
  }

  destroy(): void {
    for (const v of [...this.nv.volumes]) this.nv.removeVolume(v);
    const gl = this.nv.gl as WebGL2RenderingContext | null;
    gl?.getExtension("WEBGL_lose_context")?.loseContext();
  }
}
