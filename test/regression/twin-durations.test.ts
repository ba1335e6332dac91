/**
 * Regression from the `atsm twin` user test: `--times 20,90` was read as 20 s and 90 s (core/units
 * treats a bare number as seconds) and printed T/M at "0.3333 min" without a word, when a
 * biologist means minutes. The twin commands now require a unit; tables print whole minutes
 * ("15", not "15.00").
 */
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

describe("twin: times need units", () => {
  it("xenograft --times 20,90 is exit 2 with a minutes hint", async () => {
    const r = await cli(["twin", "xenograft", "--model", "FaDu", "--times", "20,90"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--times needs a unit on every time: "20", "90"/);
    expect(r.stderr).toMatch(/hint: write e\.g\. 20m,90m/);
  });
  it("cell --time 180 and --washout 30 are refused too", async () => {
    expect((await cli(["twin", "cell", "--line", "MCF-7", "--time", "180"])).code).toBe(2);
    expect((await cli(["twin", "cell", "--line", "MCF-7", "--washout", "30"])).code).toBe(2);
  });
  it("tables print minutes without spurious decimals", async () => {
    const r = await cli(["twin", "xenograft", "--model", "FaDu", "--times", "20m,90m,18h"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ +20 min +4\.00/m);
    expect(r.stdout).toMatch(/^ +1080 min/m);
    expect(r.stdout).not.toMatch(/20\.00 min/);
  });
});
