/**
 * A tiny 5×7 bitmap font (public-domain style glyphs drawn for this project) for axis labels on
 * rasterised plots and images. Lower-case letters are drawn as upper case. Unknown characters
 * draw as a hollow box.
 */
import { fillRect, type Rgb, type RgbaImage } from "./rgba.js";

/** Glyph cell: 5 columns × 7 rows, plus 1 column of spacing. */
export const GLYPH_W = 5;
export const GLYPH_H = 7;

// Each glyph: 7 rows of 5 characters, "#" = ink.
const G: Record<string, string> = {
  " ": ".....|.....|.....|.....|.....|.....|.....",
  "0": ".###.|#...#|#..##|#.#.#|##..#|#...#|.###.",
  "1": "..#..|.##..|..#..|..#..|..#..|..#..|.###.",
  "2": ".###.|#...#|....#|...#.|..#..|.#...|#####",
  "3": "####.|....#|....#|.###.|....#|....#|####.",
  "4": "...#.|..##.|.#.#.|#..#.|#####|...#.|...#.",
  "5": "#####|#....|####.|....#|....#|#...#|.###.",
  "6": "..##.|.#...|#....|####.|#...#|#...#|.###.",
  "7": "#####|....#|...#.|..#..|.#...|.#...|.#...",
  "8": ".###.|#...#|#...#|.###.|#...#|#...#|.###.",
  "9": ".###.|#...#|#...#|.####|....#|...#.|.##..",
  A: ".###.|#...#|#...#|#####|#...#|#...#|#...#",
  B: "####.|#...#|#...#|####.|#...#|#...#|####.",
  C: ".###.|#...#|#....|#....|#....|#...#|.###.",
  D: "####.|#...#|#...#|#...#|#...#|#...#|####.",
  E: "#####|#....|#....|####.|#....|#....|#####",
  F: "#####|#....|#....|####.|#....|#....|#....",
  G: ".###.|#...#|#....|#.###|#...#|#...#|.####",
  H: "#...#|#...#|#...#|#####|#...#|#...#|#...#",
  I: ".###.|..#..|..#..|..#..|..#..|..#..|.###.",
  J: "..###|...#.|...#.|...#.|...#.|#..#.|.##..",
  K: "#...#|#..#.|#.#..|##...|#.#..|#..#.|#...#",
  L: "#....|#....|#....|#....|#....|#....|#####",
  M: "#...#|##.##|#.#.#|#.#.#|#...#|#...#|#...#",
  N: "#...#|#...#|##..#|#.#.#|#..##|#...#|#...#",
  O: ".###.|#...#|#...#|#...#|#...#|#...#|.###.",
  P: "####.|#...#|#...#|####.|#....|#....|#....",
  Q: ".###.|#...#|#...#|#...#|#.#.#|#..#.|.##.#",
  R: "####.|#...#|#...#|####.|#.#..|#..#.|#...#",
  S: ".####|#....|#....|.###.|....#|....#|####.",
  T: "#####|..#..|..#..|..#..|..#..|..#..|..#..",
  U: "#...#|#...#|#...#|#...#|#...#|#...#|.###.",
  V: "#...#|#...#|#...#|#...#|#...#|.#.#.|..#..",
  W: "#...#|#...#|#...#|#.#.#|#.#.#|#.#.#|.#.#.",
  X: "#...#|#...#|.#.#.|..#..|.#.#.|#...#|#...#",
  Y: "#...#|#...#|.#.#.|..#..|..#..|..#..|..#..",
  Z: "#####|....#|...#.|..#..|.#...|#....|#####",
  ".": ".....|.....|.....|.....|.....|.##..|.##..",
  ",": ".....|.....|.....|.....|.##..|..#..|.#...",
  ":": ".....|.##..|.##..|.....|.##..|.##..|.....",
  "-": ".....|.....|.....|#####|.....|.....|.....",
  "+": ".....|..#..|..#..|#####|..#..|..#..|.....",
  "/": "....#|....#|...#.|..#..|.#...|#....|#....",
  "%": "##..#|##..#|...#.|..#..|.#...|#..##|#..##",
  "(": "...#.|..#..|.#...|.#...|.#...|..#..|...#.",
  ")": ".#...|..#..|...#.|...#.|...#.|..#..|.#...",
  "=": ".....|.....|#####|.....|#####|.....|.....",
  "<": "...#.|..#..|.#...|#....|.#...|..#..|...#.",
  ">": ".#...|..#..|...#.|....#|...#.|..#..|.#...",
  _: ".....|.....|.....|.....|.....|.....|#####",
  "'": "..#..|..#..|.#...|.....|.....|.....|.....",
  "°": ".##..|#..#.|.##..|.....|.....|.....|.....",
  "³": "###..|..#..|.##..|..#..|###..|.....|.....",
  "×": ".....|#...#|.#.#.|..#..|.#.#.|#...#|.....",
  "[": ".###.|.#...|.#...|.#...|.#...|.#...|.###.",
  "]": ".###.|...#.|...#.|...#.|...#.|...#.|.###.",
  "#": ".#.#.|.#.#.|#####|.#.#.|#####|.#.#.|.#.#.",
  "?": ".###.|#...#|....#|...#.|..#..|.....|..#..",
  "!": "..#..|..#..|..#..|..#..|..#..|.....|..#..",
  "≥": ".#...|..#..|...#.|..#..|.#...|.....|#####",
  µ: ".....|#...#|#...#|#...#|##.##|#.#..|#....",
};
const UNKNOWN = "#####|#...#|#...#|#...#|#...#|#...#|#####";

const bitmaps = new Map<string, Uint8Array>();
function glyph(ch: string): Uint8Array {
  const key = G[ch] !== undefined ? ch : ch.toUpperCase();
  let bm = bitmaps.get(key);
  if (bm === undefined) {
    const rows = (G[key] ?? UNKNOWN).split("|");
    bm = new Uint8Array(GLYPH_W * GLYPH_H);
    for (let r = 0; r < GLYPH_H; r++)
      for (let c = 0; c < GLYPH_W; c++) bm[r * GLYPH_W + c] = rows[r]?.[c] === "#" ? 1 : 0;
    bitmaps.set(key, bm);
  }
  return bm;
}

/** Width in pixels of `text` drawn at integer `scale`. */
export function textWidth(text: string, scale = 1): number {
  const n = [...text].length;
  return n === 0 ? 0 : (n * (GLYPH_W + 1) - 1) * scale;
}

/** Height in pixels of one text line at `scale`. */
export function textHeight(scale = 1): number {
  return GLYPH_H * scale;
}

export interface TextOptions {
  readonly scale?: number;
  readonly color?: Rgb;
  /** Horizontal anchor of (x, y): left (default), centre or right edge of the text. */
  readonly align?: "left" | "center" | "right";
  /** Draw rotated 90° counter-clockwise (reading bottom to top), anchored at its centre. */
  readonly vertical?: boolean;
  /** Background box colour (drawn 1 px around the text). */
  readonly background?: Rgb;
}

/** Draw `text` with its top-left (or anchor, see `align`) at (x, y). */
export function drawText(img: RgbaImage, x: number, y: number, text: string, opts: TextOptions = {}): void {
  const s = Math.max(1, Math.round(opts.scale ?? 1));
  const color = opts.color ?? [255, 255, 255];
  const w = textWidth(text, s);
  const h = textHeight(s);
  if (opts.vertical === true) {
    // rotated CCW: text runs upwards; (x, y) is the centre of the text block.
    const x0 = Math.round(x - h / 2);
    const y0 = Math.round(y + w / 2);
    if (opts.background) fillRect(img, x0 - s, y0 - w - s, h + 2 * s, w + 2 * s, opts.background);
    let cx = 0;
    for (const ch of text) {
      const bm = glyph(ch);
      for (let r = 0; r < GLYPH_H; r++)
        for (let c = 0; c < GLYPH_W; c++)
          if (bm[r * GLYPH_W + c]) fillRect(img, x0 + r * s, y0 - (cx + c + 1) * s, s, s, color);
      cx += GLYPH_W + 1;
    }
    return;
  }
  const x0 = Math.round(opts.align === "center" ? x - w / 2 : opts.align === "right" ? x - w : x);
  const y0 = Math.round(y);
  if (opts.background) fillRect(img, x0 - s, y0 - s, w + 2 * s, h + 2 * s, opts.background);
  let cx = x0;
  for (const ch of text) {
    const bm = glyph(ch);
    for (let r = 0; r < GLYPH_H; r++)
      for (let c = 0; c < GLYPH_W; c++)
        if (bm[r * GLYPH_W + c]) fillRect(img, cx + c * s, y0 + r * s, s, s, color);
    cx += (GLYPH_W + 1) * s;
  }
}
