/** Build multipart/related bodies for the DICOMweb tests. */

export interface TestPart {
  readonly headers?: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
}

/** RFC 2046 body: optional preamble, CRLF-delimited parts, closing delimiter, optional epilogue. */
export function multipartBody(
  parts: readonly TestPart[],
  boundary: string,
  opts: { preamble?: string; epilogue?: string; close?: boolean } = {},
): Uint8Array {
  const chunks: Buffer[] = [];
  if (opts.preamble !== undefined) chunks.push(Buffer.from(`${opts.preamble}\r\n`, "latin1"));
  parts.forEach((p, i) => {
    const head = Object.entries(p.headers ?? { "Content-Type": "application/dicom" })
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join("");
    chunks.push(Buffer.from(`${i === 0 ? "" : "\r\n"}--${boundary}\r\n${head}\r\n`, "latin1"));
    chunks.push(Buffer.from(p.body));
  });
  if (opts.close !== false) chunks.push(Buffer.from(`\r\n--${boundary}--`, "latin1"));
  if (opts.epilogue !== undefined) chunks.push(Buffer.from(`\r\n${opts.epilogue}`, "latin1"));
  return new Uint8Array(Buffer.concat(chunks));
}

/** A fake Part-10 file: 128-byte preamble, "DICM", then `n` payload bytes derived from `seed`. */
export function fakeDicom(n: number, seed: number): Uint8Array {
  const b = Buffer.alloc(132 + n);
  b.write("DICM", 128, "latin1");
  for (let i = 0; i < n; i++) b[132 + i] = (seed * 31 + i * 7) & 0xff;
  return new Uint8Array(b);
}
