/**
 * Synthetic Cu-ATSM PET/CT studies with known truth (use case). The `atsm twin study` command is
 * in src/cli/commands/twin-study.ts; see docs/twin-oxygen.md.
 */
export { makeTwinStudy, type TwinStudyOptions, type TwinStudyResult } from "./write.js";
