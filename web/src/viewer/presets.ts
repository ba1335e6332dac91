/** Display presets: CT window/level (HU) and PET ranges (SUV, or T/M when shown relative to muscle). */

export interface CtPreset {
  readonly name: string;
  readonly widthHu: number;
  readonly levelHu: number;
}
export const CT_PRESETS: readonly CtPreset[] = [
  { name: "Soft tissue", widthHu: 400, levelHu: 40 },
  { name: "Lung", widthHu: 1500, levelHu: -600 },
  { name: "Bone", widthHu: 2000, levelHu: 400 },
];

export interface PetPreset {
  readonly name: string;
  /** Upper end; null = automatic (robust max of the image). */
  readonly max: number | null;
}
export const SUV_PRESETS: readonly PetPreset[] = [
  { name: "Auto", max: null },
  { name: "0–3", max: 3 },
  { name: "0–5", max: 5 },
  { name: "0–10", max: 10 },
];
export const TM_PRESETS: readonly PetPreset[] = [
  { name: "Auto", max: null },
  { name: "0–2", max: 2 },
  { name: "0–3", max: 3 },
  { name: "0–5", max: 5 },
];
export const PET_COLORMAPS = ["hot", "warm", "ge_color", "nih", "inferno", "plasma"] as const;
/** PET transparency floors (fraction of the range maximum); 0.4 by default. */
export const PET_FLOORS = [0, 0.1, 0.2, 0.25, 0.3, 0.4, 0.5] as const;
export const DEFAULT_PET_FLOOR = 0.4;
