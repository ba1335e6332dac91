/**
 * Viewer page `/studies/:id`: fused PET/CT (NiiVue), display presets, crosshair read-out (LPS mm, PET in
 * SUV/native/T-M, CT HU), VOI tools and live metrics. Opens multiplanar, centred on the PET maximum.
 */
import { type MouseEvent, type PointerEvent, useCallback, useEffect, useRef, useState } from "react";
import { isTyping } from "../App.js";
import { api, fetchBytes } from "../api.js";
import { navigate } from "../router.js";
import type { ResultRow, Vec3, ViewerInfo, VoiRole } from "../types.js";
import { ErrorBanner, fmt, Link, ProgressBar } from "../ui.js";
import { FusedViewer, type Readout, type ViewKind } from "../viewer/fused.js";
import { fmtPoint } from "../viewer/geometry.js";
import { MetricsPanel } from "../viewer/MetricsPanel.js";
import { MipView } from "../viewer/Mip.js";
import { CT_PRESETS, DEFAULT_PET_FLOOR, SUV_PRESETS, TM_PRESETS } from "../viewer/presets.js";
import { boxSpec, growSpec, sphereSpec, thresholdSpec } from "../viewer/spec.js";
import { Toolbar } from "../viewer/Toolbar.js";
import { useVois } from "../viewer/useVois.js";
import { type Tool, VoiPanel } from "../viewer/VoiPanel.js";

/** `?view=axial|coronal|sagittal|multiplanar|mip|render` opens that view (default multiplanar). */
function initialView(): ViewKind {
  const v = new URLSearchParams(location.search).get("view");
  return v === "axial" || v === "coronal" || v === "sagittal" || v === "render" || v === "mip"
    ? v
    : "multiplanar";
}

export function ViewerPage(props: { studyId: string }) {
  const sid = encodeURIComponent(props.studyId);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [viewer, setViewer] = useState<FusedViewer | null>(null);
  const [info, setInfo] = useState<ViewerInfo | null>(null);
  const [loading, setLoading] = useState<string | null>("Loading study…");
  const [error, setError] = useState<unknown>(null);
  const [view, setViewState] = useState<ViewKind>(initialView);
  const [tool, setTool] = useState<Tool>("navigate");
  const [role, setRole] = useState<VoiRole>("tumour");
  const [radiusMm, setRadiusMm] = useState(10);
  const [levelPercent, setLevelPercent] = useState(41);
  const [brushMm, setBrushMm] = useState(4);
  const [boxFirst, setBoxFirst] = useState<Vec3 | null>(null);
  const [unitMode, setUnitMode] = useState<"suv" | "tm">("suv");
  const [ctPreset, setCtPreset] = useState(0);
  const [petPreset, setPetPreset] = useState(0);
  const [petFloor, setPetFloor] = useState<number>(DEFAULT_PET_FLOOR);
  const [colormap, setColormap] = useState("hot");
  const [opacity, setOpacity] = useState(0.7);
  const [frame, setFrame] = useState<number | null>(null);
  const [readout, setReadout] = useState<Readout | null>(null);
  const [saving, setSaving] = useState(false);
  const v = useVois(props.studyId, viewer, info?.defaultCutoff ?? null);

  // Load: viewer info, volumes, VOIs.
  useEffect(() => {
    const el = canvas.current;
    if (!el) return;
    const fv = new FusedViewer();
    let cancelled = false;
    (async () => {
      try {
        // Fetch the study info and both volumes while NiiVue sets up WebGL (compiling its shaders
        // blocks the page for seconds on software WebGL): the network does not wait for it.
        const data = (async () => {
          const vi = await api<ViewerInfo>("GET", `/studies/${sid}/viewer`);
          if (!cancelled) {
            setInfo(vi);
            setLoading(vi.ct ? "Loading PET and CT volumes…" : "Loading PET volume…");
          }
          const [pet, ct] = await Promise.all([fetchBytes(vi.pet.url), vi.ct ? fetchBytes(vi.ct.url) : null]);
          return { vi, pet, ct };
        })();
        data.catch(() => {}); // awaited below; this only keeps a failure during attach() from going unhandled
        await fv.attach(el);
        const { vi, pet, ct } = await data;
        if (cancelled) return;
        // Display settings go in with the volumes: one GPU build, one draw (see FusedViewer.load). The
        // effects below then find every setting already applied and do no GPU work.
        const ctw = CT_PRESETS[0]!;
        await fv.load(vi, pet.bytes, ct?.bytes ?? null, {
          ctWindowHu: [ctw.widthHu, ctw.levelHu],
          view: initialView(),
        });
        if (cancelled) return;
        fv.onLocation = setReadout;
        // Test/debug hook: the E2E test and bench may read the viewer state (documented in docs/web.md).
        (window as unknown as { atsmViewer?: FusedViewer }).atsmViewer = fv;
        const max = fv.petMaxLps();
        if (max) fv.moveTo(max);
        setViewer(fv);
        setLoading(null);
        performance.mark("atsm:viewer-ready"); // bench/web: time from navigation to the first fused render
        // bench/web and test/e2e read this: ms since navigation start at the first frame after the draw.
        requestAnimationFrame(() => {
          const w = window as unknown as { __atsmFirstRender?: number };
          w.__atsmFirstRender ??= performance.now();
        });
      } catch (err) {
        if (!cancelled) {
          setError(err);
          setLoading(null);
        }
      }
    })();
    return () => {
      cancelled = true;
      fv.destroy();
    };
  }, [sid]);

  useEffect(() => {
    if (viewer) v.reload().catch(v.setError);
  }, [viewer, v.reload, v.setError]);

  // Display settings → viewer.
  const [petMaxShown, setPetMaxShown] = useState(1);
  const r = v.metrics.state === "ready" ? v.metrics.result.reference : null;
  const refMean = r ? (info?.hasSuv ? r.suvMean : r.nativeMean) : null;
  const tmAvailable = refMean !== null && refMean > 0;
  const showTm = unitMode === "tm" && tmAvailable;
  const presets = showTm ? TM_PRESETS : SUV_PRESETS;
  useEffect(() => {
    if (!viewer) return;
    viewer.setScale(showTm && refMean ? 1 / refMean : 1);
    const p = presets[petPreset] ?? presets[0]!;
    const top = p.max ?? viewer.petAutoMax();
    viewer.setPetRange(0, top);
    setPetMaxShown(top);
    setReadout(viewer.readout(viewer.crosshairLps()));
  }, [viewer, showTm, refMean, presets, petPreset]);
  useEffect(() => {
    const c = CT_PRESETS[ctPreset];
    if (viewer && c) viewer.setCtWindow(c.widthHu, c.levelHu);
  }, [viewer, ctPreset]);
  useEffect(() => viewer?.setPetFloor(petFloor), [viewer, petFloor]);
  useEffect(() => viewer?.setPetColormap(colormap), [viewer, colormap]);
  useEffect(() => viewer?.setPetOpacity(opacity), [viewer, opacity]);
  const setView = useCallback(
    (k: ViewKind) => {
      setViewState(k);
      viewer?.setView(k);
    },
    [viewer],
  );

  // Dynamic frame: refetch the PET (?frame=N) when the user picks another frame.
  const shownFrame = useRef<number | null>(null);
  const invalidateMasks = v.invalidateMasks;
  useEffect(() => {
    if (!viewer || !info || frame === shownFrame.current) return;
    shownFrame.current = frame;
    const url = frame === null ? info.pet.url : `${info.pet.url}?frame=${frame}`;
    setLoading(`Loading frame ${frame ?? "sum"}…`);
    fetchBytes(url)
      .then((b) => viewer.loadPet(b.bytes))
      .then(() => {
        invalidateMasks();
        // The crosshair stays put; its PET value is the new frame's.
        setReadout(viewer.readout(viewer.crosshairLps()));
      })
      .catch(setError)
      .finally(() => setLoading(null));
  }, [viewer, info, frame, invalidateMasks]);

  // Tools.
  const addSpec = useCallback((spec: string) => void v.addSpec(role, spec), [v.addSpec, role]);
  const placeAt = useCallback(
    (lps: Vec3) => {
      if (tool === "sphere") addSpec(sphereSpec(lps, radiusMm));
      else if (tool === "grow") addSpec(growSpec(lps, levelPercent));
      else if (tool === "box") {
        if (boxFirst === null) setBoxFirst(lps);
        else {
          addSpec(boxSpec(boxFirst, lps, radiusMm));
          setBoxFirst(null);
        }
      }
    },
    [tool, radiusMm, levelPercent, boxFirst, addSpec],
  );
  const threshold = useCallback(() => {
    const inner = v.vois.find((x) => x.id === v.active[role]);
    if (inner) addSpec(thresholdSpec(levelPercent, inner.spec));
  }, [v.vois, v.active, role, levelPercent, addSpec]);
  const chooseTool = useCallback(
    (t: Tool) => {
      setBoxFirst(null);
      if (t === "brush") v.brushStart(role);
      else v.brushEnd();
      setTool(t);
    },
    [role, v.brushStart, v.brushEnd],
  );
  const chooseRole = useCallback(
    (rl: VoiRole) => {
      setRole(rl);
      if (tool === "brush") {
        v.brushEnd();
        v.brushStart(rl);
      }
    },
    [tool, v.brushStart, v.brushEnd],
  );

  const pos = (e: MouseEvent<HTMLCanvasElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    return viewer?.canvasToLps(e.clientX - rect.left, e.clientY - rect.top) ?? null;
  };
  const onClick = (e: MouseEvent<HTMLCanvasElement>) => {
    if (tool === "navigate" || tool === "brush") return;
    const lps = pos(e);
    if (lps) placeAt(lps);
  };
  const onPointer = (e: PointerEvent<HTMLCanvasElement>) => {
    if (tool !== "brush" || (e.buttons & 1) === 0) return;
    const lps = pos(e);
    if (lps) v.brushPaint(lps, brushMm, e.shiftKey);
  };

  const saveResult = async () => {
    if (!v.tumour || !v.reference) return;
    setSaving(true);
    setError(null);
    try {
      const row = await api<ResultRow>("POST", `/studies/${sid}/results`, {
        tumourVoiId: v.tumour.id,
        referenceVoiId: v.reference.id,
        ...(info?.defaultCutoff ? { cutoff: info.defaultCutoff } : {}),
      });
      navigate(`/studies/${props.studyId}/results?rid=${encodeURIComponent(row.id)}`);
    } catch (err) {
      setError(err);
    } finally {
      setSaving(false);
    }
  };

  // Keyboard shortcuts (see help.tsx).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isTyping(e) || e.ctrlKey || e.metaKey || e.altKey) return;
      const k = e.key;
      const views: Record<string, ViewKind> = {
        "1": "axial",
        "2": "coronal",
        "3": "sagittal",
        "4": "multiplanar",
        "5": "render",
      };
      if (views[k]) setView(views[k]);
      else if (k === "m" || k === "M") setView(view === "mip" ? "multiplanar" : "mip");
      else if (k === "s") chooseTool("sphere");
      else if (k === "x") chooseTool("box");
      else if (k === "g") chooseTool("grow");
      else if (k === "b") chooseTool("brush");
      else if (k === "Escape") chooseTool("navigate");
      else if (k === "T") threshold();
      else if (k === "t") chooseRole("tumour");
      else if (k === "r") chooseRole("reference");
      else if (k === "o") chooseRole("other");
      else if (k === "w" || k === "W") setCtPreset((i) => (i + 1) % CT_PRESETS.length);
      else if (k === "p" || k === "P") setPetPreset((i) => (i + 1) % presets.length);
      else if (k === "u" || k === "U") setUnitMode((u) => (u === "suv" ? "tm" : "suv"));
      else if (k === "c" || k === "C") {
        const max = viewer?.petMaxLps();
        if (max) viewer?.moveTo(max);
      } else if ((k === "[" || k === "]") && info?.frames && info.frames.length > 1) {
        const n = info.frames.length;
        setFrame((f) => {
          const cur = f ?? (k === "]" ? -1 : n);
          const next = cur + (k === "]" ? 1 : -1);
          return next < 0 || next >= n ? null : next;
        });
      } else return;
      e.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [setView, view, chooseTool, chooseRole, threshold, presets.length, viewer, info]);

  const unitLabel = showTm ? "T/M" : info?.hasSuv ? "SUVbw" : (info?.pet.unit ?? "");
  return (
    <div className="viewer-page">
      <div className="viewer-main">
        {info ? (
          <Toolbar
            info={info}
            view={view}
            setView={setView}
            ctPreset={ctPreset}
            setCtPreset={setCtPreset}
            petPresets={presets}
            petPreset={petPreset}
            setPetPreset={setPetPreset}
            unitMode={showTm ? "tm" : "suv"}
            setUnitMode={setUnitMode}
            tmAvailable={tmAvailable}
            petFloor={petFloor}
            setPetFloor={setPetFloor}
            colormap={colormap}
            setColormap={setColormap}
            opacity={opacity}
            setOpacity={setOpacity}
            frame={frame}
            setFrame={setFrame}
          />
        ) : (
          <div className="toolbar" />
        )}
        <ErrorBanner error={error} onClose={() => setError(null)} />
        <ErrorBanner error={v.error} onClose={() => v.setError(null)} />
        <div className={`canvas-wrap tool-${tool}`}>
          <canvas
            ref={canvas}
            data-testid="viewer-canvas"
            data-ready={viewer ? "true" : "false"}
            onClick={onClick}
            onPointerDown={onPointer}
            onPointerMove={onPointer}
          />
          {view === "mip" && viewer?.petGridOrNull ? (
            <MipView
              grid={viewer.petGridOrNull}
              pet={viewer.petBase}
              rangeMax={petMaxShown / viewer.scale}
              onPick={(lps) => {
                viewer.moveTo(lps);
                setView("multiplanar");
              }}
            />
          ) : null}
          {loading ? (
            <div className="canvas-loading">
              <ProgressBar fraction={null} label={loading} testId="viewer-loading" />
            </div>
          ) : null}
          <div className="unit-label" data-testid="pet-unit">
            PET: {unitLabel}
          </div>
        </div>
        <div className="readout" data-testid="readout">
          {readout ? (
            <>
              <span>
                LPS <code data-testid="readout-lps">{fmtPoint(readout.lps)}</code> mm
              </span>
              <span>
                PET <strong data-testid="readout-pet">{fmt(readout.pet, 3)}</strong> {unitLabel}
              </span>
              {info?.ct ? (
                <span>
                  CT <strong data-testid="readout-ct">{fmt(readout.ct, 0)}</strong> HU
                </span>
              ) : null}
            </>
          ) : (
            <span className="muted">click the image to read values</span>
          )}
        </div>
      </div>
      <aside className="viewer-side">
        <div className="side-head">
          <Link href={`/studies/${props.studyId}/results`}>Results</Link>
          <button
            type="button"
            className="primary"
            onClick={saveResult}
            disabled={!v.tumour || !v.reference || saving}
            data-testid="save-result"
          >
            {saving ? "Saving…" : "Save result"}
          </button>
        </div>
        <VoiPanel
          tool={tool}
          setTool={chooseTool}
          role={role}
          setRole={chooseRole}
          radiusMm={radiusMm}
          setRadiusMm={setRadiusMm}
          levelPercent={levelPercent}
          setLevelPercent={setLevelPercent}
          brushMm={brushMm}
          setBrushMm={setBrushMm}
          boxFirst={boxFirst !== null}
          vois={v.vois}
          active={v.active}
          setActive={v.setActive}
          addSpec={addSpec}
          threshold={threshold}
          sphereAtCrosshair={() => viewer && addSpec(sphereSpec(viewer.crosshairLps(), radiusMm))}
          saveBrush={() => void v.brushSave()}
          clearBrush={v.brushClear}
          remove={(id) => void v.remove(id)}
          readOnly={!viewer}
        />
        <MetricsPanel m={v.metrics} />
      </aside>
    </div>
  );
}
