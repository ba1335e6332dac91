/**
 * Inputs and outputs of the quantify use case (`quantifyStudy`). The result is plain JSON-able
 * data (what `--json` prints and `metrics.json` holds); the images used for the report travel
 * separately in `QuantifyImages`.
 */
import type { Mask, Vec3, Volume } from "../../core/types.js";
import type { VoiMetrics } from "../../quant/metrics.js";
import type { PrognosisResult } from "../../quant/prognosis.js";
import type { SuvOverrides } from "../../quant/suv/types.js";

export interface QuantifyRequest {
  /** DICOM folder/file, or NIfTI PET file (with BIDS sidecar), or a folder holding NIfTI files. */
  readonly study: string;
  /** Optional separate CT (DICOM folder or NIfTI) when the study path holds only the PET. */
  readonly ct?: string;
  /** Tumour VOI spec (quant/voi grammar). */
  readonly tumor: string;
  /** Reference (muscle) VOI spec. */
  readonly reference: string;
  /** `cervix|rectum|nsclc|NUMBER` (default cervix). */
  readonly cutoff?: string;
  /** Dynamic scans: summed window "START-END" (durations, e.g. "30m-60m" or "1800-3600"). */
  readonly window?: string;
  /** SUV inputs that win over the headers. */
  readonly overrides?: SuvOverrides;
  /** Folder that relative `mask:` paths are resolved against (default: process cwd). */
  readonly baseDir?: string;
  /** Histogram bin width in T/M units (default 0.1). */
  readonly binWidthTm?: number;
  readonly onProgress?: (fraction: number, label?: string) => void;
}

/**
 * Metrics of one VOI (SUV null when the SUV factor is unknown; Bq/mL null when not calibrated):
 * the fields picked from `VoiMetrics` keep their meaning there.
 */
export interface VoiSummary
  extends Pick<
    VoiMetrics,
    | "spec"
    | "unit"
    | "voxelCount"
    | "volumeMl"
    | "suvMax"
    | "suvMean"
    | "suvMin"
    | "suvSd"
    | "suvPeak"
    | "totalUptakeSuvMl"
    | "bqPerMlMax"
    | "bqPerMlMean"
    | "bqPerMlPeak"
    | "totalActivityBq"
    | "clipped"
  > {
  readonly name: string;
  readonly label: number;
  /** Statistics in the image's native unit. */
  readonly nativeMax: number;
  readonly nativeMean: number;
  readonly nativePeak: number;
  readonly maxVoxelMm: Vec3;
  readonly peakCentreMm: Vec3;
}

export interface StudySummary {
  readonly source: string;
  readonly format: string;
  readonly petSeries: string;
  readonly ctSeries: string | null;
  readonly dims: Vec3;
  readonly spacingMm: Vec3;
  readonly unit: string;
  readonly radiopharmaceutical: string | null;
  readonly nuclide: string | null;
  readonly injectedActivityBq: number | null;
  readonly injectionTime: string | null;
  readonly scanTime: string | null;
  /** Uptake window used for T/M, minutes after injection (null when unknown). */
  readonly uptakeStartMin: number | null;
  readonly uptakeEndMin: number | null;
  readonly weightKg: number | null;
  /** SUVbw per native unit (null when SUV could not be computed). */
  readonly suvPerNativeUnit: number | null;
  /** "static" or the summed dynamic window. */
  readonly frames: string;
}

export interface HistogramSummary {
  readonly binEdgesTm: number[];
  readonly volumeMl: number[];
  /** Fraction of tumour volume with T/M ≥ binEdgesTm[b]. */
  readonly fractionAtLeast: number[];
}

export interface QuantifyResult {
  readonly study: StudySummary;
  readonly tumor: VoiSummary;
  readonly reference: VoiSummary;
  /** Tumour max / reference mean. */
  readonly tmrMax: number;
  readonly tmrMean: number;
  readonly tmrPeak: number;
  /** Always "mean": the reference statistic of every T/M. */
  readonly referenceStatistic: "mean";
  readonly hypoxicCutoffTm: number;
  readonly hypoxicVolumeMl: number;
  readonly hypoxicFraction: number;
  readonly prognosis: PrognosisResult | null;
  readonly histogram: HistogramSummary;
  readonly warnings: string[];
}

/** Images behind a result, for the report and the VOI files. */
export interface QuantifyImages {
  /** PET on its grid, in SUV when known (unit says), else native. */
  readonly pet: Volume;
  readonly ct: Volume | null;
  /** Label 1 = tumour, 2 = reference, on the PET grid. */
  readonly mask: Mask;
  /** DICOM file/folder the PET came from (for the SEG references), null for other formats. */
  readonly petSource: string | null;
  readonly petSeriesUid: string | null;
}
