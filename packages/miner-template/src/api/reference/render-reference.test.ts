import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openApiDocument, renderReference } from './render-reference.js';

describe('docs/api-reference.md', () => {
  it("is what the server's OpenAPI document renders to (regenerate: node --import tsx scripts/gen-api-reference.ts)", async () => {
    const committed = readFileSync(new URL('../../../../../docs/api-reference.md', import.meta.url), 'utf8');
    expect(committed).toBe(renderReference(await openApiDocument()));
  });

  it('documents every scoring route with its alert fields', async () => {
    const text = renderReference(await openApiDocument());
    for (const route of ['/score/alerts', '/rank/alerts', '/score/clusters', '/health', '/version']) {
      expect(text).toContain(`\`${route}\``);
    }
    expect(text).toMatch(/`alert_confidence_score`/);
  });
});
