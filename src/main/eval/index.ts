// The evaluation library's public API: scoring outputs against metric specs, and the statistics that compare
// configurations honestly (seeded resampling, exact tests where possible, Holm across effects). Pure: no I/O.
export { scoreExample } from './metrics/score';
export { aggregate } from './metrics/aggregate';
export { parseLabel, parseScore, scoreJudgeAnswer } from './metrics/judge';
export type { ParsedAnswer } from './metrics/judge';
export type { Aggregate, ExampleInput, ExampleScore, FieldAccuracy, ScoreDetail } from './metrics/types';
export { normalizeText } from './metrics/normalize';
export { parseJsonOutput, unfence } from './metrics/json-output';
export type { ParsedJson } from './metrics/json-output';
export { compileSchema } from './metrics/json';
export { chrf, CHRF_BETA, CHRF_CHAR_ORDER } from './metrics/chrf';
export type { ChrfResult } from './metrics/chrf';
export { rougeL, rougeTokens } from './metrics/rouge-l';
export type { RougeLResult } from './metrics/rouge-l';
export { confusionMatrix, macroF1, OTHER_LABEL } from './metrics/classification';
export type { Confusion } from './metrics/classification';

export { Rng } from './stats/prng';
export { mean, quantileSorted, wilsonInterval } from './stats/descriptive';
export { bootstrapMeanCI, bootstrapMeansCI, pairedBootstrapDiffCI } from './stats/bootstrap';
export type { BootstrapOptions, BootstrapResult } from './stats/bootstrap';
export { mcnemarFromCounts, mcnemarTest } from './stats/mcnemar';
export { pairedChange, type PairedChange } from './stats/paired-change';
export type { McNemarResult } from './stats/mcnemar';
export { pairedPermutationTest, signFlipTest } from './stats/permutation';
export type { PermutationOptions, PermutationResult } from './stats/permutation';
export { holm } from './stats/holm';
export { factorialAnalysis } from './stats/factorial';
export type { FactorialAnalysis, FactorialCell, FactorialEffect, SimpleEffect } from './stats/factorial';
export type { FactorialInput } from './stats/factorial-input';
export { simpleComparisons } from './stats/simple-comparisons';
export type { PairedTest, SimpleComparison } from './stats/simple-comparisons';
export { ablationVerdict, isSignificant } from './stats/verdict';
export type { VerdictOptions } from './stats/verdict';
export { cohensKappa, krippendorffAlpha } from './stats/agreement';
export { bradleyTerry, ELO_OFFSET, ELO_SCALE } from './stats/bradley-terry';
export type { Battle, BradleyTerryOptions, BradleyTerryResult, PlayerStrength } from './stats/bradley-terry';
