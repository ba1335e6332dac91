/**
 * Hypoxia quantification core (pure; no I/O). API:
 *
 * VOIs (`voi/`):
 * - `parseVoiSpec(text)`, `formatVoiSpec(spec)`, `VOI_GRAMMAR`, `voiMaskPaths(spec)`, `voiNeedsReference(spec)`
 * - `rasterizeVoi(spec, {volume, masks?, scale?, referenceMeanNative?, supersample?})` → `VoiRaster`
 * - `sphereVoi`, `boxVoi`, `maskToVoi`, `thresholdVoi`, `componentVoi`, `growVoi` (building blocks)
 * - `maskToGrid(mask, grid)` (nearest-neighbour label resampling, e.g. CT-grid mask → PET grid)
 * - `voiToMask(voi, label)`, `voiToWeights(voi)`, `voiBoundingBox(voi)`, `voiCentroidMm(voi)`
 * Metrics:
 * - `computeVoiMetrics(volume, voi, {scale?})` → `VoiMetrics` (SUV/Bq/mL max, mean, min, SD, peak, volume, total)
 * - `peakSearch(data, voi)` (SUVpeak, 1 cm³ sphere, row-prefix-sum algorithm), `PEAK_SPHERE_RADIUS_MM`
 * - `valueScaleFor(unit, suvPerBqPerMl)` → `ValueScale`
 * Ratios, hypoxia, prognosis, frames:
 * - `tumourToReference(tumourMetrics, referenceMetrics)` → T/Mmax, T/Mmean, T/Mpeak + reference spec/statistic
 * - `hypoxicVolume(volume, tumourVoi, {spec, meanNative}, {cutoffTm, binWidthTm?})` → volume, fraction, histogram
 * - `PROGNOSIS_PRESETS`, `parseCutoff(text)`, `customPreset(v)`, `classifyPrognosis(preset, tmr, scan)`
 * - `sumFrameWindow(dynamic, {startS, endS, halfLifeS, referenceTimeS?})` → static Volume, decay handled
 * Whole pipeline:
 * - `quantifyHypoxia({volume, tumor, reference, suvPerBqPerMl?, masks?, cutoff?, scan?})` → `QuantifyResult`
 */
export * from "./frames.js";
export * from "./hypoxic.js";
export * from "./metrics.js";
export * from "./peak.js";
export * from "./prognosis.js";
export * from "./quantify.js";
export * from "./ratio.js";
export * from "./scale.js";
export * from "./voi/raster.js";
export * from "./voi/resample.js";
export * from "./voi/resolve.js";
export * from "./voi/select.js";
export * from "./voi/spec.js";
