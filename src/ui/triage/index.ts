export { TriagePanel } from './triage-panel';
