/**
 * A small DICOM Part-10 encoder: Explicit VR Little Endian, defined-length sequences and items,
 * group-length-prefixed file meta information (PS3.10 §7.1, PS3.5 §7.1.2, §7.5).
 *
 * Why our own (≈150 lines) instead of dcmjs: writing is one code path we test end-to-end (our
 * reader, pydicom, dciodvfy), it needs no dictionary (each element names its VR), and it writes a
 * slice straight from an Int16Array without dcmjs's naturalised-dataset copy.
 */

/** Value representations we write (PS3.5 Table 6.2-1). */
export type Vr =
  | "AE"
  | "AS"
  | "CS"
  | "DA"
  | "DS"
  | "DT"
  | "IS"
  | "LO"
  | "LT"
  | "PN"
  | "SH"
  | "ST"
  | "TM"
  | "UI"
  | "UT"
  | "US"
  | "UL"
  | "SS"
  | "FD"
  | "OB"
  | "OW"
  | "SQ";

export type ElementValue = string | readonly string[] | number | readonly number[] | Uint8Array | DicomItem[];

export interface DicomElement {
  /** (group << 16) | element. */
  readonly tag: number;
  readonly vr: Vr;
  readonly value: ElementValue;
}

/** One sequence item: its elements (any order; sorted on encoding). */
export type DicomItem = readonly DicomElement[];

/** VRs with a 4-byte length after 2 reserved bytes in explicit VR (PS3.5 Table 7.1-1). */
const LONG_VR = new Set<Vr>(["OB", "OW", "SQ", "UT"]);

/** Element constructor shorthand. */
export function el(group: number, element: number, vr: Vr, value: ElementValue): DicomElement {
  return { tag: ((group << 16) | element) >>> 0, vr, value };
}

/**
 * Format a number as DICOM DS (decimal string, at most 16 characters, PS3.5 Table 6.2-1), with as
 * many significant digits as fit.
 */
export function formatDS(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`DS value must be finite: ${x}`);
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return String(x);
  for (let p = 16; p >= 1; p--) {
    let s = x.toPrecision(p);
    if (s.includes("e")) {
      const [m, e] = s.split("e") as [string, string];
      s = `${m.includes(".") ? m.replace(/0+$/, "").replace(/\.$/, "") : m}e${e}`;
    } else if (s.includes(".")) s = s.replace(/0+$/, "").replace(/\.$/, "");
    if (s.length <= 16) return s;
  }
  throw new RangeError(`cannot format ${x} as DS`);
}

const ascii = new TextEncoder();

function stringBytes(vr: Vr, value: ElementValue): Uint8Array {
  const parts = typeof value === "string" ? [value] : (value as readonly (string | number)[]).map(String);
  const text = parts.join("\\");
  let bytes = ascii.encode(text);
  if (bytes.length % 2 === 1) {
    const padded = new Uint8Array(bytes.length + 1);
    padded.set(bytes);
    padded[bytes.length] = vr === "UI" ? 0 : 0x20; // UI pads with NUL, text with space
    bytes = padded;
  }
  return bytes;
}

function numberBytes(vr: Vr, value: ElementValue): Uint8Array {
  const values = typeof value === "number" ? [value] : (value as readonly number[]);
  const size = vr === "FD" ? 8 : vr === "UL" ? 4 : 2;
  const out = new Uint8Array(values.length * size);
  const dv = new DataView(out.buffer);
  values.forEach((v, i) => {
    if (vr === "US") dv.setUint16(i * size, v, true);
    else if (vr === "SS") dv.setInt16(i * size, v, true);
    else if (vr === "UL") dv.setUint32(i * size, v, true);
    else dv.setFloat64(i * size, v, true);
  });
  return out;
}

function valueBytes(e: DicomElement): Uint8Array {
  switch (e.vr) {
    case "SQ": {
      const items = (e.value as DicomItem[]).map(encodeItem);
      return concat(items);
    }
    case "OB":
    case "OW": {
      const b = e.value as Uint8Array;
      if (b.length % 2 === 0) return b;
      const padded = new Uint8Array(b.length + 1);
      padded.set(b);
      return padded;
    }
    case "US":
    case "UL":
    case "SS":
    case "FD":
      return numberBytes(e.vr, e.value);
    case "DS":
      return stringBytes(
        "DS",
        typeof e.value === "number"
          ? formatDS(e.value)
          : Array.isArray(e.value)
            ? (e.value as unknown as readonly (number | string)[]).map((v) =>
                typeof v === "number" ? formatDS(v) : v,
              )
            : e.value,
      );
    default:
      return stringBytes(e.vr, e.value);
  }
}

function encodeItem(item: DicomItem): Uint8Array {
  const body = encodeElements(item);
  const head = new Uint8Array(8);
  const dv = new DataView(head.buffer);
  dv.setUint16(0, 0xfffe, true);
  dv.setUint16(2, 0xe000, true);
  dv.setUint32(4, body.length, true);
  return concat([head, body]);
}

/** Encode elements (sorted by tag) in explicit VR little endian. */
export function encodeElements(elements: readonly DicomElement[]): Uint8Array {
  const sorted = [...elements].sort((a, b) => a.tag - b.tag);
  const parts: Uint8Array[] = [];
  for (const e of sorted) {
    const value = valueBytes(e);
    const long = LONG_VR.has(e.vr);
    const head = new Uint8Array(long ? 12 : 8);
    const dv = new DataView(head.buffer);
    dv.setUint16(0, e.tag >>> 16, true);
    dv.setUint16(2, e.tag & 0xffff, true);
    head[4] = e.vr.charCodeAt(0);
    head[5] = e.vr.charCodeAt(1);
    if (long) dv.setUint32(8, value.length, true);
    else {
      if (value.length > 0xffff)
        throw new RangeError(`value of ${e.tag.toString(16)} too long for VR ${e.vr}`);
      dv.setUint16(6, value.length, true);
    }
    parts.push(head, value);
  }
  return concat(parts);
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Implementation Class UID of the Workbench's writer (under the 2.25 UUID arc, PS3.5 §B.2). */
export const IMPLEMENTATION_CLASS_UID = "2.25.255892503433699503699176868544548408849";
export const IMPLEMENTATION_VERSION_NAME = "ATSM_WB_0_1";

/** A whole Part-10 file: preamble, "DICM", file meta group 0002, then the data set. */
export function encodePart10(
  sopClassUid: string,
  sopInstanceUid: string,
  dataset: readonly DicomElement[],
): Uint8Array {
  const metaBody = encodeElements([
    el(0x0002, 0x0001, "OB", new Uint8Array([0, 1])),
    el(0x0002, 0x0002, "UI", sopClassUid),
    el(0x0002, 0x0003, "UI", sopInstanceUid),
    el(0x0002, 0x0010, "UI", "1.2.840.10008.1.2.1"),
    el(0x0002, 0x0012, "UI", IMPLEMENTATION_CLASS_UID),
    el(0x0002, 0x0013, "SH", IMPLEMENTATION_VERSION_NAME),
  ]);
  const groupLength = encodeElements([el(0x0002, 0x0000, "UL", metaBody.length)]);
  const preamble = new Uint8Array(132);
  preamble.set(ascii.encode("DICM"), 128);
  return concat([preamble, groupLength, metaBody, encodeElements(dataset)]);
}
