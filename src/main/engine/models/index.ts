// Public surface of models/: Hugging Face checkpoint folders (config, safetensors index, weights, tokenizer, chat
// templates), the Llama-family graphs built from them (inference with KV cache and LoRA / soft-prompt hooks) and the
// ModelRunner that runs them through runtime/ (the only ORT importer).
export { loadCheckpoint, GenerationConfig, type Checkpoint } from './checkpoint';
export {
  parseDecoderConfig,
  SUPPORTED_ARCHITECTURES,
  type Architecture,
  type DecoderConfig,
  type LayerType,
  type Llama3RopeScaling,
} from './config';
export { ropeCosSin, ropeInverseFrequencies, type RopeSettings } from './rope';
export {
  DTYPE_BYTES,
  parseSafetensorsHeader,
  readSafetensorsHeader,
  readTensorIndex,
  type SafetensorsFile,
  type TensorDtype,
  type TensorIndex,
  type TensorInfo,
} from './safetensors';
export { f16BitsToNumber, readTensorF32, readTensorRowsF32, toFloat32 } from './tensor-data';
export {
  decoderTensors,
  expectedWeights,
  mapDecoderWeights,
  type DecoderLayerWeights,
  type DecoderWeights,
  type ExpectedWeight,
  type Linear,
} from './weights';
export {
  loadTokenizer,
  ModelTokenizer,
  type PromptInput,
  type SpecialToken,
  type SpecialTokens,
  type TokenizerFiles,
} from './tokenizer';
export { ChatTemplate, type ChatMessage, type ChatTemplateOptions } from './chat-template';
export { StreamDecoder, type DecodeFn } from './stream-decoder';
export {
  emitDecoder,
  emitLmHead,
  emitRmsNorm,
  type DecoderInputs,
  type DecoderModel,
  type DecoderOutputs,
} from './decoder-graph';
export {
  decomposedAttention,
  splitHeads,
  type AttentionBuilder,
  type AttentionInputs,
  type KeyValue,
} from './attention';
export { GraphWeights } from './graph-weights';
export {
  addedName,
  buildInferenceGraph,
  DIMS,
  LOGITS,
  NUM_LOGITS_TO_KEEP,
  pastName,
  presentName,
  SOFT_PROMPT,
  type InferenceGraphOptions,
} from './inference-graph';
export {
  declareLoraDropoutInputs,
  declareLoraInputs,
  emitLoraDelta,
  LORA_MODULES,
  loraModules,
  SEPARATE_PROJECTIONS,
  loraParametersPerRank,
  LORA_SCALING,
  loraFeatures,
  LORA_DROPOUT_SCALE,
  loraDropoutMaskName,
  loraFeeds,
  loraInputName,
  loraScaling,
  type LoraAdapter,
  type LoraDropoutHooks,
  type LoraHooks,
  type LoraModule,
  type LoraPair,
  type LoraWeights,
} from './lora';
export { KvStep, type TokenFeeder } from './kv-step';
export {
  DEFAULT_ATTENTION,
  ModelRunner,
  type ForwardInputs,
  type RunnerModel,
  type RunnerOptions,
  type Specialization,
} from './model-runner';
