/**
 * Metrics and results: POST /api/studies/:id/metrics (live, not stored), GET/POST
 * /api/studies/:id/results, GET /api/results/:rid, GET /api/results/:rid/export/:format.
 * A stored result keeps its exact inputs (VOI ids and specs, cutoff, window, series ids and every
 * file's sha256) and the software version, so it can be reproduced and audited.
 */
import type { FastifyInstance } from "fastify";
import {
  EXPORT_FORMATS,
  type ExportFormat,
  exportResult,
  quantifyLoaded,
  recordResultInputs,
} from "../../app/library/index.js";
import { jsonSafe } from "../../app/quantify/flatten.js";
import { AtsmError } from "../../core/errors.js";
import { requireResult, requireStudy } from "../access.js";
import { audit } from "../audit.js";
import type { ServerDeps } from "../context.js";
import { idParams, obj, open, responses, UUID } from "../schemas.js";
import { resolveSpec } from "../voi-specs.js";

const SPEC = { type: "string", minLength: 1, maxLength: 4096 } as const;
const CUTOFF = {
  type: "string",
  minLength: 1,
  maxLength: 40,
  description: "cervix|rectum|nsclc|VALUE (T/M)",
} as const;
const WINDOW = {
  type: "string",
  minLength: 1,
  maxLength: 40,
  description: "frame window, e.g. 30-60min",
} as const;
const RESULT = open("ResultRow", {
  id: { type: "string" },
  studyId: { type: "string" },
  inputs: { type: "object" },
  result: { type: "object" },
  softwareVersion: { type: "string" },
});
/** Plain JSON (non-finite numbers → null), as stored in the database. */
function plainJson(v: unknown): Record<string, unknown> {
  return JSON.parse(JSON.stringify(v, jsonSafe)) as Record<string, unknown>;
}

export function registerResultRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const { store } = deps;

  app.post(
    "/api/studies/:id/metrics",
    {
      schema: {
        summary: "live metrics for VOI specs (not stored); SPEC = VOI grammar or voi:<voiId>",
        tags: ["results"],
        params: idParams("id"),
        body: obj({ tumour: SPEC, reference: SPEC, cutoff: CUTOFF, window: WINDOW }, ["tumour", "reference"]),
        response: responses({ 200: open("QuantifyResult (src/app/quantify/types.ts)") }),
      },
    },
    async (req) => {
      const { id } = req.params as { id: string };
      const b = req.body as { tumour: string; reference: string; cutoff?: string; window?: string };
      const { study } = await requireStudy(store, req, id, "viewer");
      const tumour = await resolveSpec(store, study, b.tumour, "tumour");
      const reference = await resolveSpec(store, study, b.reference, "reference");
      const loaded = await deps.cache.load(study);
      const result = quantifyLoaded(loaded, {
        tumour,
        reference,
        ...(b.cutoff !== undefined ? { cutoff: b.cutoff } : {}),
        ...(b.window !== undefined ? { window: b.window } : {}),
      });
      return plainJson(result);
    },
  );

  app.get(
    "/api/studies/:id/results",
    {
      schema: {
        summary: "stored results of a study",
        tags: ["results"],
        params: idParams("id"),
        response: responses({ 200: { type: "array", items: RESULT } }),
      },
    },
    async (req) => {
      const { id } = req.params as { id: string };
      await requireStudy(store, req, id, "viewer");
      return store.results.list(id);
    },
  );

  app.post(
    "/api/studies/:id/results",
    {
      schema: {
        summary: "compute and store a result from two stored VOIs (analysts)",
        tags: ["results"],
        params: idParams("id"),
        body: obj({ tumourVoiId: UUID, referenceVoiId: UUID, cutoff: CUTOFF, window: WINDOW }, [
          "tumourVoiId",
          "referenceVoiId",
        ]),
        response: responses({ 201: RESULT }),
      },
    },
    async (req, reply) => {
      const { id } = req.params as { id: string };
      const b = req.body as { tumourVoiId: string; referenceVoiId: string; cutoff?: string; window?: string };
      const a = await requireStudy(store, req, id, "analyst");
      const tumour = await resolveSpec(store, a.study, `voi:${b.tumourVoiId}`, "tumourVoiId");
      const reference = await resolveSpec(store, a.study, `voi:${b.referenceVoiId}`, "referenceVoiId");
      const loaded = await deps.cache.load(a.study);
      const quantify = {
        tumour,
        reference,
        ...(b.cutoff !== undefined ? { cutoff: b.cutoff } : {}),
        ...(b.window !== undefined ? { window: b.window } : {}),
      };
      const result = quantifyLoaded(loaded, quantify);
      const inputs = {
        ...recordResultInputs(loaded, quantify),
        tumourVoiId: b.tumourVoiId,
        referenceVoiId: b.referenceVoiId,
        petSeriesId: loaded.pet.row.id,
        ctSeriesId: loaded.ct?.row.id ?? null,
      };
      const row = await store.transaction(async (tx) => {
        const r = await tx.results.create({
          studyId: id,
          kind: "quantify",
          inputs: plainJson(inputs),
          result: plainJson(result),
          softwareVersion: deps.version,
          createdBy: a.user.id,
        });
        await audit(tx, a.user, {
          action: "create",
          entityType: "result",
          entityId: r.id,
          projectId: a.study.projectId,
          detail: {
            studyId: id,
            tumourVoiId: b.tumourVoiId,
            referenceVoiId: b.referenceVoiId,
            tmrMax: result.tmrMax,
          },
        });
        return r;
      });
      return reply.status(201).send(row);
    },
  );

  app.get(
    "/api/results/:rid",
    {
      schema: {
        summary: "one stored result",
        tags: ["results"],
        params: idParams("rid"),
        response: responses({ 200: RESULT }),
      },
    },
    async (req) => {
      const { rid } = req.params as { rid: string };
      return (await requireResult(store, req, rid, "viewer")).result;
    },
  );

  app.get(
    "/api/results/:rid/export/:format",
    {
      schema: {
        summary:
          "export a stored result: csv, json, seg.dcm (DICOM SEG, DICOM PET only), report.html, report.pdf",
        tags: ["results"],
        params: obj({ rid: UUID, format: { type: "string", enum: [...EXPORT_FORMATS] } }, ["rid", "format"]),
        produces: ["text/csv", "application/json", "application/dicom", "text/html", "application/pdf"],
        response: responses({ 200: { type: "string", format: "binary" } }),
      },
    },
    async (req, reply) => {
      const { rid, format } = req.params as { rid: string; format: ExportFormat };
      const a = await requireResult(store, req, rid, "viewer");
      if (!EXPORT_FORMATS.includes(format)) {
        throw new AtsmError({
          code: "INVALID_ARGUMENT",
          message: "unknown export format",
          value: format,
          field: "format",
        });
      }
      const loaded = await deps.cache.load(a.study);
      const file = await exportResult(loaded, a.result.inputs, a.result.result, format);
      const safeName = file.fileName.replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 120) || `result.${format}`;
      return reply
        .type(file.contentType)
        .header("content-disposition", `attachment; filename="${safeName}"`)
        .send(Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength));
    },
  );
}
