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
import { loadModels } from '../models/model-loader.js';
import { readModelMetadata } from '../models/model-metadata.js';
import { writeModelArtifacts } from './artifacts.js';

const SHIPPED = fileURLToPath(new URL('../../../../trained_models', import.meta.url));

describe('writeModelArtifacts', () => {
  it('adds one model beside the others, keeping their metadata, and the folder still serves all three', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aml-artifacts-'));
    try {
      await cp(SHIPPED, dir, { recursive: true });
      const before = await readModelMetadata(join(dir, 'model_metadata.json'));
      const model = readModelText(await readFile(join(SHIPPED, 'alert_scorer_v1.0.0.txt'), 'utf8'));
      const entry = { ...before.alert_scorer!, model_version: '1.1.0' };
      await writeModelArtifacts(dir, model, entry);
      const after = await readModelMetadata(join(dir, 'model_metadata.json'));
      expect(after.alert_scorer?.model_version).toBe('1.1.0');
      expect(after.alert_ranker).toEqual(before.alert_ranker);
      expect(after.cluster_scorer).toEqual(before.cluster_scorer);
      const loaded = await loadModels({ modelsDir: dir });
      try {
        expect(loaded.failures).toEqual([]);
        expect([
          loaded.alertScorer?.version,
          loaded.alertRanker?.version,
          loaded.clusterScorer?.version,
        ]).toEqual(['1.1.0', '1.0.0', '1.0.0']);
      } finally {
        await Promise.all([
          loaded.alertScorer?.model.close(),
          loaded.alertRanker?.model.close(),
          loaded.clusterScorer?.model.close(),
        ]);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
