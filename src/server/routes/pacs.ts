/**
 * PACS over DICOMweb (server started with --dicomweb URL or ATSM_DICOMWEB_URL):
 * GET /api/pacs/studies (QIDO-RS passthrough of a few keys) and
 * POST /api/projects/:pid/pacs-import (WADO-RS retrieve into DIR/tmp, then the upload import path).
 */

import { rm } from "node:fs/promises";
import { relative } from "node:path";
import type { FastifyInstance, FastifyReply } from "fastify";
import type { StagedFile } from "../../app/library/index.js";
import { AtsmError, isAtsmError } from "../../core/errors.js";
import { DicomwebClient, retrieveStudyToDir } from "../../io/dicomweb/index.js";
import { requireProject, requireUser } from "../access.js";
import type { ServerDeps } from "../context.js";
import { errorBody, forbidden } from "../errors.js";
import { importStaged, stagingDir } from "../import.js";
import { obj, open, responses, UUID } from "../schemas.js";
import { studyDto } from "./studies.js";
import { checkSubjectField, UPLOAD_RESULT } from "./uploads.js";

const DICOM_UID = { type: "string", pattern: "^[0-9.]{1,64}$" } as const;
const QIDO_VALUE = { type: "string", maxLength: 64, pattern: "^[A-Za-z0-9 .*?^=_\\-]*$" } as const;

/** Thrown when no PACS is configured; answered as 501 (see `sendPacsError`). */
function noPacs(): AtsmError {
  return new AtsmError({
    code: "UNSUPPORTED",
    message: "no PACS configured",
    hint: "start the server with --dicomweb URL (or ATSM_DICOMWEB_URL), e.g. http://127.0.0.1:8042/dicom-web",
  });
}

/** A PACS that cannot be reached or answers badly is a 502, with the (credential-free) message. */
function sendPacsError(reply: FastifyReply, e: unknown): FastifyReply {
  if (isAtsmError(e) && e.code === "IO_ERROR") return reply.status(502).send(errorBody(e));
  if (isAtsmError(e) && e.message.startsWith("no PACS configured"))
    return reply.status(501).send(errorBody(e));
  throw e;
}

export function registerPacsRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const client = (): DicomwebClient => {
    if (deps.dicomwebUrl === null) throw noPacs();
    return new DicomwebClient({ baseUrl: deps.dicomwebUrl, maxBytes: deps.maxUploadBytes });
  };

  app.get(
    "/api/pacs/studies",
    {
      schema: {
        summary: "search the PACS (QIDO-RS studies); analysts and admins",
        tags: ["pacs"],
        querystring: obj({
          PatientID: QIDO_VALUE,
          PatientName: QIDO_VALUE,
          StudyDate: { type: "string", pattern: "^[0-9]{8}(-[0-9]{8})?$|^-[0-9]{8}$|^[0-9]{8}-$" },
          ModalitiesInStudy: { type: "string", pattern: "^[A-Z]{2,4}$" },
          StudyInstanceUID: DICOM_UID,
          AccessionNumber: QIDO_VALUE,
        }),
        response: responses({ 200: { type: "array", items: open("QidoStudy (DICOM keywords)") } }),
      },
    },
    async (req, reply) => {
      const user = requireUser(req);
      if (user.role === "viewer") throw forbidden("viewers cannot search the PACS");
      const q = req.query as Record<string, string>;
      try {
        return await client().searchStudies(q);
      } catch (e) {
        return sendPacsError(reply, e);
      }
    },
  );

  app.post(
    "/api/projects/:pid/pacs-import",
    {
      schema: {
        summary: "retrieve a study (or one series) from the PACS and import it (analysts)",
        tags: ["pacs"],
        params: obj({ pid: UUID }, ["pid"]),
        body: obj({ studyInstanceUid: DICOM_UID, seriesInstanceUid: DICOM_UID, subjectId: UUID }, [
          "studyInstanceUid",
        ]),
        response: responses({ 201: UPLOAD_RESULT }),
      },
    },
    async (req, reply) => {
      const { pid } = req.params as { pid: string };
      const b = req.body as { studyInstanceUid: string; seriesInstanceUid?: string; subjectId?: string };
      const a = await requireProject(deps.store, req, pid, "analyst");
      const subjectId = await checkSubjectField(deps, pid, b.subjectId);
      let pacs: DicomwebClient;
      try {
        pacs = client();
      } catch (e) {
        return sendPacsError(reply, e);
      }
      const dir = await stagingDir(deps, "pacs");
      let files: StagedFile[];
      try {
        const series = await retrieveStudyToDir(pacs, b.studyInstanceUid, b.seriesInstanceUid, dir);
        files = series.flatMap((s) => s.files.map((path) => ({ name: relative(dir, path), path })));
      } catch (e) {
        await rm(dir, { recursive: true, force: true });
        return sendPacsError(reply, e);
      }
      const r = await importStaged(
        deps,
        { dir, files },
        { projectId: pid, subjectId, actor: a.user, source: "pacs" },
      );
      return reply
        .status(201)
        .send({ studies: r.studies.map((s) => studyDto(s, false)), skipped: r.skipped });
    },
  );
}
