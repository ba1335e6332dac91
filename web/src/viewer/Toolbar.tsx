/** View and display controls above the canvas: views, MIP, CT window, PET range/unit/colormap, frame. */
import type { ViewerInfo } from "../types.js";
import type { ViewKind } from "./fused.js";
import { CT_PRESETS, PET_COLORMAPS, PET_FLOORS, type PetPreset } from "./presets.js";

const VIEWS: readonly { id: ViewKind; label: string; key: string }[] = [
  { id: "axial", label: "Axial", key: "1" },
  { id: "coronal", label: "Coronal", key: "2" },
  { id: "sagittal", label: "Sagittal", key: "3" },
  { id: "multiplanar", label: "Multi-planar", key: "4" },
  { id: "mip", label: "MIP", key: "M" },
  { id: "render", label: "3-D", key: "5" },
];

export interface ToolbarProps {
  info: ViewerInfo;
  view: ViewKind;
  setView: (v: ViewKind) => void;
  ctPreset: number;
  setCtPreset: (i: number) => void;
  petPresets: readonly PetPreset[];
  petPreset: number;
  setPetPreset: (i: number) => void;
  unitMode: "suv" | "tm";
  setUnitMode: (u: "suv" | "tm") => void;
  tmAvailable: boolean;
  petFloor: number;
  setPetFloor: (f: number) => void;
  colormap: string;
  setColormap: (c: string) => void;
  opacity: number;
  setOpacity: (o: number) => void;
  frame: number | null;
  setFrame: (f: number | null) => void;
}

export function Toolbar(p: ToolbarProps) {
  const petUnit = p.info.hasSuv ? "SUV" : p.info.pet.unit;
  return (
    <div className="toolbar" role="toolbar" aria-label="view">
      <div className="btn-group">
        {VIEWS.map((v) => (
          <button
            key={v.id}
            type="button"
            className={p.view === v.id ? "on" : ""}
            onClick={() => p.setView(v.id)}
            title={`${v.label} (${v.key})`}
            data-testid={`view-${v.id}`}
          >
            {v.label}
          </button>
        ))}
      </div>
      {p.info.ct ? (
        <label className="inline" title="CT window (W)">
          CT
          <select
            value={p.ctPreset}
            onChange={(e) => p.setCtPreset(Number(e.target.value))}
            data-testid="ct-window"
          >
            {CT_PRESETS.map((c, i) => (
              <option key={c.name} value={i}>
                {c.name} {c.widthHu}/{c.levelHu}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <div className="btn-group" title="PET unit (U)">
        <button
          type="button"
          className={p.unitMode === "suv" ? "on" : ""}
          onClick={() => p.setUnitMode("suv")}
          data-testid="unit-suv"
        >
          {petUnit}
        </button>
        <button
          type="button"
          className={p.unitMode === "tm" ? "on" : ""}
          onClick={() => p.setUnitMode("tm")}
          disabled={!p.tmAvailable}
          title={p.tmAvailable ? "PET divided by the reference VOI mean" : "place a reference VOI first"}
          data-testid="unit-tm"
        >
          T/M
        </button>
      </div>
      <label className="inline" title="PET range (P)">
        Range
        <select
          value={p.petPreset}
          onChange={(e) => p.setPetPreset(Number(e.target.value))}
          data-testid="pet-range"
        >
          {p.petPresets.map((x, i) => (
            <option key={x.name} value={i}>
              {x.name}
            </option>
          ))}
        </select>
      </label>
      <label className="inline" title="PET transparent below this fraction of the range maximum (fades in)">
        Floor
        <select
          value={p.petFloor}
          onChange={(e) => p.setPetFloor(Number(e.target.value))}
          data-testid="pet-floor"
        >
          {PET_FLOORS.map((f) => (
            <option key={f} value={f}>
              {Math.round(f * 100)}%
            </option>
          ))}
        </select>
      </label>
      <label className="inline">
        <select value={p.colormap} onChange={(e) => p.setColormap(e.target.value)} aria-label="PET colormap">
          {PET_COLORMAPS.map((c) => (
            <option key={c}>{c}</option>
          ))}
        </select>
      </label>
      {p.info.ct ? (
        <label className="inline" title="PET opacity over CT">
          α
          <input
            type="range"
            min={0.1}
            max={1}
            step={0.05}
            value={p.opacity}
            onChange={(e) => p.setOpacity(Number(e.target.value))}
          />
        </label>
      ) : null}
      {p.info.frames && p.info.frames.length > 1 ? (
        <label className="inline" title="dynamic frame ([ and ])">
          Frame
          <select
            value={p.frame ?? -1}
            onChange={(e) => p.setFrame(Number(e.target.value) < 0 ? null : Number(e.target.value))}
            data-testid="frame-select"
          >
            <option value={-1}>sum</option>
            {p.info.frames.map((f) => (
              <option key={f.index} value={f.index}>
                {f.index}: {Math.round(f.startS / 60)}–{Math.round((f.startS + f.durationS) / 60)} min
              </option>
            ))}
          </select>
        </label>
      ) : null}
    </div>
  );
}
