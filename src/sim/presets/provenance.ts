/**
 * Provenance labels of every twin parameter. The first four are those of
 * `shared/reference/atsm-science.md` (legend at its top); [F] and [A] are ours:
 *
 * - [V] read in the cited source; [D] derived from [V] inputs by a stated formula;
 * - [M] general knowledge, not checked against the source; [S] a number from the product brief;
 * - [F] fitted by this simulator to the [S]/[V] targets named next to it (re-fit in the tests);
 * - [A] an assumption of ours, chosen to be plausible, with no source. Change it freely.
 */
export type ProvenanceLabel = "[V]" | "[D]" | "[M]" | "[S]" | "[F]" | "[A]";

/** A parameter's source note: label + free text (`"[A] membrane equilibrium within minutes"`). */
export type Provenance = `${ProvenanceLabel} ${string}`;

/** Parameter record with a provenance note per field. */
export type WithProvenance<T> = { readonly [K in keyof T]: Provenance };
