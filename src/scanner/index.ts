/** PET acquisition model: Gaussian PSF, voxel downsampling, count noise. */
export {
  type Acquisition,
  type AcquisitionOptions,
  SCANNERS,
  type ScannerModel,
  simulateAcquisition,
} from "./acquire.js";
export { blockAverage } from "./downsample.js";
export { addCountNoise, type CountNoiseOptions, correlateNoise, effectiveFrameS } from "./noise.js";
export { FWHM_PER_SIGMA, gaussianBlur, gaussianKernel } from "./psf.js";
