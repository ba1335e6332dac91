/**
 * Shape check of a batch-record JSON document before anything is computed from it. A batch record
 * is a release document: a missing lot, an activity written as a bare number (400 → 400 Bq, not
 * MBq) or a release time that is not a time must stop the record with a message naming the JSON
 * path, never produce a record with an RCY of 88 000 000 % or crash the renderer.
 *
 * All problems are collected and reported in one AtsmError (zod-style issue list).
 */
import { AtsmError } from "../../core/errors.js";
import { parseIsoTimeMs } from "../../core/units.js";

type Json = Record<string, unknown>;

const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** Validate the parsed batch JSON; throws one AtsmError listing every issue. */
export function validateBatchInput(raw: unknown, file?: string): void {
  const issues: string[] = [];
  const str = (o: Json, key: string, path: string, required = true): void => {
    const v = o[key];
    if (v === undefined || v === null) {
      if (required) issues.push(`${path} is missing`);
    } else if (typeof v !== "string" || v.trim() === "") issues.push(`${path} must be a non-empty string`);
  };
  const time = (o: Json, key: string, path: string, required = true): void => {
    const v = o[key];
    if (v === undefined || v === null) {
      if (required) issues.push(`${path} is missing`);
      return;
    }
    if (typeof v !== "string") {
      issues.push(`${path} must be an ISO-8601 time with a zone, e.g. "2025-03-01T09:30:00Z"`);
      return;
    }
    try {
      parseIsoTimeMs(v, path);
    } catch {
      issues.push(
        `${path} ${JSON.stringify(v)} is not an ISO-8601 time with a zone (e.g. 2025-03-01T09:30:00Z)`,
      );
    }
  };
  const num = (o: Json, key: string, path: string, required: boolean, min = 0): void => {
    const v = o[key];
    if (v === undefined || v === null) {
      if (required) issues.push(`${path} is missing`);
    } else if (typeof v !== "number" || !Number.isFinite(v) || v < min) {
      const bound = min === Number.MIN_VALUE ? "> 0" : min === Number.NEGATIVE_INFINITY ? "" : `≥ ${min}`;
      issues.push(
        `${path} must be a number ${bound} (JSON number, not a string): ${JSON.stringify(v)}`.replace(
          "  ",
          " ",
        ),
      );
    }
  };
  const arr = (o: Json, key: string, path: string, required = true): unknown[] => {
    const v = o[key];
    if (v === undefined || v === null) {
      if (required) issues.push(`${path} is missing (a JSON array)`);
      return [];
    }
    if (!Array.isArray(v)) {
      issues.push(`${path} must be a JSON array`);
      return [];
    }
    return v;
  };

  if (!isObj(raw)) {
    throw new AtsmError({
      code: "PARSE_ERROR",
      message: "batch file must hold one JSON object",
      ...(file !== undefined ? { file } : {}),
      hint: "see docs/radiolabel.md (and examples/radiolabel/batch.json) for the batch record fields",
    });
  }
  for (const k of ["product", "batchNumber", "specificationVersion", "operator"]) str(raw, k, k);
  str(raw, "nuclide", "nuclide", false);
  time(raw, "referenceTime", "referenceTime", false);
  arr(raw, "materials", "materials").forEach((m, i) => {
    const p = `materials[${i}]`;
    if (!isObj(m)) {
      issues.push(`${p} must be an object {name, lot, amount}`);
      return;
    }
    str(m, "name", `${p}.name`);
    str(m, "lot", `${p}.lot`);
    str(m, "amount", `${p}.amount`, false);
  });
  const acts = arr(raw, "activities", "activities");
  if (Array.isArray(raw.activities) && acts.length === 0) issues.push("activities is empty");
  acts.forEach((a, i) => {
    const p = `activities[${i}]`;
    if (!isObj(a)) {
      issues.push(`${p} must be an object {step, activity, time, volumeMl}`);
      return;
    }
    str(a, "step", `${p}.step`);
    if (
      typeof a.activity === "number" ||
      (typeof a.activity === "string" && /^\s*[-+\d.eE]+\s*$/.test(a.activity))
    ) {
      const v = String(a.activity).trim();
      issues.push(`${p}.activity is a bare number (${v}); write it with a unit, e.g. "${v}MBq"`);
    } else str(a, "activity", `${p}.activity`);
    time(a, "time", `${p}.time`);
    num(a, "volumeMl", `${p}.volumeMl`, false);
  });
  if (!isObj(raw.synthesis))
    issues.push("synthesis is missing (an object {startStep, productStep, ligandMassUg})");
  else {
    str(raw.synthesis, "startStep", "synthesis.startStep");
    str(raw.synthesis, "productStep", "synthesis.productStep");
    num(raw.synthesis, "ligandMassUg", "synthesis.ligandMassUg", true, Number.MIN_VALUE);
    str(raw.synthesis, "ligandFormula", "synthesis.ligandFormula", false);
  }
  if (!isObj(raw.qc)) issues.push("qc is missing (an object {trace, originMm, frontMm, productRange, ...})");
  else {
    const qc = raw.qc;
    str(qc, "trace", "qc.trace", false);
    num(qc, "originMm", "qc.originMm", false, Number.NEGATIVE_INFINITY);
    num(qc, "frontMm", "qc.frontMm", false, Number.NEGATIVE_INFINITY);
    num(qc, "releaseLimitPercent", "qc.releaseLimitPercent", false);
    const pr = qc.productRange;
    if (!Array.isArray(pr) || pr.length !== 2 || pr.some((v) => typeof v !== "number" || !Number.isFinite(v)))
      issues.push(
        `qc.productRange must be two numbers [low, high], e.g. [0.45, 0.75]: ${JSON.stringify(pr)}`,
      );
    arr(qc, "rois", "qc.rois", false).forEach((r, i) => {
      if (!Array.isArray(r) || r.length !== 2 || r.some((v) => typeof v !== "number" || !Number.isFinite(v)))
        issues.push(`qc.rois[${i}] must be two numbers [start, end]: ${JSON.stringify(r)}`);
    });
    arr(qc, "otherTests", "qc.otherTests", false).forEach((t, i) => {
      const p = `qc.otherTests[${i}]`;
      if (!isObj(t)) {
        issues.push(`${p} must be an object {test, method, result, acceptance, pass}`);
        return;
      }
      for (const k of ["test", "result", "acceptance"]) str(t, k, `${p}.${k}`);
      str(t, "method", `${p}.method`, false);
      if (typeof t.pass !== "boolean")
        issues.push(`${p}.pass must be true or false: ${JSON.stringify(t.pass)}`);
      if (t.stage !== undefined && t.stage !== "pre-release" && t.stage !== "post-release")
        issues.push(`${p}.stage must be "pre-release" or "post-release": ${JSON.stringify(t.stage)}`);
    });
  }
  if (raw.release !== undefined && raw.release !== null) {
    if (!isObj(raw.release)) issues.push("release must be an object {decidedBy, time, comment}");
    else {
      str(raw.release, "decidedBy", "release.decidedBy");
      time(raw.release, "time", "release.time");
      str(raw.release, "comment", "release.comment", false);
    }
  }
  if (issues.length > 0) {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: `batch record has ${issues.length} problem(s): ${issues.join("; ")}`,
      ...(file !== undefined ? { file } : {}),
      hint: "fix the batch JSON; see docs/radiolabel.md (and examples/radiolabel/batch.json) for the fields",
    });
  }
}
