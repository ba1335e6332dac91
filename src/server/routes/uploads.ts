/**
 * POST /api/projects/:pid/uploads (multipart/form-data): parts `file` (repeatable) and an optional
 * field `subjectId`. Streams to DIR/tmp with the server's byte cap, imports, commits, then 201.
 */
import { rm } from "node:fs/promises";
import type { FastifyInstance } from "fastify";
import { AtsmError } from "../../core/errors.js";
import { requireProject } from "../access.js";
import type { ServerDeps } from "../context.js";
import { importStaged, stageMultipart } from "../import.js";
import { idParams, open, responses, UUID } from "../schemas.js";
import { studyDto } from "./studies.js";

export const UPLOAD_RESULT = open("Imported studies and skipped files", {
  studies: { type: "array", items: open("StudyDto") },
  skipped: {
    type: "array",
    items: open("Skipped file", { name: { type: "string" }, reason: { type: "string" } }),
  },
});

const UUID_RE = new RegExp(UUID.pattern);

/** Check an optional subject id field against the project; returns it or null. */
export async function checkSubjectField(
  deps: ServerDeps,
  projectId: string,
  value: string | undefined,
): Promise<string | null> {
  if (value === undefined || value === "") return null;
  if (!UUID_RE.test(value)) {
    throw new AtsmError({
      code: "INVALID_ARGUMENT",
      message: "invalid subjectId",
      value,
      field: "subjectId",
      hint: "a subject id (UUID) from GET /api/projects/:pid/subjects",
    });
  }
  const s = await deps.store.subjects.byId(value);
  if (s === null || s.projectId !== projectId)
    throw new AtsmError({ code: "NOT_FOUND", message: "subject not found", field: "subjectId" });
  return value;
}

export function registerUploadRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.post(
    "/api/projects/:pid/uploads",
    {
      schema: {
        summary: "upload DICOM / NIfTI (+ .json) / Inveon / Interfile files or a .zip of them (analysts)",
        description:
          "multipart/form-data: parts named `file` (repeatable) and an optional field `subjectId`. Total size is capped by the server's --max-upload-mb (413 LIMIT_EXCEEDED, nothing kept).",
        tags: ["studies"],
        consumes: ["multipart/form-data"],
        params: idParams("pid"),
        response: responses({ 201: UPLOAD_RESULT }),
      },
    },
    async (req, reply) => {
      const { pid } = req.params as { pid: string };
      const a = await requireProject(deps.store, req, pid, "analyst");
      if (!req.isMultipart()) {
        throw new AtsmError({
          code: "UNSUPPORTED",
          message: "uploads must be multipart/form-data",
          field: "content-type",
        });
      }
      const staged = await stageMultipart(req, deps);
      let subjectId: string | null;
      try {
        for (const k of Object.keys(staged.fields)) {
          if (k !== "subjectId")
            throw new AtsmError({ code: "INVALID_ARGUMENT", message: `unknown field ${k}`, field: k });
        }
        subjectId = await checkSubjectField(deps, pid, staged.fields.subjectId);
        if (staged.files.length === 0) {
          throw new AtsmError({
            code: "MISSING_INPUT",
            message: "no files in the upload",
            field: "file",
            hint: "add one or more parts named 'file'",
          });
        }
      } catch (e) {
        await rm(staged.dir, { recursive: true, force: true });
        throw e;
      }
      const r = await importStaged(deps, staged, {
        projectId: pid,
        subjectId,
        actor: a.user,
        source: "upload",
      });
      return reply
        .status(201)
        .send({ studies: r.studies.map((s) => studyDto(s, false)), skipped: r.skipped });
    },
  );
}
