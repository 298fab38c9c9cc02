export { type BriefingOptions, buildBriefingModel } from './build-model';
export { customPeriods, defaultPeriods } from './periods';
export { type BriefingFiles, renderBriefing, totalBytes } from './render-files';
export { BRIEFING_CSP } from './render-page';
export { BriefingRefused } from './tables';
export type { BriefingModel, Narrative, Period } from './types';
