import { describe, expect, it } from "vitest";
import { COMMANDS } from "../../src/cli/main.js";
import { cli } from "../helpers/cli.js";

describe("atsm CLI shell", () => {
  it("lists every command in --help", async () => {
    const r = await cli(["--help"]);
    expect(r.code).toBe(0);
    for (const name of Object.keys(COMMANDS)) expect(r.stdout).toContain(name);
  });
  it("rejects an unknown command with the list of known ones", async () => {
    const r = await cli(["quantifyy"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command "quantifyy"/);
    expect(r.stderr).toMatch(/quantify/);
  });
  it("every command answers --help with exit 0 and a usage text", async () => {
    for (const name of Object.keys(COMMANDS)) {
      const r = await cli([name, "--help"]);
      expect(r.code, `${name} --help: ${r.stderr}`).toBe(0);
      expect(r.stdout.length, name).toBeGreaterThan(20);
    }
  });
});
