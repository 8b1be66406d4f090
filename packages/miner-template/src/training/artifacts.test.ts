/**
 * Training one model into a folder that holds the others must keep their model_metadata.json
 * entries: the ranker's entry carries its extra feature columns, and without it `serve` refuses the
 * ranker (issue 14: "ranker unloaded after train scorer --output-dir").
 */
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readModelText } from '../gbdt/text/index.js';
import { closeModels, loadModels } from '../models/model-loader.js';
import { readModelMetadata } from '../models/model-metadata.js';
import { writeModelArtifacts } from './artifacts.js';

const SHIPPED = fileURLToPath(new URL('../../../../trained_models', import.meta.url));
/** The shipped models' version (all three share it), read from the folder rather than written here. */
const shippedVersion = async () =>
  (await readModelMetadata(join(SHIPPED, 'model_metadata.json'))).alert_scorer!.model_version;

describe('writeModelArtifacts', () => {
  it('adds one model beside the others, keeping their metadata, and the folder still serves all three', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aml-artifacts-'));
    try {
      await cp(SHIPPED, dir, { recursive: true });
      const before = await readModelMetadata(join(dir, 'model_metadata.json'));
      const shipped = await shippedVersion();
      const model = readModelText(await readFile(join(SHIPPED, `alert_scorer_v${shipped}.txt`), 'utf8'));
      const entry = { ...before.alert_scorer!, model_version: '9.9.9' };
      await writeModelArtifacts(dir, model, entry);
      const after = await readModelMetadata(join(dir, 'model_metadata.json'));
      expect(after.alert_scorer?.model_version).toBe('9.9.9');
      expect(after.alert_ranker).toEqual(before.alert_ranker);
      expect(after.cluster_scorer).toEqual(before.cluster_scorer);
      const loaded = await loadModels({ modelsDir: dir });
      try {
        expect(loaded.failures).toEqual([]);
        expect([
          loaded.alertScorer?.version,
          loaded.alertRanker?.version,
          loaded.clusterScorer?.version,
        ]).toEqual(['9.9.9', shipped, shipped]);
      } finally {
        await closeModels(loaded);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
