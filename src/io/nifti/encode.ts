/**
 * NIfTI-1 single-file encoder (`n+1`, little endian, nifti1.h layout).
 *
 * Images are float32 (datatype 16) with scl_slope 1, scl_inter 0; label maps are uint8
 * (datatype 2). Both sform and qform are set with code 1 (NIFTI_XFORM_SCANNER_ANAT) from our LPS
 * grid converted to RAS; xyzt_units = 10 (mm + s). The exact float64 affine is also stored in a
 * comment extension (extension.ts) so our own reader round-trips geometry without float32
 * rounding.
 */
import type { DynamicVolume, Grid, Mask, Volume } from "../../core/types.js";
import { gridToQform, gridToRasAffine } from "./affine.js";
import { encodeAtsmExtension } from "./extension.js";

export interface EncodeOptions {
  /** Free text for the 80-byte `descrip` field (truncated, non-ASCII replaced by "?"). */
  readonly description?: string;
  /** Modality to remember in our extension ("PT", "CT", ...). */
  readonly modality?: string;
}

function isDynamic(v: Volume | DynamicVolume): v is DynamicVolume {
  return "frameStartS" in v;
}

/** Encode a volume (3-D) or dynamic volume (4-D) as NIfTI-1 float32 bytes. */
export function encodeNifti(vol: Volume | DynamicVolume, opts: EncodeOptions = {}): Uint8Array {
  const n3 = vol.dims[0] * vol.dims[1] * vol.dims[2];
  const nt = isDynamic(vol) ? Math.max(1, Math.round(vol.data.length / n3)) : 1;
  let pixdim4 = 0;
  if (isDynamic(vol) && vol.frameDurationS.length > 0) {
    const d0 = vol.frameDurationS[0]!;
    if (vol.frameDurationS.every((d) => d === d0)) pixdim4 = d0;
  }
  const data = vol.data.subarray(0, n3 * nt);
  return encode(vol, data, {
    datatype: 16,
    bitpix: 32,
    nt,
    pixdim4,
    unit: vol.unit,
    description: opts.description ?? "",
    modality: opts.modality ?? null,
  });
}

/** Encode a label mask as a NIfTI-1 uint8 label map on the mask's grid. */
export function encodeNiftiLabelMap(mask: Mask, description = "label map"): Uint8Array {
  return encode(mask, mask.data, {
    datatype: 2,
    bitpix: 8,
    nt: 1,
    pixdim4: 0,
    unit: "label",
    description,
    modality: "SEG",
  });
}

interface RawOpts {
  readonly datatype: 2 | 16;
  readonly bitpix: 8 | 32;
  readonly nt: number;
  readonly pixdim4: number;
  readonly unit: string;
  readonly description: string;
  readonly modality: string | null;
}

function encode(grid: Grid, data: Float32Array | Uint8Array, o: RawOpts): Uint8Array {
  const ras = gridToRasAffine(grid);
  const q = gridToQform(grid);
  const ext = encodeAtsmExtension(ras, o.unit, o.modality);
  const voxOffset = 352 + ext.length;
  const dataBytes = data.length * (o.bitpix / 8);
  const out = new Uint8Array(voxOffset + dataBytes);
  const v = new DataView(out.buffer);
  v.setInt32(0, 348, true); // sizeof_hdr
  out[38] = "r".charCodeAt(0); // regular
  const dim = [o.nt > 1 ? 4 : 3, grid.dims[0], grid.dims[1], grid.dims[2], o.nt, 1, 1, 1];
  for (let i = 0; i < 8; i++) v.setInt16(40 + 2 * i, dim[i]!, true);
  v.setInt16(70, o.datatype, true);
  v.setInt16(72, o.bitpix, true);
  const pixdim = [q.qfac, grid.spacingMm[0], grid.spacingMm[1], grid.spacingMm[2], o.pixdim4, 0, 0, 0];
  for (let i = 0; i < 8; i++) v.setFloat32(76 + 4 * i, pixdim[i]!, true);
  v.setFloat32(108, voxOffset, true); // vox_offset
  v.setFloat32(112, 1, true); // scl_slope
  v.setFloat32(116, 0, true); // scl_inter
  out[123] = 2 | 8; // xyzt_units: NIFTI_UNITS_MM | NIFTI_UNITS_SEC
  writeAscii(out, 148, 80, o.description);
  v.setInt16(252, 1, true); // qform_code: scanner anat
  v.setInt16(254, 1, true); // sform_code: scanner anat
  for (let i = 0; i < 3; i++) {
    v.setFloat32(256 + 4 * i, q.quatern[i]!, true);
    v.setFloat32(268 + 4 * i, q.qoffset[i]!, true);
  }
  for (let i = 0; i < 12; i++) v.setFloat32(280 + 4 * i, ras[i]!, true);
  writeAscii(out, 344, 4, "n+1");
  out[348] = 1; // extension present
  out.set(ext, 352);
  if (o.datatype === 2) {
    out.set(data as Uint8Array, voxOffset);
  } else {
    const f = data as Float32Array;
    const hostLe = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
    if (hostLe) out.set(new Uint8Array(f.buffer, f.byteOffset, f.byteLength), voxOffset);
    else for (let i = 0; i < f.length; i++) v.setFloat32(voxOffset + 4 * i, f[i]!, true);
  }
  return out;
}

function writeAscii(out: Uint8Array, offset: number, maxLen: number, text: string): void {
  const n = Math.min(text.length, maxLen - 1);
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    out[offset + i] = c >= 32 && c < 127 ? c : 63; // "?"
  }
}
