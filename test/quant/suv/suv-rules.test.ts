/**
 * Hand-derived vectors for each SUV rule. Cu-64 (T½ 12.7 h, ICRP-107) makes the arithmetic exact:
 * one half-life after injection the dose has halved.
 */
import { describe, expect, it } from "vitest";
import { computeSuvScaleFactors, frameMeanCountRateOffsetS } from "../../../src/quant/suv/index.js";
import { expectClose } from "../../helpers/close.js";
import { CU64_T_S, cu64Instance, H_MS, T0 } from "./helpers.js";

const HALF_MS = CU64_T_S * 1000;

describe("decay correction START / ADMIN / NONE", () => {
  it("START: 185 MBq at 08:00, series 20:42 (one T½): suvBw = 70000 g / 92.5e6 Bq = 7.567568e-4", () => {
    const r = computeSuvScaleFactors([cu64Instance()]);
    expect(r.decayCorrection).toBe("START");
    expect(r.scanTimeRule).toBe("series");
    expect(r.decayTimeS).toBe(CU64_T_S);
    expectClose(r.decayFactor!, 0.5, { rel: 1e-14 }, "decay factor");
    expectClose(r.decayedDoseBq!, 92.5e6, { rel: 1e-14 }, "D_ref");
    expectClose(r.suvBwScaleFactor, 70000 / 92.5e6, { rel: 1e-14 }, "suvBw");
    expect(r.scanTimeMs).toBe(T0 + HALF_MS);
    expect(r.sources).toMatchObject({ weightKg: "header", injectedDoseBq: "header", halfLifeS: "header" });
  });

  it("ADMIN: no decay of the dose: suvBw = 70000/185e6 = 3.783784e-4", () => {
    const r = computeSuvScaleFactors([cu64Instance({ DecayCorrection: "ADMIN" })]);
    expect(r.decayFactor).toBe(1);
    expect(r.decayTimeS).toBe(0);
    expectClose(r.suvBwScaleFactor, 70000 / 185e6, { rel: 1e-14 }, "suvBw");
    expect(r.scanTimeRule).toBe("not-needed");
  });

  it("ADMIN needs neither injection time nor half-life", () => {
    const r = computeSuvScaleFactors([
      cu64Instance({
        DecayCorrection: "ADMIN",
        RadiopharmaceuticalStartDateTimeMs: null,
        RadionuclideHalfLife: null,
        RadionuclideCodeMeaning: null,
        Radiopharmaceutical: null,
      }),
    ]);
    expectClose(r.suvBwScaleFactor, 70000 / 185e6, { rel: 1e-14 }, "suvBw");
  });

  it("NONE: each frame referenced to its own time: frames at +1 T½ and +2 T½ (0-length) → 70000/92.5e6 and 70000/46.25e6", () => {
    const a = cu64Instance({
      DecayCorrection: "NONE",
      CorrectedImage: ["ATTN"],
      AcquisitionDateTimeMs: T0 + HALF_MS,
      SOPInstanceUID: "a",
    });
    const b = { ...a, AcquisitionDateTimeMs: T0 + 2 * HALF_MS, SOPInstanceUID: "b" };
    const r = computeSuvScaleFactors([a, b]);
    expect(r.scanTimeRule).toBe("acquisition");
    expect(r.perInstance).not.toBeNull();
    expectClose(r.perInstance![0]!.suvBwScaleFactor, 70000 / 92.5e6, { rel: 1e-14 }, "frame 1");
    expectClose(r.perInstance![1]!.suvBwScaleFactor, 70000 / 46.25e6, { rel: 1e-14 }, "frame 2");
    expectClose(r.perInstance![1]!.decayFactor!, 0.25, { rel: 1e-14 }, "frame 2 decay");
    expect(r.perInstance![1]!.SOPInstanceUID).toBe("b");
  });

  it("NONE with a 600 s F-18 frame: reference = start + t̄, t̄ = Δt/2 − λΔt²/24 + λ³Δt⁴/2880 = 298.42142 s", () => {
    // λ = ln2/6586.2 = 1.052417e-4 /s; series of ln(x/(1−e^{−x}))/λ, x = λΔt = 0.063145.
    expectClose(frameMeanCountRateOffsetS(6586.2, 600), 298.4214171705, { abs: 1e-6 }, "t̄");
    expectClose(frameMeanCountRateOffsetS(6586.2, 1e-6), 5e-7, { rel: 1e-6 }, "t̄ → Δt/2");
    const r = computeSuvScaleFactors([
      cu64Instance({
        DecayCorrection: "NONE",
        CorrectedImage: ["ATTN"],
        RadionuclideHalfLife: 6586.2,
        RadionuclideCodeMeaning: "^18^Fluorine",
        Radiopharmaceutical: "FDG",
        AcquisitionDateTimeMs: T0 + H_MS,
        ActualFrameDuration: 600_000,
      }),
    ]);
    expectClose(r.scanTimeMs!, T0 + H_MS + 298421.4171705, { abs: 1e-3 }, "reference time");
    expectClose(r.decayFactor!, 2 ** (-(3600 + 298.4214171705) / 6586.2), { rel: 1e-10 }, "decay");
  });
});

describe("scan-time rules (QIBA)", () => {
  const scanA = T0 + 2 * H_MS;
  it("series time ≤ earliest acquisition → series time, even if later acquisitions exist", () => {
    const base = cu64Instance({ SeriesDateTimeMs: scanA - 60_000, AcquisitionDateTimeMs: scanA });
    const r = computeSuvScaleFactors([base, { ...base, AcquisitionDateTimeMs: scanA + 300_000 }]);
    expect(r.scanTimeRule).toBe("series");
    expect(r.scanTimeMs).toBe(scanA - 60_000);
    expect(r.perInstance).toBeNull();
  });

  it("series time after acquisition + GE private post-injection time → GE time", () => {
    const ge = T0 + 3 * H_MS;
    const r = computeSuvScaleFactors([
      cu64Instance({
        SeriesDateTimeMs: scanA + H_MS,
        AcquisitionDateTimeMs: scanA,
        GEPrivatePostInjectionDateTimeMs: ge,
      }),
    ]);
    expect(r.scanTimeRule).toBe("ge-private");
    expect(r.scanTimeMs).toBe(ge);
    expectClose(r.decayTimeS!, 3 * 3600, { abs: 1e-9 }, "Δt");
  });

  it("series time after acquisition, no GE, no frame timing → earliest acquisition", () => {
    const base = cu64Instance({ SeriesDateTimeMs: scanA + H_MS, AcquisitionDateTimeMs: scanA + 120_000 });
    const r = computeSuvScaleFactors([
      base,
      { ...base, AcquisitionDateTimeMs: scanA },
      { ...base, AcquisitionDateTimeMs: scanA + 240_000 },
    ]);
    expect(r.scanTimeRule).toBe("earliest-acquisition");
    expect(r.scanTimeMs).toBe(scanA);
    expect(r.warnings.join(" ")).toMatch(/earliest acquisition/);
  });

  it("Siemens frame rule: acquisition − FrameReferenceTime + t̄ (two beds referenced to one series start)", () => {
    // Series reference S = T0 + 2 h. Bed 1 starts at S, bed 2 at S + 180 s; 180 s frames.
    // FrameReferenceTime_i = (bed start − S) + t̄(180 s), so every bed maps back to S.
    const tbarS = frameMeanCountRateOffsetS(CU64_T_S, 180);
    expectClose(tbarS, 90 - ((Math.LN2 / CU64_T_S) * 180 ** 2) / 24, { abs: 1e-6 }, "t̄(180 s)");
    const mk = (startOffsetS: number) =>
      cu64Instance({
        SeriesDateTimeMs: scanA + H_MS,
        AcquisitionDateTimeMs: scanA + startOffsetS * 1000,
        FrameReferenceTime: (startOffsetS + tbarS) * 1000,
        ActualFrameDuration: 180_000,
      });
    const r = computeSuvScaleFactors([mk(0), mk(180)]);
    expect(r.scanTimeRule).toBe("siemens-frame");
    expectClose(r.scanTimeMs!, scanA, { abs: 1e-6 }, "scan time");
    expect(r.perInstance).toBeNull();
    expectClose(r.suvBwScaleFactor, 70000 / (185e6 * 2 ** (-7200 / CU64_T_S)), { rel: 1e-12 }, "suvBw");
  });

  it("scan-time override wins", () => {
    const r = computeSuvScaleFactors([cu64Instance()], { scanTimeMs: T0 + 2 * HALF_MS });
    expect(r.scanTimeRule).toBe("override");
    expectClose(r.suvBwScaleFactor, 70000 / 46.25e6, { rel: 1e-14 }, "two half-lives");
  });

  it("missing series time falls back to acquisition with a warning", () => {
    const r = computeSuvScaleFactors([cu64Instance({ SeriesDateTimeMs: null })]);
    expect(r.scanTimeRule).toBe("earliest-acquisition");
    expect(r.warnings.join(" ")).toMatch(/SeriesDate/);
  });
});

describe("dose, residual, half-life, overrides", () => {
  it("residual 10 MBq measured at the scan (one T½): D_ref = 200·½ − 10 = 90 MBq", () => {
    const r = computeSuvScaleFactors([cu64Instance({ RadionuclideTotalDose: 200e6 })], {
      residualActivityBq: 10e6,
      residualTimeMs: T0 + HALF_MS,
    });
    expectClose(r.decayedDoseBq!, 90e6, { rel: 1e-14 }, "D_ref");
    expectClose(r.suvBwScaleFactor, 70000 / 90e6, { rel: 1e-14 }, "suvBw");
    expectClose(r.decayFactor!, 0.45, { rel: 1e-14 }, "net fraction");
  });

  it("residual without a time is taken at injection: D_ref = (200 − 10)·½ = 95 MBq", () => {
    const r = computeSuvScaleFactors([cu64Instance({ RadionuclideTotalDose: 200e6 })], {
      residualActivityBq: 10e6,
    });
    expectClose(r.decayedDoseBq!, 95e6, { rel: 1e-14 }, "D_ref");
    expect(r.warnings.join(" ")).toMatch(/residual/);
  });

  it("ADMIN with residual measured one T½ after injection: D_ref = 200 − 10·2 = 180 MBq", () => {
    const r = computeSuvScaleFactors(
      [cu64Instance({ RadionuclideTotalDose: 200e6, DecayCorrection: "ADMIN" })],
      {
        residualActivityBq: 10e6,
        residualTimeMs: T0 + HALF_MS,
      },
    );
    expectClose(r.decayedDoseBq!, 180e6, { rel: 1e-14 }, "D_ref");
  });

  it("half-life from the nuclide table when the header has none (^64^Copper, then Cu-64 ATSM text)", () => {
    let r = computeSuvScaleFactors([cu64Instance({ RadionuclideHalfLife: null })]);
    expect(r.halfLifeS).toBe(45720);
    expect(r.sources.halfLifeS).toBe("table");
    expect(r.nuclide).toBe("Cu-64");
    expectClose(r.decayFactor!, 0.5, { rel: 1e-14 }, "decay");
    r = computeSuvScaleFactors([cu64Instance({ RadionuclideHalfLife: null, RadionuclideCodeMeaning: null })]);
    expect(r.halfLifeS).toBe(45720);
    r = computeSuvScaleFactors(
      [
        cu64Instance({
          RadionuclideHalfLife: null,
          RadionuclideCodeMeaning: null,
          Radiopharmaceutical: null,
        }),
      ],
      { nuclide: "64Cu" },
    );
    expect(r.halfLifeS).toBe(45720);
  });

  it("warns when the header half-life disagrees with the named nuclide", () => {
    const r = computeSuvScaleFactors([cu64Instance({ RadionuclideHalfLife: 6586.2 })]);
    expect(r.warnings.join(" ")).toMatch(/differs by more than 1 %/);
  });

  it("overrides win over headers (weight, height, sex, dose, injection time)", () => {
    const r = computeSuvScaleFactors([cu64Instance()], {
      weightKg: 80,
      heightM: 1.6,
      sex: "F",
      injectedDoseBq: 370e6,
      injectionTimeMs: T0 - HALF_MS,
    });
    // Δt = 2 T½ → D_ref = 370/4 = 92.5 MBq; suvBw = 80000/92.5e6.
    expectClose(r.suvBwScaleFactor, 80000 / 92.5e6, { rel: 1e-14 }, "suvBw");
    expect(r.sex).toBe("F");
    expect(r.heightM).toBe(1.6);
    expect(r.sources).toMatchObject({
      weightKg: "override",
      heightM: "override",
      sex: "override",
      injectedDoseBq: "override",
      injectionTimeMs: "override",
    });
  });

  it("SUL and SUVbsa factors = suvBw × LBM/W and suvBw × BSA[cm²]/W[g] (W 80, H 1.75, M)", () => {
    const r = computeSuvScaleFactors([cu64Instance({ PatientWeight: 80 })]);
    const dRef = 92.5e6;
    expectClose(r.suvLbmJanmaScaleFactor!, (60.18284200066247 * 1000) / dRef, { rel: 1e-12 }, "Janma");
    expectClose(r.suvLbmJamesScaleFactor!, (61.250612244897965 * 1000) / dRef, { rel: 1e-12 }, "James");
    expectClose(r.suvBsaScaleFactor!, 19560.59915615418 / dRef, { rel: 1e-12 }, "BSA cm²/Bq");
    expectClose(r.bsaM2!, 1.9560599156154184, { rel: 1e-12 }, "BSA m²");
  });

  it("header height written in cm is read as cm with a warning", () => {
    const r = computeSuvScaleFactors([cu64Instance({ PatientSize: 175 })]);
    expect(r.heightM).toBe(1.75);
    expect(r.warnings.join(" ")).toMatch(/not in metres/);
  });

  it("sex O: no SUL (warning names --sex), SUVbsa still given; James out of range → null", () => {
    let r = computeSuvScaleFactors([cu64Instance({ PatientSex: "O" })]);
    expect(r.suvLbmJanmaScaleFactor).toBeNull();
    expect(r.suvBsaScaleFactor).not.toBeNull();
    expect(r.warnings.join(" ")).toMatch(/--sex/);
    r = computeSuvScaleFactors([cu64Instance({ PatientWeight: 200, PatientSize: 1.5 })]);
    expect(r.suvLbmJamesScaleFactor).toBeNull();
    expect(r.suvLbmJanmaScaleFactor).not.toBeNull();
  });

  it("no height: SUL and SUVbsa null with a warning naming --height-cm", () => {
    const r = computeSuvScaleFactors([cu64Instance({ PatientSize: null })]);
    expect(r.suvBsaScaleFactor).toBeNull();
    expect(r.warnings.join(" ")).toMatch(/--height-cm/);
  });
});

describe("Philips CNTS", () => {
  const philips = (suv: number | null, acsf: number | null) =>
    cu64Instance({
      Manufacturer: "Philips Medical Systems",
      Units: "CNTS",
      PhilipsPETPrivateGroup_SUVScaleFactor: suv,
      PhilipsPETPrivateGroup_ActivityConcentrationScaleFactor: acsf,
    });

  it("per-instance SUVScaleFactors that differ are listed per instance", () => {
    const r = computeSuvScaleFactors([
      philips(0.0007, 2.0),
      { ...philips(0.0009, 2.5), SOPInstanceUID: "x" },
    ]);
    expect(r.suvBwScaleFactor).toBe(0.0007);
    expect(r.perInstance).toHaveLength(2);
    expect(r.perInstance![1]!.suvBwScaleFactor).toBe(0.0009);
    expect(r.perInstance![1]!.bqmlScaleFactor).toBe(2.5);
    // SUL = suvBw · LBM/W for counts as well (Janma 70 kg/1.75 m M).
    expectClose(
      r.perInstance![1]!.suvLbmJanmaScaleFactor!,
      (0.0009 * r.lbmJanmaKg!) / 70,
      { rel: 1e-14 },
      "SUL CNTS",
    );
  });

  it("ActivityConcentrationScaleFactor route: ACSF · W/D_ref = 2 · 70000/92.5e6", () => {
    const r = computeSuvScaleFactors([philips(null, 2)]);
    expectClose(r.suvBwScaleFactor, (2 * 70000) / 92.5e6, { rel: 1e-14 }, "suvBw");
  });

  it("with dose overrides and both factors, the ACSF route applies the overrides", () => {
    const r = computeSuvScaleFactors([philips(0.0007, 2)], { injectedDoseBq: 370e6 });
    expectClose(r.suvBwScaleFactor, (2 * 70000) / 185e6, { rel: 1e-14 }, "suvBw");
  });

  it("weight override with only SUVScaleFactor scales by W_override/W_header and warns", () => {
    const r = computeSuvScaleFactors([philips(0.0007, null)], { weightKg: 35 });
    expectClose(r.suvBwScaleFactor, 0.00035, { rel: 1e-14 }, "suvBw");
    expect(r.warnings.join(" ")).toMatch(/7053,1009/);
  });
});
