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
import { DEFAULT_PET_FLOOR } from "./presets.js";
import { quantileAndMax } from "./quantile.js";

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
  private petFloor: number = DEFAULT_PET_FLOOR;
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
      // No 3-D render tile in multiplanar: on software WebGL one ray-cast frame of a 300-slice study
      // costs seconds, on every redraw. The "3-D" view (render) still shows it on demand.
      multiplanarShowRender: SHOW_RENDER.NEVER,
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

  /**
   * Load PET (and CT) NIfTI bytes fetched by the caller and show them with the given display settings.
   * Everything (CT window, PET range from the Auto quantile, colormap, opacity, floor, view) is set on
   * the images BEFORE they are handed to NiiVue, and the GPU volumes are built once: every NiiVue
   * `updateGLVolume` re-uploads and resamples every layer (and the CT gradients), which costs seconds
   * per call on software WebGL.
   */
  async load(
    info: { pet: VolumeInfo; ct: VolumeInfo | null },
    petBytes: ArrayBuffer,
    ctBytes: ArrayBuffer | null,
    display: { ctWindowHu: readonly [number, number]; view: ViewKind },
  ) {
    this.nv.volumes = [];
    this.nv.back = null;
    this.nv.overlays = [];
    this.vois.clear();
    this.petGrid = info.pet;
    this.ctGrid = info.ct;
    const [ct, pet] = await Promise.all([
      ctBytes && info.ct ? NVImage.loadFromUrl({ url: ctBytes, name: "ct.nii.gz", colormap: "gray" }) : null,
      this.readPet(petBytes, "hot"),
    ]);
    this.ct = ct;
    if (ct) {
      ct.colorbarVisible = false;
      const [w, l] = display.ctWindowHu;
      ct.cal_min = l - w / 2;
      ct.cal_max = l + w / 2;
    } else pet.opacity = 1;
    this.pet = pet;
    this.petRange = [0, this.petAutoMax()];
    this.setCal();
    this.nv.setSliceType(SLICE[display.view]);
    this.setLayers(ct ? [ct, pet] : [pet]);
    this.nv.updateGLVolume();
  }

  /** Read a PET NIfTI, keep its values (`petBase`) and apply the display unit scale. */
  private async readPet(petBytes: ArrayBuffer, colormap: string): Promise<NVImage> {
    const pet = await NVImage.loadFromUrl({ url: petBytes, name: "pet.nii.gz", colormap, opacity: 0.7 });
    const n = voxelCount(this.petGrid!);
    const img = pet.img;
    if (!img || img.length < n)
      throw new Error(
        `PET volume has ${img?.length ?? 0} voxels, expected ${n} (dims ${this.petGrid!.dims})`,
      );
    this.petBase = Float32Array.from(img.subarray(0, n));
    this.autoMaxBase = null;
    pet.colormapType = TRANSPARENT_BELOW_MIN;
    if (this.scale !== 1) for (let v = 0; v < n; v++) img[v] = this.petBase[v]! * this.scale;
    return pet;
  }

  /** Replace NiiVue's layer list without its per-call GPU rebuild (addVolume/removeVolume each do one). */
  private setLayers(layers: NVImage[]): void {
    this.nv.volumes = layers;
    this.nv.back = layers[0] ?? null;
    this.nv.overlays = layers.slice(1);
  }

  /** (Re)load the PET volume, e.g. another dynamic frame, keeping display settings. */
  async loadPet(petBytes: ArrayBuffer): Promise<void> {
    const old = this.pet;
    const pet = await this.readPet(petBytes, old ? old.colormap : "hot");
    pet.opacity = old ? old.opacity : this.ct ? 0.7 : 1;
    this.pet = pet;
    this.setCal();
    this.setLayers(this.nv.volumes.map((v) => (v === old ? pet : v)));
    if (!old) this.setLayers([...this.nv.volumes, pet]);
    this.refresh();
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
    if (this.nv.opts.sliceType !== SLICE[kind]) this.nv.setSliceType(SLICE[kind]);
  }

  /** CT window (width, level in HU). No GPU work when unchanged. */
  setCtWindow(widthHu: number, levelHu: number): void {
    if (!this.ct) return;
    const lo = levelHu - widthHu / 2;
    const hi = levelHu + widthHu / 2;
    if (this.ct.cal_min === lo && this.ct.cal_max === hi) return;
    this.ct.cal_min = lo;
    this.ct.cal_max = hi;
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
    if (this.setCal()) this.refresh();
  }

  /** Set the PET cal_min/cal_max from the range and floor; true when they changed. */
  private setCal(): boolean {
    if (!this.pet) return false;
    const [min, max] = this.petRange;
    // cal_min 0 would switch the fade off; keep a hair above 0 so the colour bar starts at 0.
    const lo = Math.max(min, this.petFloor * max, max * 1e-6);
    if (this.pet.cal_min === lo && this.pet.cal_max === max) return false;
    this.pet.cal_min = lo;
    this.pet.cal_max = max;
    return true;
  }

  setPetColormap(name: string): void {
    if (!this.pet || this.pet.colormap === name) return;
    this.pet.colormap = name;
    this.refresh();
  }
  setPetOpacity(opacity: number): void {
    if (!this.pet || this.pet.opacity === opacity) return;
    this.pet.opacity = opacity;
    this.refresh();
  }

  /** Display unit scale: 1 for SUV/native, 1/referenceMean for T/M. Rewrites the PET voxels. */
  setScale(scale: number): void {
    if (scale === this.scale) return;
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
      const s = quantileAndMax(this.petBase, AUTO_MAX_QUANTILE);
      const q = s?.q ?? 0;
      const max = s?.max ?? 0;
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
      vol.colormapType = TRANSPARENT_BELOW_MIN;
      vol.colormap = `voi-${role}`;
      this.setLayers([...this.nv.volumes, vol]);
      this.vois.set(role, vol);
    } else if (!mask && vol.opacity === 0) return; // already hidden
    // A hidden VOI layer has opacity 0, which NiiVue skips entirely when building the overlay texture.
    vol.opacity = mask ? 1 : 0;
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
    this.setLayers([]); // not removeVolume: each would rebuild the GPU volumes of those left
    const gl = this.nv.gl as WebGL2RenderingContext | null;
    gl?.getExtension("WEBGL_lose_context")?.loseContext();
  }
}
