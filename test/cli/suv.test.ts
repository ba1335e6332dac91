/** `atsm suv` on the committed DICOM fixtures; expected factors derived by hand beside each case. */
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parseScannerTimeMs } from "../../src/cli/commands/suv.js";
import { cli } from "../helpers/cli.js";
import { expectClose } from "../helpers/close.js";

const DIR = resolve(import.meta.dirname, "../fixtures/data/dicom");
const HALF_LIFE_S = 45720; // RadionuclideHalfLife written by dicom_make.py (Cu-64, 12.70 h)

describe("atsm suv", () => {
  it("--json prints the QIBA factors from the header", async () => {
    const r = await cli(["suv", `${DIR}/pet_axial`, "--json"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    // header: 72.5 kg, 370 MBq at 09:15, series 10:00, START -> decay over 2700 s
    expectClose(j.suvBwScaleFactor, 72500 / (370e6 * 2 ** (-2700 / HALF_LIFE_S)), { rel: 1e-9 }, "suvBw");
    expect(j.decayCorrection).toBe("START");
    for (const k of ["suvLbmJanmaScaleFactor", "suvLbmJamesScaleFactor", "suvBsaScaleFactor"]) {
      expect(typeof j[k]).toBe("number");
    }
    expect(j.scanTime).toBe("2025-03-01T10:00:00Z");
  });

  it("flags override the header (weight, dose, injection time)", async () => {
    const r = await cli([
      "suv",
      `${DIR}/pet_axial`,
      "--json",
      "--weight-kg",
      "80",
      "--dose-mbq",
      "300",
      "--injection-time",
      "2025-03-01T09:30:00",
    ]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    // 80 000 g / (300e6 Bq · 2^(−1800/45720))
    expectClose(j.suvBwScaleFactor, 80000 / (300e6 * 2 ** (-1800 / HALF_LIFE_S)), { rel: 1e-9 }, "suvBw");
    expect(j.injectionTime).toBe("2025-03-01T09:30:00Z");
  });

  it("a time with an offset is converted to the header's wall-clock (UTC when none)", () => {
    // 09:30+01:00 = 08:30 UTC; header without TimezoneOffsetFromUTC -> 08:30 on the naive axis
    expect(parseScannerTimeMs("2025-03-01T09:30:00+01:00", "--t", null)).toBe(Date.UTC(2025, 2, 1, 8, 30));
    // header at +0100 -> wall-clock 09:30
    expect(parseScannerTimeMs("2025-03-01T09:30:00+01:00", "--t", "+0100")).toBe(Date.UTC(2025, 2, 1, 9, 30));
    expect(parseScannerTimeMs("2025-03-01 09:30", "--t", null)).toBe(Date.UTC(2025, 2, 1, 9, 30));
  });

  it("bad flag values name the flag", async () => {
    const r = await cli(["suv", `${DIR}/pet_axial`, "--sex", "X"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--sex must be M or F/);
    const t = await cli(["suv", `${DIR}/pet_axial`, "--injection-time", "yesterday"]);
    expect(t.code).toBe(2);
    expect(t.stderr).toMatch(/--injection-time/);
  });

  it("a study without PET says so", async () => {
    const r = await cli(["suv", `${DIR}/ct_axial`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no PET series/);
  });
});
