/**
 * Audit rows: every change writes one in the SAME transaction as the change (`tx` is the
 * transaction's repositories), so a change without its audit row cannot be committed.
 */
import type { Repositories, UserRow } from "../store/types.js";

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
