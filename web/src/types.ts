/**
 * Plain JSON shapes of the Workbench HTTP API (/tmp/contract.md, src/store/types.ts). Copied as plain
 * types, not imported: web/ depends on no server module. Times are ISO-8601 strings, units in names.
 */

export type Role = "viewer" | "analyst" | "admin";
export type VoiRole = "tumour" | "reference" | "other";

export interface User {
  readonly id: string;
  readonly username: string;
  readonly role: Role;
}

export interface Project {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly createdAt: string;
  readonly role?: Role | null;
}

export interface Subject {
  readonly id: string;
  readonly projectId: string;
  readonly label: string;
  readonly kind: "animal" | "patient";
  readonly species: string | null;
  readonly strain: string | null;
  readonly sex: "F" | "M" | "O" | null;
  readonly weightKg: number | null;
  readonly heightM: number | null;
  readonly tumourModelId: string | null;
  readonly notes: string;
}

export interface Injection {
  readonly id: string;
  readonly subjectId: string;
  readonly radiopharmaceutical: string;
  readonly nuclide: string;
  readonly activityBq: number;
  readonly activityTime: string;
  readonly residualBq: number | null;
  readonly residualTime: string | null;
  readonly injectionTime: string;
  readonly route: string;
}

export interface Series {
  readonly id: string;
  readonly studyId: string;
  readonly modality: string;
  readonly format: string;
  readonly description: string;
  readonly dims: readonly [number, number, number];
  readonly frames: number;
  readonly spacingMm: readonly [number, number, number];
  readonly unit: string;
}

export interface Study {
  readonly id: string;
  readonly projectId: string;
  readonly subjectId: string | null;
  readonly injectionId: string | null;
  readonly description: string;
  readonly studyInstanceUid: string | null;
  readonly studyDate: string | null;
  readonly createdAt: string;
  readonly series: readonly Series[];
}

export type Vec3 = readonly [number, number, number];

export interface VolumeInfo {
  readonly seriesId: string;
  readonly url: string;
  readonly unit: string;
  readonly dims: Vec3;
  readonly spacingMm: Vec3;
  /** LPS mm of voxel (0,0,0). */
  readonly originMm: Vec3;
  /** 3×3 direction cosines, row-major (LPS), column c = direction of voxel axis c. */
  readonly direction: readonly number[];
}

export interface ViewerInfo {
  readonly studyId: string;
  readonly pet: VolumeInfo;
  readonly ct: VolumeInfo | null;
  readonly suvPerNativeUnit: number | null;
  readonly hasSuv: boolean;
  readonly defaultCutoff: string | null;
  readonly frames: readonly { index: number; startS: number; durationS: number }[] | null;
}

export interface Voi {
  readonly id: string;
  readonly studyId: string;
  readonly name: string;
  readonly role: VoiRole;
  readonly spec: string;
  readonly createdAt: string;
}

export interface VoiSummary {
  readonly name: string;
  readonly spec: string;
  readonly unit: string;
  readonly voxelCount: number;
  readonly volumeMl: number;
  readonly suvMax: number | null;
  readonly suvMean: number | null;
  readonly suvPeak: number | null;
  readonly nativeMax: number;
  readonly nativeMean: number;
  readonly nativePeak: number;
  readonly maxVoxelMm: Vec3;
  readonly clipped: boolean;
}

export interface Prognosis {
  readonly preset: string;
  readonly label: string;
  readonly cutoff: number;
  readonly comparison: string;
  readonly statistic: string;
  readonly value: number;
  readonly class: "hypoxic" | "non-hypoxic";
  readonly citation: string;
  readonly warnings: readonly string[];
}

export interface QuantifyResult {
  readonly study: {
    readonly unit: string;
    readonly suvPerNativeUnit: number | null;
    readonly frames: string;
  };
  readonly tumor: VoiSummary;
  readonly reference: VoiSummary;
  readonly tmrMax: number;
  readonly tmrMean: number;
  readonly tmrPeak: number;
  readonly hypoxicCutoffTm: number;
  readonly hypoxicVolumeMl: number;
  readonly hypoxicFraction: number;
  readonly prognosis: Prognosis | null;
  readonly histogram: {
    readonly binEdgesTm: readonly number[];
    readonly volumeMl: readonly number[];
    readonly fractionAtLeast: readonly number[];
  };
  readonly warnings: readonly string[];
}

export interface ResultRow {
  readonly id: string;
  readonly studyId: string;
  readonly kind: string;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly result: QuantifyResult;
  readonly softwareVersion: string;
  readonly createdAt: string;
}

export interface ImportResult {
  readonly studies: readonly Study[];
  readonly skipped: readonly { name: string; reason: string }[];
}

/** Run-length encoded binary mask on the PET grid (see viewer/rle.ts for the encoding). */
export interface MaskRle {
  readonly dims: Vec3;
  readonly runs: number[];
}
