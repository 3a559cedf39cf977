// Public surface of models/: Hugging Face checkpoint folders (config, safetensors index, weights, tokenizer, chat
// templates) for the graph builder, generation and services. Pure Node; nothing here touches ORT.
export { loadCheckpoint, GenerationConfig, type Checkpoint } from './checkpoint';
export { parseDecoderConfig, SUPPORTED_ARCHITECTURES, type Architecture, type DecoderConfig, type LayerType, type Llama3RopeScaling } from './config';
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
export { decoderTensors, expectedWeights, mapDecoderWeights, type DecoderLayerWeights, type DecoderWeights, type ExpectedWeight, type Linear } from './weights';
export { loadTokenizer, ModelTokenizer, type PromptInput, type SpecialToken, type SpecialTokens, type TokenizerFiles } from './tokenizer';
export { ChatTemplate, type ChatMessage, type ChatTemplateOptions } from './chat-template';
export { StreamDecoder, type DecodeFn } from './stream-decoder';
