// Adapter folders read for generation (experiments run one specialization over many batches): kept by folder and
// content hash (the registry's, weights included), the most recent few, so a batch does not re-read and re-verify
// the safetensors, and a folder whose files changed is read again.
import type { DecoderConfig, Specialization } from '../models';
import type { AdapterFolderRef } from '../generation-protocol';
import { readAdapterFolder, type AdapterFolder } from '../train';

const KEEP = 8;

export class LoadedAdapters {
  private readonly folders = new Map<string, Promise<AdapterFolder>>();

  /** The LoRA of the folder marked `lora` and the soft prompt of the one marked `softPrompt`. */
  async specialization(
    refs: readonly AdapterFolderRef[],
    model: DecoderConfig,
    modelHash: string,
  ): Promise<Specialization> {
    const parts = await Promise.all(refs.map((ref) => this.one(ref, model, modelHash)));
    return {
      adapter: parts.find((p) => p.adapter)?.adapter ?? null,
      softPrompt: parts.find((p) => p.softPrompt)?.softPrompt ?? null,
    };
  }

  private async one(ref: AdapterFolderRef, model: DecoderConfig, modelHash: string): Promise<Specialization> {
    const key = `${modelHash}\u0000${ref.folder}\u0000${ref.contentHash ?? ''}`;
    let read = this.folders.get(key);
    if (!read) {
      read = readAdapterFolder(
        ref.folder,
        model,
        ref.baseContentHash === undefined ? {} : { baseContentHash: ref.baseContentHash },
      );
      read.catch(() => this.folders.delete(key));
      this.folders.set(key, read);
      while (this.folders.size > KEEP) this.folders.delete(this.folders.keys().next().value as string);
    }
    const folder = await read;
    return {
      adapter: ref.lora ? (folder.specialization.adapter ?? null) : null,
      softPrompt: ref.softPrompt ? (folder.specialization.softPrompt ?? null) : null,
    };
  }
}
