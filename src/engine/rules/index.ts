// Public face of the rule engine: the built-in ATT&CK pack, Sigma import, and the runner.
export type { AttemptPolicy, Rule, RuleHit, RuleMeta, Matcher } from './types.ts';
export { SEVERITY_RANK, attemptSeverityFor } from './types.ts';
export { outcomeOf, isAttempt } from './outcome.ts';
export { isPublicAddress } from './address.ts';
export { loadBuiltinRules } from './builtin/index.ts';
export { loadSigmaRules, parseSigmaRule, techniquesFromTags, type SigmaRule, type SigmaLoadError } from './sigma/load.ts';
export { exampleEvents, blankEvent } from './sigma/example.ts';
export { SIGMA_FIELDS } from './sigma/fields.ts';
export { runRules, streamRules, streamRulesAsync } from './engine.ts';
export { getPath, podSpecs } from './fields.ts';
