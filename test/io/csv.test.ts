/** The shared lab CSV reader: delimiters, BOM, quoting, decimal commas, named errors, fuzz. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeText, detectDelimiter, parseCsv } from "../../src/io/csv.js";
import { expectAtsmError } from "../helpers/errors.js";

describe("parseCsv", () => {
  it("reads comma, semicolon and tab files with the same result", () => {
    for (const d of [",", ";", "\t"]) {
      const t = parseCsv(["well", "counts"].join(d) + "\n" + ["A1", "12.5"].join(d) + "\n", {
        file: "x.csv",
      });
      expect(t.delimiter).toBe(d);
      expect(t.number(t.rows[0]!, t.column("counts"))).toBe(12.5);
    }
  });
  it("strips a UTF-8 BOM and decodes UTF-16 LE with BOM", () => {
    const t = parseCsv("\uFEFFwell,absorbance\nA1,0.5\n");
    expect(t.header[0]).toBe("well");
    const utf16 = new Uint8Array([0xff, 0xfe, ...[..."a,b\n"].flatMap((c) => [c.charCodeAt(0), 0])]);
    expect(decodeText(utf16)).toBe("a,b\n");
    expect(decodeText(new Uint8Array([0x54, 0x65, 0x6d, 0x70, 0xa1, 0x43]))).toBe("Temp¡C"); // Latin-1 fallback
  });
  it("handles quoted fields with delimiters, doubled quotes, newlines and CRLF", () => {
    const t = parseCsv('a,b,c\r\n"x, y","say ""hi""","two\nlines"\r\n4,5,6\r\n');
    expect(t.rows[0]!.cells).toEqual(["x, y", 'say "hi"', "two\nlines"]);
    expect(t.rows[1]!.line).toBe(4); // the quoted newline moves the next record to line 4
  });
  it("skips blank and all-empty spreadsheet rows", () => {
    const t = parseCsv("a,b\n\n1,2\n,,\n3,4\n");
    expect(t.rows.map((r) => r.line)).toEqual([3, 5]);
  });
  it("rejects a decimal comma with a hint, and reads it with decimalComma", () => {
    const text = "well;counts\nA1;1234,5\n";
    const e = expectAtsmError(
      () => {
        const t = parseCsv(text, { file: "c.csv" });
        t.number(t.rows[0]!, t.column("counts"));
      },
      {
        code: "PARSE_ERROR",
        message: /decimal comma.*"1234,5".*c\.csv, row 2, field counts/,
        hint: /--decimal-comma/,
      },
    );
    expect(e.row).toBe(2);
    const t = parseCsv(text, { decimalComma: true });
    expect(t.number(t.rows[0]!, 1)).toBe(1234.5);
  });
  it("decimal comma in a comma file: too many fields, hint names the decimal comma", () => {
    expectAtsmError(() => parseCsv("well,counts,countTimeS\nA1,12,5,60\n", { file: "c.csv" }), {
      code: "PARSE_ERROR",
      message: /row has 4 fields but the header has 3.*row 2/,
      hint: /decimal comma/,
    });
    // --decimal-comma describes the run's ;/tab files: a comma file (the layout) keeps its decimal point.
    const t = parseCsv("a,b\n1.5,2\n", { decimalComma: true });
    expect(t.decimalComma).toBe(false);
    expect(t.number(t.rows[0]!, 0)).toBe(1.5);
  });
  it("non-numeric cell: error names file, row, column and value; never NaN", () => {
    const t = parseCsv("well,counts\nA1,12\nA2,n/a\n", { file: "counts.csv" });
    expectAtsmError(() => t.number(t.rows[1]!, t.column("counts")), {
      code: "PARSE_ERROR",
      message: /not a number in column counts: "n\/a" \(counts\.csv, row 3, field counts\)/,
    });
    expect(t.optionalNumber(t.rows[0]!, 1)).toBe(12);
  });
  it("wrong delimiter: the missing-column error lists what was found", () => {
    const t = parseCsv("well|counts\nA1|3\n", { file: "c.csv" });
    expectAtsmError(() => t.column("counts"), { code: "MISSING_INPUT", hint: /found: "well\|counts"/ });
  });
  it("unterminated quote and stray text after a quote are parse errors with the line", () => {
    expectAtsmError(() => parseCsv('a,b\n"x,1\n'), { code: "PARSE_ERROR", message: /unterminated.*row 2/ });
    expectAtsmError(() => parseCsv('a,b\n"x"y,1\n'), {
      code: "PARSE_ERROR",
      message: /after a closing quote/,
    });
  });
  it("caps rows", () => {
    expectAtsmError(() => parseCsv("a\n1\n2\n3\n", { maxRows: 1 }), { code: "LIMIT_EXCEEDED" });
  });
  it("detectDelimiter ignores delimiters inside quotes", () => {
    expect(detectDelimiter('"a,b,c";d;e\n')).toBe(";");
  });
});

describe("parseCsv fuzz (fast-check, 300 runs)", () => {
  const cell = fc.string({ maxLength: 12 });
  it("never throws anything but AtsmError on arbitrary text", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        try {
          const t = parseCsv(s);
          for (const r of t.rows) for (let c = 0; c < t.header.length; c++) t.optionalNumber(r, c);
        } catch (e) {
          expect((e as Error).name).toBe("AtsmError");
        }
      }),
      { numRuns: 300, seed: 5 },
    );
  });
  it("round-trips any table written with RFC 4180 quoting", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(",", ";", "\t"),
        fc.array(fc.array(cell, { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 6 }),
        (d, rows) => {
          const quote = (v: string) => `"${v.replace(/"/g, '""')}"`;
          const text = [`h1${d}h2`, ...rows.map((r) => r.map(quote).join(d))].join("\r\n");
          const t = parseCsv(text, { delimiter: d as "," | ";" | "\t" });
          const nonEmpty = rows.filter((r) => r.some((v) => v.trim() !== ""));
          expect(t.rows.map((r) => r.cells)).toEqual(nonEmpty);
        },
      ),
      { numRuns: 300, seed: 7 },
    );
  });
  it("every finite number written with toString parses back exactly", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (v) => {
        const t = parseCsv(`x\n${v}\n`);
        expect(t.number(t.rows[0]!, 0)).toBe(v === 0 ? 0 : v);
      }),
      { numRuns: 300, seed: 9 },
    );
  });
});
