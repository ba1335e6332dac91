/** Keyboard shortcut table (also in docs/web.md) and the `?` overlay that shows it. */

export const SHORTCUTS: readonly (readonly [string, string])[] = [
  ["?", "show / hide this help"],
  ["Esc", "close overlays, cancel the current tool"],
  ["1 / 2 / 3", "axial / coronal / sagittal view"],
  ["4", "multiplanar (fused) view"],
  ["M", "PET MIP (click a hot spot to go there); again: back to multiplanar"],
  ["5", "3-D volume render"],
  ["S", "sphere tool (click the image to place)"],
  ["X", "box tool (click two opposite corners)"],
  ["G", "region-grow tool (click a seed)"],
  ["B", "brush (draw on the image, then Save brush)"],
  ["Shift+T", "threshold the current VOI at the % max"],
  ["T / R / O", "role of the next VOI: tumour / reference / other"],
  ["W", "cycle CT window presets (soft tissue, lung, bone)"],
  ["P", "cycle PET range presets"],
  ["U", "PET unit: SUV ↔ T/M"],
  ["C", "centre on the PET maximum"],
  ["[ / ]", "previous / next frame (dynamic PET)"],
];

export function HelpOverlay(props: { onClose: () => void }) {
  return (
    <div className="overlay">
      <div className="dialog" role="dialog" aria-label="Keyboard shortcuts" data-testid="help-overlay">
        <h2>Keyboard shortcuts</h2>
        <table className="shortcuts">
          <tbody>
            {SHORTCUTS.map(([k, v]) => (
              <tr key={k}>
                <td>
                  <kbd>{k}</kbd>
                </td>
                <td>{v}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <button type="button" onClick={props.onClose}>
          Close
        </button>
      </div>
    </div>
  );
}
