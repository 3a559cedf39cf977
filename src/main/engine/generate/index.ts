// Public surface of generate/: decoding settings, logits processors and sampler, stopping criteria and the batched
// generation loop. Pure Node; the model step (ORT, KV cache) is injected by the runtime layer.
export { generate, type GenerateOptions, type GenerationResult, type StepFunction, type StepInput } from './generate';
export { attentionMask, leftPad, positionIds, toRows, PADDED_POSITION_ID, type Int64Tensor } from './inputs';
export {
  applyMinP,
  applyRepetitionPenalty,
  applyTemperature,
  applyTopK,
  applyTopP,
  argmax,
  sampleToken,
  softmax,
} from './logits';
export { DOVETAIL_STREAM, Pcg32 } from './random';
export { type GenerationTokenizer, type TextStreamDecoder, type TokenEvent } from './row';
export { CandidateSet } from './candidates';
export { Sampler, type SamplingSettings } from './sampler';
export { kthLargest } from './select';
export {
  canonicalDecodingSettings,
  DecodingSettings,
  eosTokenIds,
  parseDecodingSettings,
  type DecodingSettingsInput,
} from './settings';
export {
  StopStringMatcher,
  tokenFinishReason,
  type FinishReason,
  type StopStringResult,
  type TokenCriteria,
} from './stopping';
