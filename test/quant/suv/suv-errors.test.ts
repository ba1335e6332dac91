/** Missing inputs name the DICOM keyword and the CLI flag; fuzzed headers give AtsmError or a result. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AtsmError } from "../../../src/core/errors.js";
import {
  computeSuvScaleFactors,
  emptyPetInstanceMetadata,
  isoUtc,
  type PetInstanceMetadata,
} from "../../../src/quant/suv/index.js";
import { expectAtsmError } from "../../helpers/errors.js";
import { cu64Instance } from "./helpers.js";

describe("missing and bad inputs", () => {
  it("weight: PatientWeight + --weight-kg (absent or 0)", () => {
    for (const w of [null, 0]) {
      expectAtsmError(() => computeSuvScaleFactors([cu64Instance({ PatientWeight: w })]), {
        code: "MISSING_INPUT",
        message: /PatientWeight \(0010,1030\)/,
        hint: /--weight-kg/,
      });
    }
  });
  it("dose: RadionuclideTotalDose + --dose-mbq", () => {
    expectAtsmError(() => computeSuvScaleFactors([cu64Instance({ RadionuclideTotalDose: null })]), {
      code: "MISSING_INPUT",
      message: /RadionuclideTotalDose \(0018,1074\)/,
      hint: /--dose-mbq/,
    });
  });
  it("injection time: RadiopharmaceuticalStartDateTime + --injection-time", () => {
    expectAtsmError(
      () => computeSuvScaleFactors([cu64Instance({ RadiopharmaceuticalStartDateTimeMs: null })]),
      {
        code: "MISSING_INPUT",
        message: /RadiopharmaceuticalStartDateTime \(0018,1078\)/,
        hint: /--injection-time/,
      },
    );
  });
  it("half-life: RadionuclideHalfLife + --nuclide when no nuclide is named", () => {
    expectAtsmError(
      () =>
        computeSuvScaleFactors([
          cu64Instance({
            RadionuclideHalfLife: null,
            RadionuclideCodeMeaning: null,
            Radiopharmaceutical: "FDG",
          }),
        ]),
      { code: "MISSING_INPUT", message: /RadionuclideHalfLife \(0018,1075\)/, hint: /--nuclide/ },
    );
  });
  it("units: absent, unsupported, CNTS without Philips tags", () => {
    expectAtsmError(() => computeSuvScaleFactors([cu64Instance({ Units: null })]), {
      code: "MISSING_INPUT",
      message: /Units/,
    });
    expectAtsmError(() => computeSuvScaleFactors([cu64Instance({ Units: "PROPCPS" })]), {
      code: "UNSUPPORTED",
      message: /Units.*PROPCPS/,
    });
    expectAtsmError(() => computeSuvScaleFactors([cu64Instance({ Units: "CNTS" })]), {
      code: "MISSING_INPUT",
      message: /CNTS/,
    });
  });
  it("scan time: none in the headers → names SeriesTime and --scan-time", () => {
    expectAtsmError(
      () => computeSuvScaleFactors([cu64Instance({ SeriesDateTimeMs: null, AcquisitionDateTimeMs: null })]),
      { code: "MISSING_INPUT", hint: /--scan-time/ },
    );
  });
  it("decay correction: absent with DECY → START + warning; absent without DECY → error naming --decay-correction", () => {
    const r = computeSuvScaleFactors([cu64Instance({ DecayCorrection: null })]);
    expect(r.decayCorrection).toBe("START");
    expect(r.warnings.join(" ")).toMatch(/assumed START/);
    expectAtsmError(
      () => computeSuvScaleFactors([cu64Instance({ DecayCorrection: null, CorrectedImage: ["ATTN"] })]),
      { code: "MISSING_INPUT", hint: /--decay-correction/ },
    );
    expectAtsmError(() => computeSuvScaleFactors([cu64Instance({ DecayCorrection: "FRAME" })]), {
      code: "UNSUPPORTED",
    });
    expectAtsmError(() => computeSuvScaleFactors([cu64Instance({ CorrectedImage: ["ATTN"] })]), {
      code: "INCONSISTENT",
      message: /lacks DECY/,
    });
  });
  it("empty input, bad overrides, residual ≥ dose", () => {
    expectAtsmError(() => computeSuvScaleFactors([]), { code: "INVALID_ARGUMENT" });
    expectAtsmError(() => computeSuvScaleFactors([cu64Instance()], { weightKg: -1 }), {
      code: "INVALID_ARGUMENT",
      message: /weight/,
    });
    expectAtsmError(() => computeSuvScaleFactors([cu64Instance()], { residualActivityBq: 185e6 }), {
      code: "INVALID_ARGUMENT",
      hint: /--residual-mbq/,
    });
    expectAtsmError(() => computeSuvScaleFactors([cu64Instance()], { nuclide: "Tc-99m" }), {
      code: "UNKNOWN_NUCLIDE",
    });
  });
  it("the negative-decay error prints both times in ISO form", () => {
    expectAtsmError(
      () => computeSuvScaleFactors([cu64Instance()], { injectionTimeMs: Date.UTC(2025, 2, 2, 0, 0, 0) }),
      { message: /2025-03-01T20:42:00Z.*2025-03-02T00:00:00Z/ },
    );
  });
});

describe("isoUtc (no Date in core)", () => {
  it("matches Date.toISOString (fuzz)", () => {
    fc.assert(
      fc.property(fc.integer({ min: -2e12, max: 4e12 }), (ms) => {
        expect(isoUtc(ms)).toBe(new Date(ms).toISOString().replace(".000Z", "Z"));
      }),
      { numRuns: 200 },
    );
  });
});

describe("fuzzed headers", () => {
  const num = fc.option(
    fc.oneof(fc.double({ min: -1e9, max: 1e10 }), fc.constantFrom(0, 1, 70, 185e6, 6586.2)),
    { nil: null },
  );
  const time = fc.option(fc.integer({ min: 1.7e12, max: 1.7e12 + 1e8 }), { nil: null });
  const record = fc.record({
    Units: fc.option(fc.constantFrom("BQML", "CNTS", "GML", "CPS", ""), { nil: null }),
    DecayCorrection: fc.option(fc.constantFrom("START", "ADMIN", "NONE", "X"), { nil: null }),
    CorrectedImage: fc.subarray(["ATTN", "DECY", "SCAT"]),
    PatientWeight: num,
    PatientSize: num,
    PatientSex: fc.option(fc.constantFrom("M", "F", "O"), { nil: null }),
    RadionuclideTotalDose: num,
    RadionuclideHalfLife: num,
    SeriesDateTimeMs: time,
    AcquisitionDateTimeMs: time,
    RadiopharmaceuticalStartDateTimeMs: time,
    FrameReferenceTime: num,
    ActualFrameDuration: num,
    PhilipsPETPrivateGroup_SUVScaleFactor: num,
    PhilipsPETPrivateGroup_ActivityConcentrationScaleFactor: num,
  });
  it("never throws anything but AtsmError; factors are finite and positive", () => {
    fc.assert(
      fc.property(fc.array(record, { minLength: 1, maxLength: 3 }), (recs) => {
        const inst: PetInstanceMetadata[] = recs.map((r) => ({ ...emptyPetInstanceMetadata(), ...r }));
        try {
          const res = computeSuvScaleFactors(inst);
          expect(Number.isFinite(res.suvBwScaleFactor)).toBe(true);
        } catch (e) {
          if (!(e instanceof AtsmError)) throw e;
        }
      }),
      { numRuns: 200 },
    );
  });
});
