import { describe, expect, it } from "vitest";
import { AtsmError } from "../../src/core/errors.js";
import { bqToMci, mciToBq, parseActivityBq, parseDurationS, parseIsoTimeMs } from "../../src/core/units.js";
import { expectClose } from "../helpers/close.js";
import { expectAtsmError } from "../helpers/errors.js";

describe("units", () => {
  it("parses activities; 1 mCi = 37 MBq exactly (curie definition)", () => {
    expect(parseActivityBq("185MBq")).toBe(185e6);
    expectClose(parseActivityBq("5 mCi"), 185e6, { rel: 1e-12 });
    expectClose(parseActivityBq("10uCi"), 370e3, { rel: 1e-12 });
    expectClose(bqToMci(mciToBq(2.5)), 2.5, { rel: 1e-15 });
  });
  it("rejects bad activities with the accepted list", () => {
    expect(() => parseActivityBq("185 MBqq")).toThrow(AtsmError);
    expectAtsmError(() => parseActivityBq("abc"), {
      code: "INVALID_ARGUMENT",
      message: /activity/,
      hint: /accepted units/,
    });
    expectAtsmError(() => parseActivityBq("12 furlongs"), { hint: /MBq/ });
  });
  it("parses durations", () => {
    expect(parseDurationS("20m")).toBe(1200);
    expect(parseDurationS("1.5h")).toBe(5400);
    expect(parseDurationS("18 h")).toBe(64800);
    expect(() => parseDurationS("3 fortnights")).toThrow(AtsmError);
  });
  it("parses zoned ISO times and rejects zone-less ones", () => {
    expect(parseIsoTimeMs("2025-03-01T08:00:00Z")).toBe(Date.UTC(2025, 2, 1, 8));
    expect(parseIsoTimeMs("2025-03-01T09:00:00+01:00")).toBe(Date.UTC(2025, 2, 1, 8));
    expect(() => parseIsoTimeMs("2025-03-01T08:00:00")).toThrow(/time zone/);
    // Regression (QA pass): Date.parse rolls Feb 30 to Mar 2; we refuse it.
    expectAtsmError(() => parseIsoTimeMs("2025-02-30T08:00:00Z"), { hint: /real calendar date/ });
    expect(parseIsoTimeMs("2024-02-29T00:00:00Z")).toBe(Date.UTC(2024, 1, 29));
  });
});
