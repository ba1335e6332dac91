/**
 * VOI state of the viewer: the study's VOIs (GET/POST/DELETE), the active VOI per role, their drawing on
 * the viewer (client-side raster for geometric specs; stored masks and what the client cannot rasterise
 * come from GET /api/vois/:vid/mask.nii.gz; masks cached per VOI id), the brush working mask, and the
 * live metrics (POST /api/studies/:id/metrics whenever the active tumour or reference VOI changes).
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { api } from "../api.js";
import type { QuantifyResult, Vec3, Voi, VoiRole } from "../types.js";
import type { FusedViewer } from "./fused.js";
import type { MetricsState } from "./MetricsPanel.js";
import { paintBall, rasterise } from "./raster.js";
import { encodeRle } from "./rle.js";
import { fetchServerMask } from "./serverMask.js";
import { parseDrawSpec } from "./spec.js";

type Active = Record<VoiRole, string | null>;
const NONE: Active = { tumour: null, reference: null, other: null };

/** Latest VOI of each role. */
function latestPerRole(vois: readonly Voi[]): Active {
  const a: Active = { ...NONE };
  for (const v of vois) a[v.role] = v.id; // list is in creation order
  return a;
}

export function useVois(studyId: string, viewer: FusedViewer | null, cutoff: string | null) {
  const sid = encodeURIComponent(studyId);
  const [vois, setVois] = useState<Voi[]>([]);
  const [active, setActiveState] = useState<Active>(NONE);
  const [metrics, setMetrics] = useState<MetricsState>({ state: "idle", reason: "" });
  const [error, setError] = useState<unknown>(null);
  const masks = useRef(new Map<string, Uint8Array>());
  /** VOI ids whose mask is being fetched from the server; `maskVersion` bumps when one arrives. */
  const pending = useRef(new Set<string>());
  const [maskVersion, setMaskVersion] = useState(0);
  const brush = useRef<{ role: VoiRole; mask: Uint8Array } | null>(null);
  const seq = useRef(0);
  const lastResult = useRef<QuantifyResult | null>(null);

  const reload = useCallback(async () => {
    const list = await api<Voi[]>("GET", `/studies/${sid}/vois`);
    const sorted = [...list].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    setVois(sorted);
    setActiveState(latestPerRole(sorted));
  }, [sid]);

  const maskOf = useCallback(
    (v: Voi): Uint8Array | null => {
      const cached = masks.current.get(v.id);
      if (cached) return cached;
      const g = viewer?.petGridOrNull;
      if (!g || !viewer) return null;
      const parsed = parseDrawSpec(v.spec);
      const m = parsed ? rasterise(parsed, g, viewer.petBase) : null;
      if (m) {
        masks.current.set(v.id, m);
        return m;
      }
      if (!pending.current.has(v.id)) {
        pending.current.add(v.id);
        fetchServerMask(v.id, g).then(
          (mask) => {
            pending.current.delete(v.id);
            masks.current.set(v.id, mask);
            setMaskVersion((x) => x + 1);
          },
          (err) => {
            pending.current.delete(v.id);
            setError(err);
          },
        );
      }
      return null;
    },
    [viewer],
  );

  // Draw the active VOI of each role (or the brush working mask of its role).
  const redraw = useCallback(() => {
    if (!viewer) return;
    for (const role of ["tumour", "reference", "other"] as const) {
      if (brush.current?.role === role) {
        viewer.setVoiMask(role, brush.current.mask);
        continue;
      }
      const v = vois.find((x) => x.id === active[role]);
      viewer.setVoiMask(role, v ? maskOf(v) : null);
    }
  }, [viewer, vois, active, maskOf]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: maskVersion redraws when a server mask arrives
  useEffect(redraw, [redraw, maskVersion]);

  // Live metrics.
  const tumour = vois.find((v) => v.id === active.tumour) ?? null;
  const reference = vois.find((v) => v.id === active.reference) ?? null;
  useEffect(() => {
    const n = ++seq.current;
    if (!tumour || !reference) {
      setMetrics({
        state: "idle",
        reason: `Place a ${tumour ? "" : "tumour"}${!tumour && !reference ? " and a " : ""}${reference ? "" : "reference (muscle)"} VOI to see T/M.`,
      });
      return;
    }
    const specOf = (v: Voi) => (v.spec.startsWith("mask:") ? `voi:${v.id}` : v.spec);
    setMetrics({ state: "loading", last: lastResult.current });
    const t = setTimeout(() => {
      api<QuantifyResult>("POST", `/studies/${sid}/metrics`, {
        tumour: specOf(tumour),
        reference: specOf(reference),
        ...(cutoff ? { cutoff } : {}),
      }).then(
        (result) => {
          if (n !== seq.current) return;
          lastResult.current = result;
          setMetrics({ state: "ready", result });
        },
        (err) => n === seq.current && setMetrics({ state: "error", error: err }),
      );
    }, 120);
    return () => clearTimeout(t);
  }, [sid, tumour, reference, cutoff]);

  const create = useCallback(
    async (role: VoiRole, name: string, body: { spec: string } | { maskRle: unknown }, mask?: Uint8Array) => {
      setError(null);
      try {
        const v = await api<Voi>("POST", `/studies/${sid}/vois`, { name, role, ...body });
        if (mask) masks.current.set(v.id, mask);
        setVois((list) => [...list, v]);
        setActiveState((a) => ({ ...a, [role]: v.id }));
        return v;
      } catch (err) {
        setError(err);
        return null;
      }
    },
    [sid],
  );

  const addSpec = useCallback(
    (role: VoiRole, spec: string) => create(role, `${role} ${spec.split(/[:@]/)[0] ?? "voi"}`, { spec }),
    [create],
  );

  const remove = useCallback(async (id: string) => {
    setError(null);
    try {
      await api("DELETE", `/vois/${encodeURIComponent(id)}`);
      masks.current.delete(id);
      setVois((list) => {
        const next = list.filter((v) => v.id !== id);
        setActiveState(latestPerRole(next));
        return next;
      });
    } catch (err) {
      setError(err);
    }
  }, []);

  const setActive = useCallback(
    (role: VoiRole, id: string) => setActiveState((a) => ({ ...a, [role]: id })),
    [],
  );

  /** Start (or continue) brushing for a role, seeded with its active VOI's mask. */
  const brushStart = useCallback(
    (role: VoiRole) => {
      const g = viewer?.petGridOrNull;
      if (!g) return;
      if (brush.current?.role === role) return;
      const v = vois.find((x) => x.id === active[role]);
      const seed = v ? maskOf(v) : null;
      brush.current = { role, mask: seed ? seed.slice() : new Uint8Array(g.dims[0] * g.dims[1] * g.dims[2]) };
      redraw();
    },
    [viewer, vois, active, maskOf, redraw],
  );
  const brushPaint = useCallback(
    (lps: Vec3, radiusMm: number, erase: boolean) => {
      const g = viewer?.petGridOrNull;
      if (!g || !brush.current || !viewer) return;
      paintBall(g, brush.current.mask, lps, radiusMm, erase ? 0 : 1);
      viewer.setVoiMask(brush.current.role, brush.current.mask);
    },
    [viewer],
  );
  const brushEnd = useCallback(() => {
    brush.current = null;
    redraw();
  }, [redraw]);
  const brushClear = useCallback(() => {
    if (brush.current && viewer) {
      brush.current.mask.fill(0);
      viewer.setVoiMask(brush.current.role, brush.current.mask);
    }
  }, [viewer]);
  const brushSave = useCallback(async () => {
    const b = brush.current;
    const g = viewer?.petGridOrNull;
    if (!b || !g) return;
    if (!b.mask.some((x) => x === 1)) {
      setError(new Error("the brush mask is empty: paint on the image first"));
      return;
    }
    const mask = b.mask.slice();
    const v = await create(b.role, `${b.role} brush`, { maskRle: encodeRle(mask, g.dims) }, mask);
    if (v) {
      brush.current = null;
      redraw();
    }
  }, [viewer, create, redraw]);

  const invalidateMasks = useCallback(() => {
    masks.current.clear();
    redraw();
  }, [redraw]);

  return {
    vois,
    active,
    tumour,
    reference,
    metrics,
    error,
    setError,
    reload,
    addSpec,
    remove,
    setActive,
    brushStart,
    brushPaint,
    brushEnd,
    brushClear,
    brushSave,
    invalidateMasks,
  };
}
