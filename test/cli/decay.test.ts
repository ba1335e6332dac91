import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";
import { expectClose } from "../helpers/close.js";

describe("atsm decay", () => {
  it("issue 2 example: 185 MBq Cu-64, 08:00 → 20:42 = exactly one half-life (12.7 h, ICRP-107)", async () => {
    const r = await cli([
      "decay",
      "--nuclide",
      "Cu-64",
      "--activity",
      "185MBq",
      "--at",
      "2025-03-01T08:00:00Z",
      "--to",
      "2025-03-01T20:42:00Z",
      "--json",
    ]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.nuclide).toBe("Cu-64");
    expect(j.elapsedS).toBe(45720);
    expectClose(j.decayFactor, 0.5, { rel: 1e-15 }, "decayFactor");
    expectClose(j.activityBq, 92.5e6, { rel: 1e-14 }, "activityBq");
    expectClose(j.activityMBq, 92.5, { rel: 1e-14 }, "activityMBq");
    expectClose(j.activityMCi, 2.5, { rel: 1e-14 }, "activityMCi (92.5/37)");
    expect(j.halfLifeS).toBe(45720);
  });

  it("--to before --at decays backwards (factor 2)", async () => {
    const r = await cli([
      "decay",
      "--nuclide",
      "64Cu",
      "--activity",
      "5mCi",
      "--at",
      "2025-03-01T20:42:00Z",
      "--to",
      "2025-03-01T08:00:00Z",
      "--json",
    ]);
    const j = JSON.parse(r.stdout);
    expect(j.elapsedS).toBe(-45720);
    expectClose(j.decayFactor, 2, { rel: 1e-15 }, "factor");
    expectClose(j.activityBq, 370e6, { rel: 1e-14 }, "2 × 185 MBq");
  });

  it("--elapsed and human-readable output", async () => {
    const r = await cli([
      "decay",
      "--nuclide",
      "F-18",
      "--activity",
      "370MBq",
      "--at",
      "2025-03-01T08:00:00+01:00",
      "--elapsed",
      "109.77m",
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/F-18/);
    expect(r.stdout).toMatch(/185 MBq/);
    expect(r.stdout).toMatch(/decay factor 0\.5/);
  });

  it("--help", async () => {
    const r = await cli(["decay", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--nuclide/);
  });

  it("bad nuclide, activity, time → exit 2 with the accepted values", async () => {
    const base = [
      "decay",
      "--activity",
      "185MBq",
      "--at",
      "2025-03-01T08:00:00Z",
      "--to",
      "2025-03-01T09:00:00Z",
    ];
    let r = await cli([...base, "--nuclide", "Tc-99m"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown nuclide.*Tc-99m/);
    expect(r.stderr).toMatch(/hint: accepted nuclides: .*Cu-64/);
    r = await cli([
      "decay",
      "--nuclide",
      "Cu-64",
      "--activity",
      "185 MBqq",
      "--at",
      "2025-03-01T08:00:00Z",
      "--to",
      "2025-03-01T09:00:00Z",
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--activity/);
    expect(r.stderr).toMatch(/MBq, GBq/);
    r = await cli([
      "decay",
      "--nuclide",
      "Cu-64",
      "--activity",
      "185MBq",
      "--at",
      "2025-03-01 08:00",
      "--to",
      "2025-03-01T09:00:00Z",
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--at/);
    expect(r.stderr).toMatch(/2025-03-01T08:00:00Z/);
    r = await cli(["decay", "--nuclide", "Cu-64", "--activity", "185MBq", "--at", "2025-03-01T08:00:00Z"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--to.*--elapsed/);
    r = await cli(["decay", "--activity", "185MBq"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/missing --nuclide/);
    r = await cli(["decay", "--bogus"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--nuclide/);
  });
});
