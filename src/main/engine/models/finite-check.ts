// Finds NaN and Inf in safetensors tensors by their bit patterns (exponent all ones), reading each tensor in chunks,
// so a damaged model or adapter is refused by name (file, tensor, element) before it produces NaN logits that would
// look like an engine bug or an "inactive" adapter. Node fs only.
import { basename } from 'node:path';
import { UserError } from '../../../shared/errors';
import { openRegular } from './bounded-read';
import { DTYPE_BYTES, type TensorInfo } from './safetensors';

const CHUNK_BYTES = 16 * 1024 * 1024;

export interface NonFinite {
  readonly tensor: TensorInfo;
  /** Flat (C-order) index of the first bad element. */
  readonly index: number;
  readonly value: 'NaN' | 'Inf';
}

/**
 * The first NaN/Inf element of these tensors (in the order given), or null when all are finite. `checkpoint` runs
 * between chunks (the worker's cancel point).
 */
export async function findNonFinite(
  tensors: readonly TensorInfo[],
  checkpoint: () => Promise<void> = async () => undefined,
): Promise<NonFinite | null> {
  const buffer = new Uint8Array(CHUNK_BYTES);
  const byFile = new Map<string, TensorInfo[]>();
  for (const t of tensors) byFile.set(t.path, [...(byFile.get(t.path) ?? []), t]);
  for (const [path, list] of byFile) {
    const opened = await openRegular(path, 'model-safetensors');
    if (!opened) continue; // a missing file is reported by the loader, with its own message
    try {
      for (const t of list) {
        const width = DTYPE_BYTES[t.dtype];
        for (let done = 0; done < t.length;) {
          await checkpoint();
          const length = Math.min(CHUNK_BYTES, t.length - done);
          const { bytesRead } = await opened.handle.read(buffer, 0, length, t.offset + done);
          if (bytesRead < width) break; // truncation is the loader's finding
          const usable = bytesRead - (bytesRead % width);
          const hit = scan(t.dtype, buffer.subarray(0, usable));
          if (hit !== null) return { tensor: t, index: done / width + hit.index, value: hit.value };
          done += usable;
        }
      }
    } finally {
      await opened.handle.close();
    }
  }
  return null;
}

/** Throws a UserError naming the file and tensor holding the first NaN/Inf. */
export async function assertFinite(
  tensors: readonly TensorInfo[],
  what: 'model' | 'adapter',
  checkpoint?: () => Promise<void>,
): Promise<void> {
  const bad = await findNonFinite(tensors, checkpoint);
  if (!bad) return;
  const { tensor, index, value } = bad;
  throw new UserError(
    `${basename(tensor.path)}: tensor "${tensor.name}" holds ${value} (element ${index} of [${tensor.shape.join(', ')}]).`,
    {
      where: tensor.path,
      hint:
        what === 'model'
          ? 'The weights are damaged (or the checkpoint was saved after training diverged); download or copy the ' +
            'model again.'
          : 'The adapter was saved after its training diverged (NaN/Inf weights); train it again with a lower ' +
            'learning rate, or export it again.',
      code: what === 'model' ? 'model-nonfinite' : 'adapter-nonfinite',
    },
  );
}

function scan(dtype: TensorInfo['dtype'], bytes: Uint8Array): { index: number; value: 'NaN' | 'Inf' } | null {
  if (dtype === 'F32') {
    const words = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    for (let i = 0; i < words.length; i++) {
      const w = words[i] as number;
      if ((w & 0x7f800000) === 0x7f800000) return { index: i, value: (w & 0x007fffff) === 0 ? 'Inf' : 'NaN' };
    }
    return null;
  }
  // F16: 5 exponent bits (0x7c00), 10 mantissa; BF16: 8 exponent bits (0x7f80), 7 mantissa.
  const [exponent, mantissa] = dtype === 'F16' ? [0x7c00, 0x03ff] : [0x7f80, 0x007f];
  const halves = new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 2);
  for (let i = 0; i < halves.length; i++) {
    const h = halves[i] as number;
    if ((h & exponent) === exponent) return { index: i, value: (h & mantissa) === 0 ? 'Inf' : 'NaN' };
  }
  return null;
}
