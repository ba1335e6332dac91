import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import dicomParser from "dicom-parser";
import { describe, expect, it } from "vitest";
import { identityDirection, type Mask } from "../../src/core/types.js";
import { formatDs, readDicomSeg, SEG_CODES, writeDicomSeg } from "../../src/io/dicom/seg.js";
import { expectAtsmError } from "../helpers/errors.js";

const DCIODVFY = ["/usr/bin/dciodvfy", "/usr/local/bin/dciodvfy"].find((p) => existsSync(p));

function twoLabelMask(): Mask {
  const dims = [8, 6, 5] as const;
  const data = new Uint8Array(8 * 6 * 5);
  data[1 + 8 * (1 + 6 * 1)] = 1; // tumour voxel (1,1,1)
  data[2 + 8 * (2 + 6 * 2)] = 1; // tumour voxel (2,2,2)
  data[5 + 8 * (4 + 6 * 3)] = 2; // muscle voxel (5,4,3)
  return {
    data,
    dims,
    spacingMm: [2, 2, 3],
    originMm: [-8, -6, -6],
    direction: identityDirection(),
    labels: new Map([
      [1, "tumour"],
      [2, "muscle"],
    ]),
  };
}

const SEGMENTS = [
  {
    label: 1,
    name: "tumour",
    category: SEG_CODES.morphologicallyAltered,
    type: SEG_CODES.neoplasm,
    algorithmName: "sphere",
  },
  {
    label: 2,
    name: "muscle",
    category: SEG_CODES.tissue,
    type: SEG_CODES.muscle,
    algorithmType: "MANUAL" as const,
  },
];

function write(withRefs: boolean): Uint8Array {
  const refs = [0, 1, 2, 3, 4].map((k) => ({
    sopClassUid: "1.2.840.10008.5.1.4.1.1.128",
    sopInstanceUid: `1.2.3.4.5.${k}`,
  }));
  return writeDicomSeg(twoLabelMask(), {
    segments: SEGMENTS,
    source: withRefs
      ? { seriesInstanceUid: "1.2.3.4", studyInstanceUid: "1.2.3", patientId: "P1", sliceInstances: refs }
      : {},
    date: new Date(Date.UTC(2024, 0, 2, 3, 4, 5)),
  });
}

describe("DICOM SEG writer", () => {
  it("encodes one bit-packed frame per (segment, occupied slice) with positions", () => {
    const bytes = write(true);
    const ds = dicomParser.parseDicom(bytes);
    expect(ds.string("x00080016")).toBe("1.2.840.10008.5.1.4.1.1.66.4");
    expect(ds.string("x00080060")).toBe("SEG");
    expect(ds.intString("x00280008")).toBe(3); // tumour on k=1,2; muscle on k=3
    expect(ds.uint16("x00280010")).toBe(6);
    expect(ds.uint16("x00280011")).toBe(8);
    const frames = ds.elements.x52009230!.items!;
    const pos = frames.map((f) => f.dataSet!.elements.x00209113!.items![0]!.dataSet!.string("x00200032"));
    // slice k at z = -6 + 3k mm (origin + k·spacing)
    expect(pos).toEqual(["-8\\-6\\-3", "-8\\-6\\0", "-8\\-6\\3"]);
    const px = ds.elements.x7fe00010!;
    const bits = bytes.subarray(px.dataOffset, px.dataOffset + px.length);
    const on: number[] = [];
    for (let b = 0; b < 3 * 48; b++) if ((bits[b >> 3]! >> (b & 7)) & 1) on.push(b);
    // frame 0 pixel (1,1) = 9; frame 1 pixel (2,2) = 48+18; frame 2 pixel (5,4) = 96+37
    expect(on).toEqual([9, 66, 133]);
  });

  it("reads back its own SEG: labels at the same LPS positions (grid spans the occupied slices)", () => {
    const m = readDicomSeg(write(false), "seg.dcm");
    // frames on k = 1..3 of the source (z = -3, 0, 3 mm): read grid has 3 slices from z = -3
    expect(m.dims).toEqual([8, 6, 3]);
    expect(Array.from(m.originMm)).toEqual([-8, -6, -3]);
    expect(Array.from(m.spacingMm)).toEqual([2, 2, 3]);
    const at = (i: number, j: number, k: number) => m.data[i + 8 * (j + 6 * k)];
    expect([at(1, 1, 0), at(2, 2, 1), at(5, 4, 2)]).toEqual([1, 1, 2]);
    expect(m.data.reduce((s, v) => s + (v > 0 ? 1 : 0), 0)).toBe(3);
    expect(m.labels.get(1)).toBe("tumour");
  });

  it("formats DS within 16 characters", () => {
    expect(formatDs(1 / 3).length).toBeLessThanOrEqual(16);
    expect(Number(formatDs(-123.45678901234568))).toBeCloseTo(-123.456789012346, 10);
    expect(formatDs(1e-14)).toBe("0");
  });

  it("rejects an empty segment", () => {
    const m = twoLabelMask();
    expectAtsmError(() => writeDicomSeg(m, { segments: [{ ...SEGMENTS[0]!, label: 7 }] }), {
      code: "EMPTY_VOI",
      message: /label 7/,
    });
  });

  it.skipIf(DCIODVFY === undefined)(
    "passes dicom3tools dciodvfy without errors (with and without source refs)",
    () => {
      const dir = mkdtempSync(join(tmpdir(), "atsm-seg-"));
      for (const refs of [true, false]) {
        const file = join(dir, `seg-${refs}.dcm`);
        writeFileSync(file, write(refs));
        // dciodvfy prints its findings on stderr; "Error - ..." lines mark IOD violations.
        const all = execFileSync("sh", ["-c", `"${DCIODVFY}" "${file}" 2>&1 || true`], { encoding: "utf8" });
        expect(all).not.toMatch(/^Error/m);
        expect(all).toMatch(/Segmentation/);
      }
    },
  );
});
