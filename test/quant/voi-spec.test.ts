/** VOI spec grammar: parse, print, errors, fuzz. Expected values are hand-derived from the grammar. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AtsmError } from "../../src/core/errors.js";
import {
  formatVoiSpec,
  parseVoiLevel,
  parseVoiSpec,
  voiMaskPaths,
  voiNeedsReference,
} from "../../src/quant/voi/spec.js";
import { expectAtsmError } from "../helpers/errors.js";

describe("parseVoiSpec", () => {
  it("parses a sphere in LPS mm", () => {
    expect(parseVoiSpec("sphere:10,-20.5,35,15")).toEqual({
      kind: "sphere",
      centerMm: [10, -20.5, 35],
      radiusMm: 15,
    });
  });

  it("orders box corners", () => {
    expect(parseVoiSpec("box:10,0,5,-10,20,-5")).toEqual({
      kind: "box",
      minMm: [-10, 0, -5],
      maxMm: [10, 20, 5],
    });
  });

  it("parses mask paths with and without a label, keeping ':' and '@' inside paths", () => {
    expect(parseVoiSpec("mask:seg.nii.gz")).toEqual({ kind: "mask", path: "seg.nii.gz", label: null });
    expect(parseVoiSpec("mask:C:\\data\\a@b.nii:3")).toEqual({
      kind: "mask",
      path: "C:\\data\\a@b.nii",
      label: 3,
    });
  });

  it("nests derived VOIs to the right", () => {
    const s = parseVoiSpec("component:26@threshold:41%max@sphere:1,2,3,30");
    expect(s).toEqual({
      kind: "component",
      connectivity: 26,
      inner: {
        kind: "threshold",
        level: { kind: "relative", fraction: 0.41, of: "max" },
        inner: { kind: "sphere", centerMm: [1, 2, 3], radiusMm: 30 },
      },
    });
    expect(formatVoiSpec(s)).toBe("component:26@threshold:41%max@sphere:1,2,3,30");
  });

  it("parses levels: SUV default, suv/bqml/tm suffixes, %max/%peak/%seed", () => {
    expect(parseVoiLevel("2.5")).toEqual({ kind: "absolute", value: 2.5, unit: "suv" });
    expect(parseVoiLevel("2.5SUV")).toEqual({ kind: "absolute", value: 2.5, unit: "suv" });
    expect(parseVoiLevel("1.3tm")).toEqual({ kind: "absolute", value: 1.3, unit: "tm" });
    expect(parseVoiLevel("5000bqml")).toEqual({ kind: "absolute", value: 5000, unit: "bqml" });
    expect(parseVoiLevel("50%peak")).toEqual({ kind: "relative", fraction: 0.5, of: "peak" });
    expect(parseVoiSpec("grow:1,2,3,40%seed@box:0,0,0,9,9,9")).toMatchObject({
      kind: "grow",
      seedMm: [1, 2, 3],
      level: { kind: "relative", fraction: 0.4, of: "seed" },
    });
    expect(parseVoiSpec("threshold:2")).toEqual({
      kind: "threshold",
      level: { kind: "absolute", value: 2, unit: "suv" },
      inner: null,
    });
  });

  it("lists mask paths and T/M needs", () => {
    const s = parseVoiSpec("threshold:1.5tm@mask:ct-seg.nii:2");
    expect(voiMaskPaths(s)).toEqual(["ct-seg.nii"]);
    expect(voiNeedsReference(s)).toBe(true);
    expect(voiNeedsReference(parseVoiSpec("threshold:41%max@sphere:0,0,0,9"))).toBe(false);
  });

  it.each([
    ["", /empty VOI spec/],
    ["cube:1,2,3,4", /unknown VOI kind "cube"/],
    ["sphere:1,2,3", /expected 4 comma-separated numbers/],
    ["sphere:1,2,3,-4", /radius must be > 0/],
    ["sphere:1,2,x,4", /Z is not a number/],
    ["sphere:1,2,0x10,4", /Z is not a number/],
    ["box:0,0,0,0,5,5", /zero extent/],
    ["threshold:41%max@", /unknown VOI kind ""/],
    ["threshold:140%max@sphere:0,0,0,5", /percentage must be in \(0, 100\]/],
    ["threshold:40%seed@sphere:0,0,0,5", /only valid in grow/],
    ["component:8@sphere:0,0,0,5", /connectivity must be 6 or 26/],
    ["component", /needs an inner VOI/],
    ["grow:1,2,3@sphere:0,0,0,5", /grow expects X,Y,Z,LEVEL/],
    ["mask:", /mask path is empty/],
    ["mask:a.nii:0", /label must be 1..255/],
  ])("rejects %j with the spec and the grammar", (text, message) => {
    expectAtsmError(() => parseVoiSpec(text), {
      code: "INVALID_ARGUMENT",
      message,
      hint: /accepted grammar: VOI := sphere:X,Y,Z,R/,
    });
  });

  it("names the whole spec in nested errors", () => {
    expectAtsmError(() => parseVoiSpec("component@threshold:41%max@sphere:1,2"), {
      message: /"component@threshold:41%max@sphere:1,2"/,
    });
  });
});

describe("fuzz", () => {
  const finite = fc.double({ min: -500, max: 500, noNaN: true, noDefaultInfinity: true });
  const pos = fc.double({ min: 0.5, max: 100, noNaN: true, noDefaultInfinity: true });
  const base = fc.oneof(
    fc.tuple(finite, finite, finite, pos).map(([x, y, z, r]) => `sphere:${x},${y},${z},${r}`),
    fc
      .tuple(finite, finite, finite, pos, pos, pos)
      .map(([x, y, z, a, b, c]) => `box:${x},${y},${z},${x + a},${y + b},${z + c}`),
    fc.stringMatching(/^[a-z0-9_./-]{1,20}$/).map((p) => `mask:${p}`),
  );
  const level = fc.oneof(
    fc.integer({ min: 1, max: 100 }).map((p) => `${p}%max`),
    pos.map((v) => `${v}tm`),
    pos.map((v) => `${v}`),
  );
  const spec = fc
    .tuple(
      base,
      fc.array(
        fc.oneof(
          level.map((l) => `threshold:${l}@`),
          fc.constant("component@"),
        ),
        { maxLength: 3 },
      ),
    )
    .map(([b, prefixes]) => prefixes.join("") + b);

  it("format(parse(s)) is a fixed point", () => {
    fc.assert(
      fc.property(spec, (s) => {
        const once = formatVoiSpec(parseVoiSpec(s));
        expect(formatVoiSpec(parseVoiSpec(once))).toBe(once);
        expect(parseVoiSpec(once)).toEqual(parseVoiSpec(s));
      }),
      { numRuns: 200 },
    );
  });

  it("arbitrary text either parses or throws AtsmError", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (s) => {
        try {
          parseVoiSpec(s);
        } catch (e) {
          expect(e).toBeInstanceOf(AtsmError);
        }
      }),
      { numRuns: 200 },
    );
  });
});
