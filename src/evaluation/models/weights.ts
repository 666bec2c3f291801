// A PyTorch model's weights, whichever way they were saved: a .safetensors file, or the .pt/.pth
// zip that torch.save(model.state_dict()) writes (read without Python, see ./torch/pt).
import { extname } from 'node:path';
import { InputError } from '../errors';
import { NamedTensor, readSafetensorsFile } from './safetensors';
import { readTorchCheckpoint } from './torch/pt/load';

export interface StateDict {
  /** The weights file, for messages. */
  path: string;
  tensors: Map<string, NamedTensor>;
  /** Where the state dict sat in a checkpoint dict (`model`), when it did. */
  key: string | null;
}

export const WEIGHT_EXTENSIONS = ['.safetensors', '.pt', '.pth'];

export async function readStateDict(path: string, options: { stateDictKey?: string } = {}): Promise<StateDict> {
  const extension = extname(path).toLowerCase();
  if (extension === '.safetensors') {
    if (options.stateDictKey !== undefined) throw new InputError(path, null, '--state-dict-key chooses a state dict inside a .pt checkpoint; a .safetensors file is one state dict');
    return { path, tensors: readSafetensorsFile(path), key: null };
  }
  if (extension === '.pt' || extension === '.pth') return { path, ...(await readTorchCheckpoint(path, options)) };
  throw new InputError(path, null, `unknown weights format '${extension}': use a state dict saved as .pt/.pth (torch.save(model.state_dict(), "model.pt")) or .safetensors`);
}
