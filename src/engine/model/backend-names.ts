/**
 * The tfjs backends Gumshoe tries, best first. Apart from backend.ts so that the CLI can list and
 * check them without importing tfjs (~0.5 s) just to print --help.
 */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';
export const BACKENDS: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu'];
