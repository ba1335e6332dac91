/**
 * Lab documents of a project: GET/POST /api/projects/:pid/radiolabel-batches (body = the
 * `atsm radiolabel record` batch JSON, QC trace text inline as `qcTraceText`) and GET/POST
 * /api/projects/:pid/assays (layout/counts/protein texts + options as `atsm assay analyze`).
 * The computed result (src/app/documents) is stored with the input and the software version.
 * Bodies are validated field by field by the compute functions (400 naming the field).
 */
import type { FastifyInstance } from "fastify";
import { computeAssay, computeRadiolabelBatch } from "../../app/documents/index.js";
import type { DocumentRow } from "../../store/types.js";
import { requireProject } from "../access.js";
import { audit } from "../audit.js";
import type { ServerDeps } from "../context.js";
import { idParams, open, responses } from "../schemas.js";

const DOCUMENT = open("DocumentRow", {
  id: { type: "string" },
  kind: { type: "string", enum: ["radiolabel-batch", "assay"] },
  name: { type: "string" },
  input: { type: "object" },
  result: { type: "object" },
  softwareVersion: { type: "string" },
});

interface DocumentKind {
  readonly kind: DocumentRow["kind"];
  readonly path: string;
  readonly summary: string;
  readonly body: Record<string, unknown>;
  readonly compute: (
    input: unknown,
    tmpDir: string,
  ) => Promise<{ name: string; result: Record<string, unknown> }>;
}

const KINDS: readonly DocumentKind[] = [
  {
    kind: "radiolabel-batch",
    path: "radiolabel-batches",
    summary: "radiolabelling batch record (as `atsm radiolabel record --json`)",
    body: open("the `atsm radiolabel record` batch JSON (docs/radiolabel.md) plus optional qcTraceText"),
    compute: (input, tmpDir) => computeRadiolabelBatch(input, { tmpDir }),
  },
  {
    kind: "assay",
    path: "assays",
    summary: "uptake/retention assay analysis (as `atsm assay analyze --json`)",
    body: open("{layoutCsv, countsText, proteinText?, names?, options as the CLI flags in camelCase}", {
      layoutCsv: { type: "string" },
      countsText: { type: "string" },
      proteinText: { type: "string" },
      name: { type: "string" },
      options: { type: "object" },
    }),
    compute: (input, tmpDir) => computeAssay(input, { tmpDir }),
  },
];

export function registerDocumentRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const { store } = deps;
  for (const k of KINDS) {
    app.get(
      `/api/projects/:pid/${k.path}`,
      {
        schema: {
          summary: `list ${k.kind} documents`,
          tags: ["documents"],
          params: idParams("pid"),
          response: responses({ 200: { type: "array", items: DOCUMENT } }),
        },
      },
      async (req) => {
        const { pid } = req.params as { pid: string };
        await requireProject(store, req, pid, "viewer");
        return store.documents.list(pid, k.kind);
      },
    );

    app.post(
      `/api/projects/:pid/${k.path}`,
      {
        schema: {
          summary: `compute and store a ${k.summary} (analysts)`,
          tags: ["documents"],
          params: idParams("pid"),
          body: k.body,
          response: responses({ 201: DOCUMENT }),
        },
      },
      async (req, reply) => {
        const { pid } = req.params as { pid: string };
        const a = await requireProject(store, req, pid, "analyst");
        const input = req.body as Record<string, unknown>;
        const computed = await k.compute(input, deps.blobs.tmpDir());
        const row = await store.transaction(async (tx) => {
          const d = await tx.documents.create({
            projectId: pid,
            kind: k.kind,
            name: computed.name,
            input,
            result: JSON.parse(JSON.stringify(computed.result)) as Record<string, unknown>,
            softwareVersion: deps.version,
            createdBy: a.user.id,
          });
          await audit(tx, a.user, {
            action: "create",
            entityType: k.kind,
            entityId: d.id,
            projectId: pid,
            detail: { name: d.name },
          });
          return d;
        });
        return reply.status(201).send(row);
      },
    );
  }
}
