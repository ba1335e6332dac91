/**
 * Header values of the Cornerstone calculate-suv sample-data cases (cornerstonejs/calculate-suv,
 * test/metadata/<NAME>-instances.json, three instances each, real de-identified scans from five
 * vendors' PET/CT) and their expected SUVbw factors (test/calculateSUV_SampleData.test.ts,
 * `precomputedSUVFactors`; checked there to 1e-6 absolute). Numbers carried over, no code.
 * Each case is also derived by hand in suv-cornerstone.test.ts.
 */
export interface CornerstoneInstance {
  readonly SeriesDate: string;
  readonly SeriesTime: string;
  readonly AcquisitionDate: string;
  readonly AcquisitionTime: string;
  readonly PatientSex: string;
  readonly PatientWeight: number;
  readonly PatientSize?: number;
  readonly FrameReferenceTime: number;
  readonly ActualFrameDuration: number;
  readonly DecayCorrection: string;
  readonly Units: string;
  readonly RadionuclideTotalDose: number;
  readonly RadionuclideHalfLife: number;
  readonly RadiopharmaceuticalStartTime: string;
  readonly RadiopharmaceuticalStartDateTime?: string;
  readonly CorrectedImage: readonly string[];
  readonly SUVScaleFactor?: number;
  readonly ActivityConcentrationScaleFactor?: number;
}

export interface CornerstoneCase {
  readonly name: string;
  readonly instances: readonly CornerstoneInstance[];
  /** calculate-suv precomputedSUVFactors value. */
  readonly expectedSuvBw: number;
  /** Scan-time rule our implementation should report. */
  readonly rule: string;
}

const F18 = 6586.2;

function three(base: CornerstoneInstance, perFrame?: readonly [number, number][]): CornerstoneInstance[] {
  return [0, 1, 2].map((i) =>
    perFrame ? { ...base, FrameReferenceTime: perFrame[i]![0], ActualFrameDuration: perFrame[i]![1] } : base,
  );
}

export const CORNERSTONE_CASES: readonly CornerstoneCase[] = [
  {
    // Siemens, BQML, RadiopharmaceuticalStartDateTime present; series 10:48:29 ≤ acquisition 10:48:30.35.
    name: "SIEMENS",
    instances: three(
      {
        SeriesDate: "20201217",
        SeriesTime: "104829.000000",
        AcquisitionDate: "20201217",
        AcquisitionTime: "104830.351370",
        PatientSex: "M",
        PatientWeight: 67,
        FrameReferenceTime: 38513.36,
        ActualFrameDuration: 74324,
        DecayCorrection: "START",
        Units: "BQML",
        RadionuclideTotalDose: 374000000,
        RadionuclideHalfLife: F18,
        RadiopharmaceuticalStartTime: "083045.000000",
        RadiopharmaceuticalStartDateTime: "20201217083045.000000 ",
        CorrectedImage: ["NORM", "DTIM", "ATTN", "SCAT", "SCAT", "DECY", "RAN"],
      },
      [
        [38513.36, 74324],
        [39189.36, 75676],
        [39864.86, 77027],
      ],
    ),
    expectedSuvBw: 0.00042748316187197236,
    rule: "series",
  },
  {
    name: "GE_MEDICAL_AND_BQML",
    instances: three({
      SeriesDate: "20201217",
      SeriesTime: "095621",
      AcquisitionDate: "20201217",
      AcquisitionTime: "095621",
      PatientSex: "F",
      PatientSize: 1.65,
      PatientWeight: 52,
      FrameReferenceTime: 0,
      ActualFrameDuration: 120000,
      DecayCorrection: "START",
      Units: "BQML",
      RadionuclideTotalDose: 152022720,
      RadionuclideHalfLife: 6586.2001953125,
      RadiopharmaceuticalStartTime: "084500.00",
      RadiopharmaceuticalStartDateTime: "20201217084500.00 ",
      CorrectedImage: ["DECY", "ATTN", "SCAT", "DTIM", "RANSNG", "DCAL", "SLSENS", "NORM"],
    }),
    expectedSuvBw: 0.0005367387681819742,
    rule: "series",
  },
  {
    // Units BQML with a Philips private group that must NOT be used.
    name: "PHILIPS_BQML",
    instances: three({
      SeriesDate: "20201217",
      SeriesTime: "110155",
      AcquisitionDate: "20201217",
      AcquisitionTime: "110156",
      PatientSex: "F",
      PatientSize: 1.75,
      PatientWeight: 64,
      FrameReferenceTime: 1328700,
      ActualFrameDuration: 120700,
      DecayCorrection: "START",
      Units: "BQML",
      RadionuclideTotalDose: 126000000,
      RadionuclideHalfLife: 6586.199707,
      RadiopharmaceuticalStartTime: "100058",
      RadiopharmaceuticalStartDateTime: "20201217100058",
      CorrectedImage: ["DECY", "RADL", "ATTN", "SCAT", "DTIM", "RAN", "NORM", "CLN"],
      SUVScaleFactor: 0.003515736,
      ActivityConcentrationScaleFactor: 4.709921,
    }),
    expectedSuvBw: 0.0007463747013889488,
    rule: "series",
  },
  {
    // CNTS with both Philips factors: the SUVScaleFactor wins.
    name: "PHILIPS_CNTS_AND_BQML_SUV",
    instances: three({
      SeriesDate: "20201217",
      SeriesTime: "093556",
      AcquisitionDate: "20201217",
      AcquisitionTime: "095439",
      PatientSex: "F",
      PatientWeight: 54,
      FrameReferenceTime: 1183000,
      ActualFrameDuration: 120000,
      DecayCorrection: "START",
      Units: "CNTS",
      RadionuclideTotalDose: 238000000,
      RadionuclideHalfLife: 6588,
      RadiopharmaceuticalStartTime: "083000",
      CorrectedImage: ["DECY", "RADL", "ATTN", "SCAT", "DTIM", "RAN", "NORM"],
      SUVScaleFactor: 0.000551,
      ActivityConcentrationScaleFactor: 1.602563,
    }),
    expectedSuvBw: 0.000551,
    rule: "not-needed",
  },
  {
    name: "PHILIPS_CNTS_AND_SUV",
    instances: three({
      SeriesDate: "20201217",
      SeriesTime: "134551",
      AcquisitionDate: "20201217",
      AcquisitionTime: "141336",
      PatientSex: "F",
      PatientWeight: 47,
      FrameReferenceTime: 1755000,
      ActualFrameDuration: 180000,
      DecayCorrection: "START",
      Units: "CNTS",
      RadionuclideTotalDose: 208230000,
      RadionuclideHalfLife: 6588,
      RadiopharmaceuticalStartTime: "123000",
      CorrectedImage: ["DECY", "RADL", "ATTN", "SCAT", "DTIM", "RAN", "NORM"],
      SUVScaleFactor: 0.000728,
    }),
    expectedSuvBw: 0.000728,
    rule: "not-needed",
  },
  {
    // Series time 12:35:15.000000 is 5 µs after the acquisition time: the Siemens frame rule applies
    // (FrameReferenceTime 59936.854672596 ms = t̄ of a 120 s F-18 frame, so scan time = acquisition).
    name: "BQML_AC_DT_BEFORE_S_DT_SIEMENS",
    instances: three({
      SeriesDate: "20201217",
      SeriesTime: "123515.000000",
      AcquisitionDate: "20201217",
      AcquisitionTime: "123514.999995",
      PatientSex: "M",
      PatientWeight: 65,
      FrameReferenceTime: 59936.854672596,
      ActualFrameDuration: 120000,
      DecayCorrection: "START",
      Units: "BQML",
      RadionuclideTotalDose: 225000000,
      RadionuclideHalfLife: F18,
      RadiopharmaceuticalStartTime: "114100.000000",
      CorrectedImage: ["NORM", "DTIM", "ATTN", "SCAT", "DECY", "RAN"],
    }),
    expectedSuvBw: 0.0004069156854009332,
    rule: "siemens-frame",
  },
  {
    // Series 13:49:18 after acquisition 13:03:48.234, FrameReferenceTime 0: earliest acquisition.
    name: "CPS_AND_BQML_AC_DT_-_S_DT",
    instances: three({
      SeriesDate: "20201217",
      SeriesTime: "134918.000000",
      AcquisitionDate: "20201217",
      AcquisitionTime: "130348.234000",
      PatientSex: "M",
      PatientWeight: 69,
      FrameReferenceTime: 0,
      ActualFrameDuration: 180000,
      DecayCorrection: "START",
      Units: "BQML",
      RadionuclideTotalDose: 388000000,
      RadionuclideHalfLife: F18,
      RadiopharmaceuticalStartTime: "120037.000000",
      CorrectedImage: ["DECY", "SCAT", "ATTN", "NORM", "DTIM", "RAN"],
    }),
    expectedSuvBw: 0.00026503312764157046,
    rule: "earliest-acquisition",
  },
  {
    // Only RadiopharmaceuticalStartTime (no DT): placed on the SeriesDate.
    name: "RADIOPHARM_DATETIME_UNDEFINED",
    instances: three({
      SeriesDate: "20201217",
      SeriesTime: "135431.843000",
      AcquisitionDate: "20201217",
      AcquisitionTime: "141555.687000",
      PatientSex: "M",
      PatientWeight: 102,
      FrameReferenceTime: 1372857.9232493,
      ActualFrameDuration: 180000,
      DecayCorrection: "START",
      Units: "BQML",
      RadionuclideTotalDose: 412000000,
      RadionuclideHalfLife: F18,
      RadiopharmaceuticalStartTime: "125000.000000",
      CorrectedImage: ["NORM", "DTIM", "ATTN", "SCAT", "RADL", "DECY"],
    }),
    expectedSuvBw: 0.0003721089202818729,
    rule: "series",
  },
];
