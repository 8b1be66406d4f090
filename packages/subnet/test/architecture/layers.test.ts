/**
 * The subnet's layers (docs/architecture.md): protocol → wallet → chain → axon/ and dendrite/
 * → validator → the command lines. A module may import its own layer and the layers below it, never
 * one above. The CLI programs sit in the cli layer wherever their files live. Test code is exempt.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  defaultLayerOf,
  edge,
  type LayerRules,
  layerViolations,
  readImportGraph,
} from '../../../../scripts/import-layers.js';

const SRC = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');

const CLI_FILES = new Set([
  'axon/cli-program.ts',
  'validator/cli-program.ts',
  'validator/dashboard/command.ts',
]);

/** Bottom up; keep in step with the table in docs/architecture.md. */
const RULES: LayerRules = {
  order: [
    ['errors'],
    ['protocol'],
    ['wallet'],
    ['chain'],
    ['axon', 'dendrite'],
    ['validator'],
    ['cli'],
    ['index'],
  ],
  layerOf: (file) => (CLI_FILES.has(file) ? 'cli' : defaultLayerOf(file)),
};

/**
 * The template layers the subnet may import (docs/architecture.md): never the root or the server
 * layers, so its bins do not load Fastify, Swagger or onnxruntime-node.
 */
// `validation` is the old name of `tiers`, kept until the validator's cycle steps move to the new one
const TEMPLATE_ENTRIES = ['errors', 'schemas', 'data', 'synthetic', 'tiers', 'cli'].map(
  (layer) => `@aml/miner-template/${layer}`,
);

describe('the subnet layers', () => {
  const edges = readImportGraph(SRC);

  it('src/ has no import from a lower layer to a higher one', () => {
    expect(edges.length).toBeGreaterThan(300);
    expect(layerViolations(edges, RULES)).toEqual([]);
  });

  it('imports the template only through the layer entries it needs', () => {
    const template = edges.filter((e) => e.specifier.startsWith('@aml/miner-template'));
    expect(template.length).toBeGreaterThan(40);
    const outside = template.filter((e) => !TEMPLATE_ENTRIES.includes(e.specifier));
    expect(outside.map((e) => `src/${e.file} imports '${e.specifier}'`)).toEqual([]);
  });

  it('names the file and the import of each violation in a fixture graph', () => {
    const edges = [
      edge('axon/chain-link.ts', './cli-program.js'),
      edge('chain/weights.ts', '../validator/scoring/weights.js'),
      edge('dendrite/dendrite.ts', '../axon/metrics.js'),
      // allowed: downward, the cli layer importing a validator module, another package
      edge('axon/chain-link.ts', '../chain/chain-client.js'),
      edge('validator/cli-program.ts', './neuron.js'),
      edge('protocol/synapse.ts', '@aml/miner-template'),
    ];
    expect(layerViolations(edges, RULES)).toEqual([
      "src/axon/chain-link.ts imports './cli-program.js' (axon → cli): a higher layer",
      "src/chain/weights.ts imports '../validator/scoring/weights.js' (chain → validator): a higher layer",
      "src/dendrite/dendrite.ts imports '../axon/metrics.js' (dendrite → axon): a sibling layer",
    ]);
  });
});
