import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BACKENDS, type BackendName } from './backend-names.ts';

export { BACKENDS, type BackendName };

const require = createRequire(import.meta.url);

/** Loads tfjs-node-gpu, then tfjs-node; each registers the 'tensorflow' backend when its native binding is there. */
function loadNative(): string | null {
  for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    try {
      require(pkg);
      if (tf.findBackend('tensorflow')) return pkg;
    } catch {
      // Optional: its install script is denied here, so the binding is usually absent.
    }
  }
  return null;
}

let wasmReady = false;
function prepareWasm(): void {
  if (wasmReady) return;
  // The .wasm binaries ship inside the npm package: point tfjs at them so nothing is fetched.
  const dist = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
  setWasmPaths(`${pathToFileURL(dist).pathname}/`);
  wasmReady = true;
}

async function tryBackend(name: BackendName): Promise<boolean> {
  try {
    if (name === 'tensorflow' && !tf.findBackend('tensorflow') && !loadNative()) return false;
    if (name === 'wasm') prepareWasm();
    return await tf.setBackend(name);
  } catch {
    return false;
  }
}

/**
 * Selects the backend: `preferred` if given (an error when it cannot load), else the first of
 * tensorflow → wasm → cpu that loads. Returns the name actually in use, which every run records.
 */
export async function selectBackend(preferred?: BackendName): Promise<BackendName> {
  if (preferred) {
    if (!BACKENDS.includes(preferred)) throw new Error(`unknown backend '${String(preferred)}' (tensorflow, wasm, cpu)`);
    if (!(await tryBackend(preferred))) throw new Error(`backend '${preferred}' could not be loaded`);
    await tf.ready();
    return preferred;
  }
  for (const b of BACKENDS) {
    if (await tryBackend(b)) {
      await tf.ready();
      return b;
    }
  }
  throw new Error('no TensorFlow.js backend could be loaded');
}
