/**
 * Finds a model's files in the models directory: `{name}_v{semver}.txt` (LightGBM text, required:
 * it carries the trees TreeSHAP walks and the feature names) and `{name}_v{semver}.onnx` beside it
 * (optional: exported at load when absent). The highest semantic version wins.
 */
import { readdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { ModelName } from '../schemas/api.js';

export interface ModelFiles {
  name: ModelName;
  version: string;
  textPath: string;
  onnxPath?: string;
}

const FILE_PATTERN = /^(alert_scorer|alert_ranker|cluster_scorer)_v(\d+)\.(\d+)\.(\d+)\.(txt|onnx)$/;

function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/** The newest version of `name` in `dir`, or undefined when there is no text model for it. */
export async function findModelFiles(dir: string, name: ModelName): Promise<ModelFiles | undefined> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  let best: { parts: number[]; version: string } | undefined;
  const onnx = new Set<string>();
  for (const entry of entries) {
    const m = FILE_PATTERN.exec(entry);
    if (!m || m[1] !== name) continue;
    const version = `${m[2]}.${m[3]}.${m[4]}`;
    if (m[5] === 'onnx') {
      onnx.add(version);
      continue;
    }
    const parts = [Number(m[2]), Number(m[3]), Number(m[4])];
    if (!best || compareVersions(parts, best.parts) > 0) best = { parts, version };
  }
  if (!best) {
    // An .onnx with no .txt beside it is a file the miner meant to serve, not an absent model:
    // report it so the loader can refuse it loudly instead of starting degraded.
    const orphan = [...onnx].sort()[0];
    return orphan === undefined
      ? undefined
      : {
          name,
          version: orphan,
          textPath: join(dir, `${name}_v${orphan}.txt`),
          onnxPath: join(dir, `${name}_v${orphan}.onnx`),
        };
  }
  const stem = join(dir, `${name}_v${best.version}`);
  return {
    name,
    version: best.version,
    textPath: `${stem}.txt`,
    ...(onnx.has(best.version) ? { onnxPath: `${stem}.onnx` } : {}),
  };
}

/** Model files for an explicit path override (`.txt`, or `.onnx` with its `.txt` beside it). */
export function modelFilesFromPath(name: ModelName, path: string): ModelFiles {
  const file = basename(path);
  const m = /_v(\d+\.\d+\.\d+)\.(txt|onnx)$/.exec(file);
  const version = m?.[1] ?? '0.0.0';
  const stem = join(dirname(path), file.replace(/\.(txt|onnx)$/, ''));
  return path.endsWith('.onnx')
    ? { name, version, textPath: `${stem}.txt`, onnxPath: path }
    : { name, version, textPath: path };
}

export function modelFileStem(name: ModelName, version: string): string {
  return `${name}_v${version}`;
}
