// Public surface of train/ (so far): PEFT adapter folders read and written (LORA, PROMPT_TUNING, Dovetail's lineage
// sidecar), the vLLM compatibility check, and the adapter-active check. Engine code: no electron, sqlite or services.
export {
  assertAdapterActive,
  defaultCanaries,
  measureAdapterEffect,
  DEFAULT_ADAPTER_THRESHOLD,
  type AdapterCheckOptions,
  type AdapterCheckReport,
} from './adapter-check';
export { readAdapterFolder, type AdapterFolder, type ReadAdapterOptions } from './adapter-folder';
export { writeFolderAtomically, type FileToWrite } from './atomic-folder';
export { checkLineageBase, Lineage, readLineage, verifyLineageFiles, type LineageInput } from './lineage';
export { resolveLoraPlan, type LoraModulePlan, type LoraPlan } from './lora-plan';
export {
  LoraConfigJson,
  parsePeftConfig,
  PromptTuningConfigJson,
  SUPPORTED_PEFT_TYPES,
  type LoraHyperParameters,
  type PeftConfigJson,
  type PromptTuningOptions,
} from './peft-config';
export {
  ADAPTER_BIN_FILE,
  ADAPTER_CONFIG_FILE,
  ADAPTER_WEIGHTS_FILE,
  LINEAGE_FILE,
  loraKey,
  modulePath,
  PROMPT_EMBEDDINGS,
  SOFT_PROMPT_SUBFOLDER,
} from './peft-names';
export { readPeftAdapter, type PeftAdapter, type PeftLora, type PeftPromptTuning } from './peft-read';
export {
  encodePeftLora,
  encodePeftPromptTuning,
  writeAdapterFolder,
  type AdapterToWrite,
  type PeftWriteOptions,
  type TrainedLora,
  type TrainedSoftPrompt,
} from './peft-write';
export { encodeSafetensors, float32ToF16Bits, type TensorToWrite, type WriteDtype } from './safetensors-write';
export {
  checkVllmCompatibility,
  checkVllmFolder,
  VLLM_DEFAULT_MAX_LORA_RANK,
  type VllmProblem,
  type VllmReport,
} from './vllm-check';
