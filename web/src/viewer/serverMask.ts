/**
 * VOIs the client cannot rasterise (stored brush masks `mask:blob:…`, specs built on them, T/M
 * levels): fetched from the server already rasterised on the PET grid
 * (GET /api/vois/:vid/mask.nii.gz, a gzipped NIfTI-1 uint8 label map with the PET viewer volume's
 * geometry, so its voxel order is the PET grid's).
 */
import { fetchBytes } from "../api.js";
import type { Grid } from "./geometry.js";

async function gunzip(bytes: ArrayBuffer): Promise<ArrayBuffer> {
  const head = new Uint8Array(bytes, 0, Math.min(2, bytes.byteLength));
  if (head[0] !== 0x1f || head[1] !== 0x8b) return bytes;
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Response(stream).arrayBuffer();
}

/** Decode a NIfTI-1 uint8 label map on `grid` into a 0/1 mask; throws when the grid differs. */
export function decodeLabelMap(raw: ArrayBuffer, grid: Grid): Uint8Array {
  const view = new DataView(raw);
  if (raw.byteLength < 352 || view.getInt32(0, true) !== 348) throw new Error("VOI mask: not a NIfTI-1 file");
  const dims = [view.getInt16(42, true), view.getInt16(44, true), view.getInt16(46, true)];
  if (dims.some((d, a) => d !== grid.dims[a])) {
    throw new Error(`VOI mask grid ${dims.join("×")} is not the PET grid ${grid.dims.join("×")}`);
  }
  if (view.getInt16(70, true) !== 2) throw new Error("VOI mask: expected a uint8 label map");
  const offset = Math.round(view.getFloat32(108, true));
  const n = dims[0]! * dims[1]! * dims[2]!;
  if (offset + n > raw.byteLength) throw new Error("VOI mask: truncated");
  const src = new Uint8Array(raw, offset, n);
  const out = new Uint8Array(n);
  for (let p = 0; p < n; p++) out[p] = src[p]! !== 0 ? 1 : 0;
  return out;
}

/** The VOI's mask on the PET grid, rasterised by the server. */
export async function fetchServerMask(voiId: string, grid: Grid): Promise<Uint8Array> {
  const { bytes } = await fetchBytes(`/api/vois/${encodeURIComponent(voiId)}/mask.nii.gz`);
  return decodeLabelMap(await gunzip(bytes), grid);
}
