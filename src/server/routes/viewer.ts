/**
 * Viewer data: GET /api/studies/:id/viewer (volume descriptions) and
 * GET /api/series/:id/volume.nii.gz[?frame=N] (gzipped NIfTI-1 float32, RAS sform; PET in SUVbw
 * when computable, CT in HU; header X-Atsm-Unit).
 */
import type { FastifyInstance } from "fastify";
import { viewerInfo, viewerNiftiAsync } from "../../app/library/index.js";
import { requireSeries, requireStudy } from "../access.js";
import type { ServerDeps } from "../context.js";
import { notFound } from "../errors.js";
import { INT_QUERY, idParams, intQuery, obj, open, responses } from "../schemas.js";

const VOLUME_INFO = open("VolumeInfo", {
  seriesId: { type: "string" },
  url: { type: "string" },
  unit: { type: "string" },
  dims: { type: "array", items: { type: "integer" } },
  spacingMm: { type: "array", items: { type: "number" } },
  originMm: { type: "array", items: { type: "number" } },
  direction: { type: "array", items: { type: "number" } },
});

export function registerViewerRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const { store } = deps;
  app.get(
    "/api/studies/:id/viewer",
    {
      schema: {
        summary: "what the viewer loads: PET and CT volume descriptions, SUV factor, frames",
        tags: ["viewer"],
        params: idParams("id"),
        response: responses({
          200: open("ViewerInfo", {
            studyId: { type: "string" },
            pet: VOLUME_INFO,
            ct: { anyOf: [VOLUME_INFO, { type: "null" }] },
            suvPerNativeUnit: { type: ["number", "null"] },
            hasSuv: { type: "boolean" },
            defaultCutoff: { type: ["string", "null"] },
            frames: { type: ["array", "null"] },
          }),
        }),
      },
    },
    async (req) => {
      const { id } = req.params as { id: string };
      const { study } = await requireStudy(store, req, id, "viewer");
      return viewerInfo(await deps.cache.load(study));
    },
  );

  app.get(
    "/api/series/:id/volume.nii.gz",
    {
      schema: {
        summary: "a series as gzipped NIfTI-1 float32 (RAS sform) for the viewer",
        tags: ["viewer"],
        params: idParams("id"),
        querystring: obj({ frame: INT_QUERY }),
        produces: ["application/gzip"],
        response: responses({ 200: { type: "string", format: "binary" } }),
      },
    },
    async (req, reply) => {
      const { id } = req.params as { id: string };
      const frame = intQuery((req.query as { frame?: string }).frame, "frame", 0, 100_000);
      const { series } = await requireSeries(store, req, id, "viewer");
      const study = await store.studies.byId(series.studyId);
      if (study === null) throw notFound("series", "seriesId");
      const loaded = await deps.cache.load(study);
      const v = await viewerNiftiAsync(loaded, id, frame !== undefined ? { frame } : {});
      return reply
        .type("application/gzip")
        .header("x-atsm-unit", /^[\x20-\x7e]*$/.test(v.unit) ? v.unit : encodeURIComponent(v.unit))
        .header("cache-control", "private, max-age=3600")
        .send(Buffer.from(v.bytes.buffer, v.bytes.byteOffset, v.bytes.byteLength));
    },
  );
}
