/**
 * Core plain-data types shared by every layer.
 *
 * ## Geometry convention (read once, applies everywhere)
 * World coordinates are DICOM patient coordinates, LPS, in millimetres: +x towards the patient's
 * Left, +y towards Posterior, +z towards Superior (head).
 *
 * A voxel with integer index (i, j, k) (i fastest in memory) has its CENTRE at
 *
 *     world = originMm + direction · diag(spacingMm) · [i, j, k]ᵀ
 *
 * where `direction` is a 3×3 matrix stored row-major in a Float64Array(9) whose COLUMNS are the
 * unit vectors of the i, j and k axes in LPS (column 0 = DICOM ImageOrientationPatient row
 * direction, column 1 = column direction, column 2 = slice normal direction, pointing the way k
 * increases). `originMm` is the centre of voxel (0,0,0). This is the ITK/SimpleITK convention.
 * NIfTI readers/writers convert from/to RAS (negate x and y) so a round trip keeps geometry exact.
 *
 * Linear index of (i, j, k) is `i + nx * (j + ny * k)` (see `voxelIndex`).
 */

export type Vec3 = readonly [number, number, number];
export type Vec3i = readonly [number, number, number];

/** A 3-D scalar image on a regular (possibly oblique) grid. */
export interface Volume extends Grid {
  /** Voxel values, length nx*ny*nz, index i + nx*(j + ny*k). */
  readonly data: Float32Array;
  /** Unit of the values: "Bq/mL", "SUVbw", "HU", "CNTS", "1" (dimensionless), "mmHg", ... */
  readonly unit: string;
}

/**
 * A dynamic (4-D) study: frames share one grid; frame f is `data.subarray(f*n, (f+1)*n)` with
 * n = nx*ny*nz.
 */
export interface DynamicVolume extends Grid {
  readonly data: Float32Array;
  readonly unit: string;
  /**
   * Frame start times in s on the study's time axis. Its zero is reader-specific (DICOM: the
   * injection time when the header gives it, else the start of frame 0; Inveon: scan start);
   * `LoadedSeries.frameStartEpochMs` gives absolute times where known.
   */
  readonly frameStartS: Float64Array;
  /** Frame durations in s. */
  readonly frameDurationS: Float64Array;
  /**
   * Whether frame values are decay-corrected, and to which time (s, on the same axis as
   * `frameStartS`). `null` = not decay-corrected.
   */
  readonly decayCorrectedToS: number | null;
}

/** Label mask on a volume's grid; 0 = background. */
export interface Mask extends Grid {
  readonly data: Uint8Array;
  /** label value -> name. */
  readonly labels: ReadonlyMap<number, string>;
}

export interface TimeActivityCurve {
  /** Frame mid times, s. */
  readonly tMidS: Float64Array;
  readonly valueBqPerMl: Float64Array;
  readonly frameDurationS: Float64Array;
}

/** Progress callback used by every long job: fraction in [0,1] and a short label. */
export type ProgressFn = (fraction: number, label?: string) => void;

/** Identity direction cosines (axial, LPS-aligned). */
export function identityDirection(): Float64Array {
  return new Float64Array([1, 0, 0, 0, 1, 0, 0, 0, 1]);
}

/** Number of voxels of a grid. */
export function voxelCount(dims: Vec3i): number {
  return dims[0] * dims[1] * dims[2];
}

/** Linear index of voxel (i, j, k): i + nx*(j + ny*k). The one place the formula lives. */
export function voxelIndex(dims: Vec3i, i: number, j: number, k: number): number {
  return i + dims[0] * (j + dims[1] * k);
}

/** A volume of `data` (length nx·ny·nz) on `grid`; the grid's arrays are shared, not copied. */
export function volumeOnGrid(grid: Grid, data: Float32Array, unit: string): Volume {
  return {
    data,
    dims: grid.dims,
    spacingMm: grid.spacingMm,
    originMm: grid.originMm,
    direction: grid.direction,
    unit,
  };
}

/** A label mask of `data` (length nx·ny·nz) on `grid`; the grid's arrays are shared, not copied. */
export function maskOnGrid(grid: Grid, data: Uint8Array, labels: ReadonlyMap<number, string>): Mask {
  return {
    data,
    dims: grid.dims,
    spacingMm: grid.spacingMm,
    originMm: grid.originMm,
    direction: grid.direction,
    labels,
  };
}

/** Grid part of a volume, dynamic volume or mask (everything but data, unit and labels). */
export interface Grid {
  /** Voxels along i, j, k. */
  readonly dims: Vec3i;
  /** Voxel spacing along i, j, k in mm (all > 0). */
  readonly spacingMm: Vec3;
  /** LPS position of the centre of voxel (0,0,0), mm. */
  readonly originMm: Vec3;
  /** Row-major 3×3 direction cosines; columns are the i, j, k axis unit vectors in LPS. */
  readonly direction: Float64Array;
}
