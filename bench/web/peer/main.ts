/**
 * The peer of bench/web.ts: a bare NiiVue page (no app, no API, no auth) that loads the same two
 * gzipped NIfTI volumes the Workbench viewer loads (fetched once from the Workbench API and served
 * statically next to this page) as CT grey + PET "hot" overlay in the multiplanar layout, and sets
 * `window.__peerFirstRender` (ms since navigation start) on the first animation frame after both
 * volumes are loaded and drawn.
 */
import { Niivue, SHOW_RENDER } from "@niivue/niivue";

declare global {
  interface Window {
    __peerFirstRender?: number;
  }
}

const canvas = document.getElementById("gl");
if (!(canvas instanceof HTMLCanvasElement)) throw new Error("no canvas");
// The same display settings as the Workbench viewer (web/src/viewer/fused.ts): multiplanar with the
// three slice tiles (no 3-D render tile, as the viewer opens) and a colour bar.
const nv = new Niivue({
  backColor: [0.06, 0.07, 0.09, 1],
  show3Dcrosshair: true,
  isColorbar: true,
  multiplanarShowRender: SHOW_RENDER.NEVER,
  logLevel: "error",
});
await nv.attachToCanvas(canvas);
nv.setSliceType(nv.sliceTypeMultiplanar);
await nv.loadVolumes([
  { url: "./ct.nii.gz", colormap: "gray", cal_min: -160, cal_max: 240 },
  { url: "./pet.nii.gz", colormap: "hot", cal_min: 0, cal_max: 5, opacity: 0.6 },
]);
nv.drawScene();
requestAnimationFrame(() => {
  window.__peerFirstRender = performance.now();
});
