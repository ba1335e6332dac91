/**
 * Which reader each staged file needs, and which files travel together (NIfTI + BIDS sidecar,
 * NIfTI/Analyze .hdr + .img, Inveon .img + .img.hdr, Interfile header + data file). DICOM files are
 * recognised by the Part-10 "DICM" magic only; they are grouped by their UIDs later (dicom-import.ts).
 * Everything else is skipped with a reason.
 */
import { closeSync, openSync, readFileSync, readSync } from "node:fs";
import { posix } from "node:path";
import type { StudyFormat } from "../../io/types.js";

export interface FileGroup {
  readonly format: Exclude<StudyFormat, "dicom">;
  /** Relative name the reader is pointed at. */
  readonly main: string;
  /** Every relative name of the series (main first). */
  readonly files: readonly string[];
}

export interface Classified {
  readonly dicom: string[];
  readonly groups: FileGroup[];
  readonly skipped: { name: string; reason: string }[];
}

function head(path: string, n: number): Uint8Array {
  const fd = openSync(path, "r");
  try {
    const buf = new Uint8Array(n);
    return buf.subarray(0, readSync(fd, buf, 0, n, 0));
  } finally {
    closeSync(fd);
  }
}

function looksLikeText(bytes: Uint8Array): boolean {
  if (bytes.length === 0) return false;
  let printable = 0;
  for (const b of bytes) if (b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127)) printable++;
  return printable / bytes.length > 0.95;
}

function isDicom(path: string): boolean {
  const h = head(path, 132);
  return h.length === 132 && h[128] === 0x44 && h[129] === 0x49 && h[130] === 0x43 && h[131] === 0x4d;
}

/** The data file an Interfile header names (relative to the header), or null. */
function interfileDataName(headerPath: string, headerName: string): string | null {
  const text = readFileSync(headerPath, "latin1").slice(0, 1 << 20);
  const m = /^\s*!?\s*name of data file\s*:=\s*(.+?)\s*$/im.exec(text);
  if (!m) return null;
  return posix.normalize(posix.join(posix.dirname(headerName), m[1]!.replace(/\\/g, "/")));
}

/**
 * Sort the staged files (`names` relative to `root`; `abs(name)` gives the path) into DICOM files,
 * series groups of the other formats, and skipped files.
 */
export function classifyFiles(names: readonly string[], abs: (name: string) => string): Classified {
  const byLower = new Map(names.map((n) => [n.toLowerCase(), n]));
  const has = (n: string) => byLower.get(n.toLowerCase()) ?? null;
  const used = new Set<string>();
  const dicom: string[] = [];
  const groups: FileGroup[] = [];
  const skipped: { name: string; reason: string }[] = [];
  const group = (format: FileGroup["format"], main: string, extra: (string | null)[]) => {
    const files = [main, ...extra.filter((x): x is string => x !== null && x !== main)];
    for (const f of files) used.add(f);
    groups.push({ format, main, files });
  };
  // Headers first, so their data files are claimed before the leftovers are judged.
  for (const n of names) {
    const l = n.toLowerCase();
    if (l.endsWith(".nii") || l.endsWith(".nii.gz")) {
      group("nifti", n, [has(n.replace(/\.nii(\.gz)?$/i, ".json"))]);
    } else if (l.endsWith(".hv") || l.endsWith(".h33")) {
      group(
        "interfile",
        n,
        [interfileDataName(abs(n), n)].map((d) => (d === null ? null : has(d))),
      );
    } else if (l.endsWith(".img.hdr")) {
      group("inveon", n, [has(n.slice(0, -4))]);
    } else if (l.endsWith(".hdr") || l.endsWith(".hdr.gz")) {
      const stem = n.replace(/\.hdr(\.gz)?$/i, "");
      const img = has(`${stem}.img`) ?? has(`${stem}.img.gz`);
      const text = !l.endsWith(".gz") && looksLikeText(head(abs(n), 512));
      group(text ? "inveon" : "nifti", n, [img]);
    }
  }
  for (const n of names) {
    if (used.has(n)) continue;
    const l = n.toLowerCase();
    const base = posix.basename(l);
    if (isDicom(abs(n))) dicom.push(n);
    else if (base === "dicomdir") skipped.push({ name: n, reason: "DICOMDIR index (not an image)" });
    else if (l.endsWith(".img") || l.endsWith(".img.gz"))
      skipped.push({ name: n, reason: "image data without its header (.hdr / .img.hdr)" });
    else if (l.endsWith(".zip")) skipped.push({ name: n, reason: "zip inside a zip is not unpacked" });
    else if (l.endsWith(".json"))
      skipped.push({ name: n, reason: "JSON file without a NIfTI image of the same name" });
    else if (l.endsWith(".dcm") || l.endsWith(".ima"))
      skipped.push({
        name: n,
        reason: "no DICOM Part-10 'DICM' magic (not a DICOM file, or a raw data set)",
      });
    else skipped.push({ name: n, reason: "not an image file (unrecognised format)" });
  }
  return { dicom, groups, skipped };
}
