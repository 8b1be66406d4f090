/**
 * The template's layers (docs/architecture.md): a module may import its own layer and the layers
 * below it, never one above, and the template never imports the subnet. Test code is exempt.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  edge,
  type LayerRules,
  layerViolations,
  readImportGraph,
} from '../../../../scripts/import-layers.js';

const SRC = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');

/** Bottom up; keep in step with the table in docs/architecture.md. */
const RULES: LayerRules = {
  order: [
    ['errors', 'random'],
    ['schemas'],
    ['data'],
    ['graph', 'runtime'],
    ['synthetic'],
    ['foreign'],
    ['gbdt'],
    ['features'],
    ['models'],
    ['training'],
    ['tiers'],
    ['config'],
    ['api'],
    ['cli'],
    ['index'],
  ],
  forbiddenPackages: ['@aml/subnet'],
};

describe('the template layers', () => {
  it('src/ has no import from a lower layer to a higher one', () => {
    const edges = readImportGraph(SRC);
    expect(edges.length).toBeGreaterThan(500);
    expect(layerViolations(edges, RULES)).toEqual([]);
  });

  it('names the file and the import of each violation in a fixture graph', () => {
    const edges = [
      edge('models/index.ts', '../api/scoring-service.js'),
      edge('graph/core-numbers.ts', '../runtime/worker-entry.js'),
      edge('schemas/alert.ts', '@aml/subnet'),
      edge('data/batch.ts', '../../../subnet/src/index.js'),
      edge('scoring/tier1.ts', '../data/batch.js'),
      // allowed: downward, within a layer, another package, and test code importing upward
      edge('api/server.ts', '../models/scoring-service.js'),
      edge('gbdt/boosting/gbdt.ts', '../model.js'),
      edge('api/server.ts', 'fastify'),
      edge('data/arrow-container.test.ts', '../api/batch-body.js'),
    ];
    expect(layerViolations(edges, RULES)).toEqual([
      "src/models/index.ts imports '../api/scoring-service.js' (models → api): a higher layer",
      "src/graph/core-numbers.ts imports '../runtime/worker-entry.js' (graph → runtime): a sibling layer",
      "src/schemas/alert.ts imports '@aml/subnet': this package never imports @aml/subnet",
      "src/data/batch.ts imports '../../../subnet/src/index.js': outside src/",
      "src/scoring/tier1.ts imports '../data/batch.js': layer 'scoring' is in no layer order (add it to docs/architecture.md and the test)",
    ]);
  });

  describe('reading the graph from files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aml-layers-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const write = (file: string, text: string) => {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), text);
    };

    it('finds import, import type, export-from and dynamic import, and ignores comments and strings', () => {
      write(
        'data/low.ts',
        [
          "import { a } from '../schemas/a.js';",
          "import type { B } from '../api/b.js';",
          "export { c } from './c.js';",
          "export * from '../cli/d.js';",
          "// import { e } from '../api/e.js';",
          'const s = "import { f } from \'../api/f.js\'";',
          "export async function g() { return import('../models/g.js'); }",
          "import { z } from 'zod';",
          "import '../../outside.js';",
        ].join('\n'),
      );
      write('schemas/a.ts', 'export const a = 1;\n');
      const edges = readImportGraph(dir);
      expect(edges).toEqual([
        { file: 'data/low.ts', specifier: '../schemas/a.js', target: 'schemas/a.ts' },
        { file: 'data/low.ts', specifier: '../api/b.js', target: 'api/b.ts' },
        { file: 'data/low.ts', specifier: './c.js', target: 'data/c.ts' },
        { file: 'data/low.ts', specifier: '../cli/d.js', target: 'cli/d.ts' },
        { file: 'data/low.ts', specifier: '../models/g.js', target: 'models/g.ts' },
        { file: 'data/low.ts', specifier: 'zod' },
        { file: 'data/low.ts', specifier: '../../outside.js', target: '../outside.ts' },
      ]);
      expect(layerViolations(edges, RULES)).toEqual([
        "src/data/low.ts imports '../api/b.js' (data → api): a higher layer",
        "src/data/low.ts imports '../cli/d.js' (data → cli): a higher layer",
        "src/data/low.ts imports '../models/g.js' (data → models): a higher layer",
        "src/data/low.ts imports '../../outside.js': outside src/",
      ]);
    });
  });
});
