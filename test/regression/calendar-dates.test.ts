/**
 * Regression: impossible calendar days were rolled over by Date.UTC instead of being refused, so
 * a DICOM StudyDate 20250230 or a Wizard2 time "30.02.2025 10:00" became 2 March without a word
 * (a decay correction off by the same days). Both now fail like any other malformed date.
 */
import { describe, expect, it } from "vitest";
import { parseDicomDateMs } from "../../src/io/dicom/datetime.js";
import { parseCounterLocalTime } from "../../src/io/lab/wizard2.js";

describe("days past the month's end", () => {
  it("DICOM DA 20250230 is refused, 20240229 (leap year) accepted", () => {
    expect(() => parseDicomDateMs("20250230", "SeriesDate")).toThrow(/SeriesDate/);
    expect(() => parseDicomDateMs("20250431", "SeriesDate")).toThrow();
    expect(parseDicomDateMs("20240229")).toBe(Date.UTC(2024, 1, 29));
    expect(parseDicomDateMs("20250228")).toBe(Date.UTC(2025, 1, 28));
  });
  it("Wizard2 local times with 30 February are not a time", () => {
    expect(parseCounterLocalTime("30.02.2025 10:00:00")).toBeNull();
    expect(parseCounterLocalTime("2025-02-30 10:00:00")).toBeNull();
    expect(parseCounterLocalTime("29.02.2024 10:00:00")).toEqual([2024, 2, 29, 10, 0, 0]);
  });
});
