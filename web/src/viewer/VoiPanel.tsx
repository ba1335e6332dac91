/**
 * VOI tools and list. Tools: navigate, sphere (click), box (two clicks), grow (click a seed), brush
 * (paint; Shift erases), threshold of the active VOI. Roles: tumour / reference / other. Test hooks:
 * tool-*, role-*, sphere-radius, level-percent, voi-spec-input/-add, voi-spec-<role>, voi-item.
 */
import { useState } from "react";
import type { Voi, VoiRole } from "../types.js";

export type Tool = "navigate" | "sphere" | "box" | "grow" | "brush";
const TOOLS: readonly { id: Tool; label: string; key: string; help: string }[] = [
  { id: "navigate", label: "Navigate", key: "Esc", help: "click to move the crosshair" },
  { id: "sphere", label: "Sphere", key: "S", help: "click the image to place a sphere" },
  { id: "box", label: "Box", key: "X", help: "click two opposite corners (depth ± radius)" },
  { id: "grow", label: "Grow", key: "G", help: "click a seed: region ≥ level % of the seed" },
  { id: "brush", label: "Brush", key: "B", help: "drag to paint, Shift+drag to erase, then Save" },
];
const ROLES: readonly { id: VoiRole; label: string; key: string }[] = [
  { id: "tumour", label: "Tumour", key: "T" },
  { id: "reference", label: "Reference", key: "R" },
  { id: "other", label: "Other", key: "O" },
];

export interface VoiPanelProps {
  tool: Tool;
  setTool: (t: Tool) => void;
  role: VoiRole;
  setRole: (r: VoiRole) => void;
  radiusMm: number;
  setRadiusMm: (r: number) => void;
  levelPercent: number;
  setLevelPercent: (p: number) => void;
  brushMm: number;
  setBrushMm: (r: number) => void;
  boxFirst: boolean;
  vois: readonly Voi[];
  active: Readonly<Record<VoiRole, string | null>>;
  setActive: (role: VoiRole, id: string) => void;
  addSpec: (spec: string) => void;
  threshold: () => void;
  sphereAtCrosshair: () => void;
  saveBrush: () => void;
  clearBrush: () => void;
  remove: (id: string) => void;
  readOnly: boolean;
}

export function VoiPanel(p: VoiPanelProps) {
  const [specText, setSpecText] = useState("");
  const activeOf = (role: VoiRole) => p.vois.find((v) => v.id === p.active[role]) ?? null;
  const help = TOOLS.find((t) => t.id === p.tool)?.help ?? "";
  return (
    <section className="panel vois">
      <h3>VOIs</h3>
      <div className="btn-group" role="toolbar" aria-label="VOI tools">
        {TOOLS.map((t) => (
          <button
            key={t.id}
            type="button"
            className={p.tool === t.id ? "on" : ""}
            onClick={() => p.setTool(t.id)}
            disabled={p.readOnly && t.id !== "navigate"}
            title={`${t.help} (${t.key})`}
            data-testid={`tool-${t.id}`}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div className="btn-group" role="radiogroup" aria-label="role of the next VOI">
        {ROLES.map((r) => (
          <button
            key={r.id}
            type="button"
            className={`role-${r.id} ${p.role === r.id ? "on" : ""}`}
            onClick={() => p.setRole(r.id)}
            title={`role of the next VOI (${r.key})`}
            data-testid={`role-${r.id}`}
            aria-pressed={p.role === r.id}
          >
            {r.label}
          </button>
        ))}
      </div>
      <p className="muted small tool-help" data-testid="tool-help">
        {p.tool === "box" && p.boxFirst ? "box: now click the opposite corner" : help}
      </p>
      <div className="params">
        <label>
          Radius (mm)
          <input
            type="number"
            min={1}
            max={200}
            step={0.5}
            value={p.radiusMm}
            onChange={(e) => p.setRadiusMm(Number(e.target.value) || 10)}
            data-testid="sphere-radius"
          />
        </label>
        <label>
          Level (%)
          <input
            type="number"
            min={1}
            max={100}
            value={p.levelPercent}
            onChange={(e) => p.setLevelPercent(Number(e.target.value) || 41)}
            data-testid="level-percent"
          />
        </label>
        {p.tool === "brush" ? (
          <label>
            Brush (mm)
            <input
              type="number"
              min={1}
              max={50}
              value={p.brushMm}
              onChange={(e) => p.setBrushMm(Number(e.target.value) || 4)}
              data-testid="brush-radius"
            />
          </label>
        ) : null}
      </div>
      <div className="btn-row">
        <button
          type="button"
          onClick={p.sphereAtCrosshair}
          disabled={p.readOnly}
          data-testid="sphere-at-crosshair"
        >
          Sphere at crosshair
        </button>
        <button
          type="button"
          onClick={p.threshold}
          disabled={p.readOnly || activeOf(p.role) === null}
          title="threshold the active VOI of this role at Level % of its max (Shift+T)"
          data-testid="tool-threshold"
        >
          Threshold {p.levelPercent}% max
        </button>
        {p.tool === "brush" ? (
          <>
            <button type="button" className="primary" onClick={p.saveBrush} data-testid="brush-save">
              Save brush
            </button>
            <button type="button" onClick={p.clearBrush} data-testid="brush-clear">
              Clear
            </button>
          </>
        ) : null}
      </div>
      <form
        className="spec-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (specText.trim()) p.addSpec(specText.trim());
        }}
      >
        <input
          value={specText}
          onChange={(e) => setSpecText(e.target.value)}
          placeholder="or type a spec: sphere:X,Y,Z,R (LPS mm)"
          aria-label="VOI spec"
          data-testid="voi-spec-input"
          disabled={p.readOnly}
        />
        <button type="submit" disabled={p.readOnly} data-testid="voi-spec-add">
          Add
        </button>
      </form>
      {ROLES.filter((r) => r.id !== "other").map((r) => (
        <div key={r.id} className={`active-voi role-${r.id}`}>
          <span className="role-dot" />
          <strong>{r.label}:</strong>{" "}
          <code data-testid={`voi-spec-${r.id}`}>{activeOf(r.id)?.spec ?? ""}</code>
          {activeOf(r.id) ? null : <span className="muted"> none</span>}
        </div>
      ))}
      <ul className="voi-list">
        {p.vois.map((v) => (
          <li key={v.id} className={p.active[v.role] === v.id ? "active" : ""} data-testid="voi-item">
            <label>
              <input
                type="radio"
                name={`active-${v.role}`}
                checked={p.active[v.role] === v.id}
                onChange={() => p.setActive(v.role, v.id)}
              />
              <span className={`role-tag role-${v.role}`}>{v.role}</span> {v.name}
            </label>
            <code className="spec" title={v.spec}>
              {v.spec}
            </code>
            {p.readOnly ? null : (
              <button
                type="button"
                className="ghost small"
                onClick={() => p.remove(v.id)}
                aria-label="delete VOI"
              >
                ×
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
