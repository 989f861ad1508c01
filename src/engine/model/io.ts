import * as tf from '@tensorflow/tfjs';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { HashingConfig, PresetName } from '../sessions/presets.ts';
import { GcnModel, PARAM_NAMES, type GcnConfig, type ParamName } from './gcn.ts';

export const MODEL_FORMAT = 'gumshoe-gcn/1';

/** A GCN with everything needed to turn sessions into the same embeddings again. */
export interface SessionModel {
  gcn: GcnModel;
  preset: PresetName;
  windowUs: number;
  hashing: HashingConfig;
  /** Backend the model was trained on, and its validation metrics (free-form JSON). */
  backend: string;
  metrics: Record<string, unknown>;
}

interface Meta {
  format: string;
  gcn: GcnConfig;
  preset: PresetName;
  windowUs: number;
  hashing: HashingConfig;
  backend: string;
  metrics: Record<string, unknown>;
}

/**
 * A tfjs IOHandler over a directory: model.json (topology + weights manifest, as tfjs writes it)
 * and weights.bin. Written here rather than with tfjs-node's file:// handler, which is absent
 * without the native binding; nothing touches the network.
 */
export function dirHandler(dir: string): tf.io.IOHandler {
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      mkdirSync(dir, { recursive: true });
      const data = artifacts.weightData;
      const bytes = data === undefined ? new Uint8Array(0) : new Uint8Array(tf.io.concatenateArrayBuffers(Array.isArray(data) ? data : [data]));
      writeFileSync(join(dir, 'weights.bin'), bytes);
      const modelJson = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        weightsManifest: [{ paths: ['./weights.bin'], weights: artifacts.weightSpecs ?? [] }],
        userDefinedMetadata: artifacts.userDefinedMetadata,
      };
      writeFileSync(join(dir, 'model.json'), JSON.stringify(modelJson, null, 1));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: bytes.byteLength } };
    },
    async load(): Promise<tf.io.ModelArtifacts> {
      const path = join(dir, 'model.json');
      if (!existsSync(path)) throw new Error(`no model.json in ${dir}`);
      const json = JSON.parse(readFileSync(path, 'utf8')) as {
        modelTopology: object;
        format?: string;
        generatedBy?: string;
        weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
        userDefinedMetadata?: Record<string, object>;
      };
      const specs = json.weightsManifest.flatMap((g) => g.weights);
      const buffers = json.weightsManifest.flatMap((g) => g.paths.map((p) => readFileSync(join(dir, p))));
      const weightData = tf.io.concatenateArrayBuffers(buffers.map((b) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer));
      return { modelTopology: json.modelTopology, format: json.format, generatedBy: json.generatedBy, weightSpecs: specs, weightData, userDefinedMetadata: json.userDefinedMetadata };
    },
  };
}

export async function saveModel(model: SessionModel, handler: tf.io.IOHandler): Promise<void> {
  const named = PARAM_NAMES.map((name) => ({ name, tensor: model.gcn.params[name] as tf.Tensor }));
  const { data, specs } = await tf.io.encodeWeights(named);
  const meta: Meta = { format: MODEL_FORMAT, gcn: model.gcn.config, preset: model.preset, windowUs: model.windowUs, hashing: model.hashing, backend: model.backend, metrics: model.metrics };
  await handler.save!({
    modelTopology: { class: 'GumshoeGCN', config: meta.gcn },
    format: MODEL_FORMAT,
    generatedBy: 'gumshoe',
    weightSpecs: specs,
    weightData: data,
    userDefinedMetadata: meta as unknown as Record<string, object>,
  });
}

export async function loadModel(handler: tf.io.IOHandler): Promise<SessionModel> {
  const art = await handler.load!();
  const meta = art.userDefinedMetadata as unknown as Meta | undefined;
  if (!meta || meta.format !== MODEL_FORMAT) throw new Error(`not a Gumshoe GCN model (format ${String(meta?.format)})`);
  const tensors = tf.io.decodeWeights(art.weightData!, art.weightSpecs!);
  const gcn = new GcnModel(meta.gcn);
  try {
    const weights = {} as Record<ParamName, Float32Array>;
    for (const n of PARAM_NAMES) {
      if (!tensors[n]) throw new Error(`model weights lack '${n}'`);
      weights[n] = tensors[n].dataSync() as Float32Array;
    }
    gcn.restore(weights);
  } catch (err) {
    gcn.dispose();
    throw err;
  } finally {
    for (const t of Object.values(tensors)) t.dispose();
  }
  return { gcn, preset: meta.preset, windowUs: meta.windowUs, hashing: meta.hashing, backend: meta.backend, metrics: meta.metrics };
}
