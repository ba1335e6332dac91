/**
 * VOIs: GET/POST /api/studies/:id/vois (`{name, role, spec}` or `{name, role, maskRle}`),
 * PUT/DELETE /api/vois/:vid, GET /api/vois/:vid/mask.nii.gz (the VOI rasterised on the PET grid).
 * A brush mask (RLE on the PET grid) is stored as a NIfTI label-map blob and referenced as
 * `mask:blob:<sha256>:1`.
 */
import { createHash } from "node:crypto";
import { rm } from "node:fs/promises";
import { promisify } from "node:util";
import zlib from "node:zlib";
import type { FastifyInstance } from "fastify";
import { maskFromRle, quantifyLoadedWithImages } from "../../app/library/index.js";
import { AtsmError } from "../../core/errors.js";
import { maskOnGrid } from "../../core/types.js";
import { encodeNiftiLabelMap } from "../../io/nifti/index.js";
import type { StudyRow, VoiRole } from "../../store/types.js";
import { requireStudy, requireVoi } from "../access.js";
import { audit } from "../audit.js";
import type { ServerDeps } from "../context.js";
import { idParams, NAME, obj, open, responses, VOI_ROLE } from "../schemas.js";
import { checkStoredSpec, resolveSpec } from "../voi-specs.js";

const gzipAsync = promisify(zlib.gzip);

const SPEC = { type: "string", minLength: 1, maxLength: 4096 } as const;
/** Run-length mask: `runs` alternate background/foreground lengths in NIfTI voxel order (i fastest). */
const MASK_RLE = obj(
  {
    dims: { type: "array", items: { type: "integer", minimum: 1, maximum: 4096 }, minItems: 3, maxItems: 3 },
    runs: { type: "array", items: { type: "integer", minimum: 0 }, maxItems: 4_000_000 },
  },
  ["dims", "runs"],
);
const VOI = open("VOI", {
  id: { type: "string" },
  name: { type: "string" },
  role: VOI_ROLE,
  spec: { type: "string" },
});

type VoiBody = {
  name: string;
  role: VoiRole;
  spec?: string;
  maskRle?: { dims: [number, number, number]; runs: number[] };
};

export function registerVoiRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const { store } = deps;

  /** Spec text of a body; a maskRle is stored as a blob first (returned so a failure can drop it). */
  async function specOf(
    study: StudyRow,
    b: Partial<VoiBody>,
  ): Promise<{ spec: string; newBlob: string | null }> {
    if ((b.spec === undefined) === (b.maskRle === undefined)) {
      throw new AtsmError({
        code: "INVALID_ARGUMENT",
        message: "give exactly one of spec and maskRle",
        field: "spec",
      });
    }
    if (b.spec !== undefined)
      return { spec: await checkStoredSpec(store, study, b.spec, "spec"), newBlob: null };
    const loaded = await deps.cache.load(study);
    const bytes = maskFromRle(loaded.pet.loaded.volume, b.maskRle!);
    const had = await deps.blobs.has(sha256Of(bytes));
    const { sha256 } = await deps.blobs.putBytes(bytes);
    return { spec: `mask:blob:${sha256}:1`, newBlob: had ? null : sha256 };
  }

  async function dropBlob(sha: string | null): Promise<void> {
    if (sha === null) return;
    if ((await store.studies.referencedBlobs()).has(sha)) return;
    await rm(deps.blobs.path(sha), { force: true });
  }

  app.get(
    "/api/studies/:id/vois",
    {
      schema: {
        summary: "VOIs of a study",
        tags: ["vois"],
        params: idParams("id"),
        response: responses({ 200: { type: "array", items: VOI } }),
      },
    },
    async (req) => {
      const { id } = req.params as { id: string };
      await requireStudy(store, req, id, "viewer");
      return store.vois.list(id);
    },
  );

  app.post(
    "/api/studies/:id/vois",
    {
      schema: {
        summary: "add a VOI (analysts): a spec in the VOI grammar or a brush mask (maskRle)",
        tags: ["vois"],
        params: idParams("id"),
        body: obj({ name: NAME, role: VOI_ROLE, spec: SPEC, maskRle: MASK_RLE }, ["name", "role"]),
        response: responses({ 201: VOI }),
      },
    },
    async (req, reply) => {
      const { id } = req.params as { id: string };
      const a = await requireStudy(store, req, id, "analyst");
      const b = req.body as VoiBody;
      const { spec, newBlob } = await specOf(a.study, b);
      try {
        const voi = await store.transaction(async (tx) => {
          const v = await tx.vois.create({
            studyId: id,
            name: b.name,
            role: b.role,
            spec,
            createdBy: a.user.id,
          });
          await audit(tx, a.user, {
            action: "create",
            entityType: "voi",
            entityId: v.id,
            projectId: a.study.projectId,
            detail: { studyId: id, name: v.name, role: v.role, spec },
          });
          return v;
        });
        return reply.status(201).send(voi);
      } catch (e) {
        await dropBlob(newBlob);
        throw e;
      }
    },
  );

  app.put(
    "/api/vois/:vid",
    {
      schema: {
        summary: "edit a VOI (analysts): name, role, spec or maskRle",
        tags: ["vois"],
        params: idParams("vid"),
        body: { ...obj({ name: NAME, role: VOI_ROLE, spec: SPEC, maskRle: MASK_RLE }), minProperties: 1 },
        response: responses({ 200: VOI }),
      },
    },
    async (req) => {
      const { vid } = req.params as { vid: string };
      const a = await requireVoi(store, req, vid, "analyst");
      const b = req.body as Partial<VoiBody>;
      const patch: { name?: string; role?: VoiRole; spec?: string } = {};
      if (b.name !== undefined) patch.name = b.name;
      if (b.role !== undefined) patch.role = b.role;
      let newBlob: string | null = null;
      if (b.spec !== undefined || b.maskRle !== undefined) {
        const r = await specOf(a.study, b);
        patch.spec = r.spec;
        newBlob = r.newBlob;
      }
      try {
        return await store.transaction(async (tx) => {
          const v = await tx.vois.update(vid, patch);
          await audit(tx, a.user, {
            action: "update",
            entityType: "voi",
            entityId: vid,
            projectId: a.study.projectId,
            detail: { studyId: a.study.id, ...patch },
          });
          return v;
        });
      } catch (e) {
        await dropBlob(newBlob);
        throw e;
      }
    },
  );

  app.get(
    "/api/vois/:vid/mask.nii.gz",
    {
      schema: {
        summary:
          "a VOI rasterised on the PET grid: gzipped NIfTI-1 uint8 label map (1 = inside), same geometry as the PET viewer volume; header X-Atsm-Voxels",
        tags: ["vois"],
        params: idParams("vid"),
        querystring: obj({
          reference: {
            ...SPEC,
            description: "reference VOI (spec or voi:<voiId>) for VOIs with T/M levels",
          },
          window: { type: "string", minLength: 1, maxLength: 40, description: "dynamic PET frame window" },
        }),
        produces: ["application/gzip"],
        response: responses({ 200: { type: "string", format: "binary" } }),
      },
    },
    async (req, reply) => {
      const { vid } = req.params as { vid: string };
      const q = req.query as { reference?: string; window?: string };
      const a = await requireVoi(store, req, vid, "viewer");
      const spec = await resolveSpec(store, a.study, a.voi.spec, "spec");
      const reference =
        q.reference !== undefined ? await resolveSpec(store, a.study, q.reference, "reference") : spec;
      const loaded = await deps.cache.load(a.study);
      // The quantify pipeline rasterises exactly as the metrics do (masks resampled, levels
      // converted); the tumour label of its label map is this VOI.
      const { images } = quantifyLoadedWithImages(loaded, {
        tumour: spec,
        reference,
        ...(q.window !== undefined ? { window: q.window } : {}),
      });
      const src = images.mask.data;
      const data = new Uint8Array(src.length);
      let voxels = 0;
      for (let p = 0; p < src.length; p++) {
        if (src[p] === 1) {
          data[p] = 1;
          voxels++;
        }
      }
      const mask = maskOnGrid(images.mask, data, new Map([[1, a.voi.name]]));
      const gz = await gzipAsync(encodeNiftiLabelMap(mask, `ATSM VOI ${a.voi.role}`), { level: 6 });
      return reply
        .type("application/gzip")
        .header("x-atsm-voxels", String(voxels))
        .header("cache-control", "private, no-cache")
        .send(gz);
    },
  );

  app.delete(
    "/api/vois/:vid",
    {
      schema: {
        summary: "delete a VOI (analysts)",
        tags: ["vois"],
        params: idParams("vid"),
        response: responses({ 204: { type: "null" } }),
      },
    },
    async (req, reply) => {
      const { vid } = req.params as { vid: string };
      const a = await requireVoi(store, req, vid, "analyst");
      await store.transaction(async (tx) => {
        await tx.vois.delete(vid);
        await audit(tx, a.user, {
          action: "delete",
          entityType: "voi",
          entityId: vid,
          projectId: a.study.projectId,
          detail: { studyId: a.study.id, name: a.voi.name },
        });
      });
      return reply.status(204).send();
    },
  );
}

function sha256Of(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}
