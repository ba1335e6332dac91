/**
 * Audit rows: every change writes one in the SAME transaction as the change (`tx` is the
 * transaction's repositories), so a change without its audit row cannot be committed.
 */
import type { ProjectRow, Repositories, UserRow } from "../store/types.js";

export interface AuditEntry {
  readonly action: string;
  readonly entityType: string;
  readonly entityId: string | null;
  readonly projectId: string | null;
  readonly detail?: Readonly<Record<string, unknown>>;
}

export async function audit(tx: Repositories, actor: UserRow | null, e: AuditEntry): Promise<void> {
  await tx.audit.record({
    actorId: actor?.id ?? null,
    action: e.action,
    entityType: e.entityType,
    entityId: e.entityId,
    projectId: e.projectId,
    detail: e.detail ?? {},
  });
}

/**
 * Create a project with its creator as project admin, audited in the same transaction (the
 * `POST /api/projects` route and the demo seed). `reason` goes into the audit detail.
 */
export async function createOwnedProject(
  tx: Repositories,
  owner: UserRow,
  fields: { readonly name: string; readonly description: string },
  reason?: string,
): Promise<ProjectRow> {
  const p = await tx.projects.create({ ...fields, createdBy: owner.id });
  await tx.projects.addMember(p.id, owner.id, "admin");
  await audit(tx, owner, {
    action: "create",
    entityType: "project",
    entityId: p.id,
    projectId: p.id,
    detail: { name: p.name, ...(reason !== undefined ? { reason } : {}) },
  });
  return p;
}
