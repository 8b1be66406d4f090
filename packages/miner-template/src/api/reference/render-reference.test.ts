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

  it('describes every field (a row ending in an empty description cell names the field)', async () => {
    const text = renderReference(await openApiDocument());
    const undescribed = text
      .split('\n')
      .filter((line) => line.startsWith('|') && line.endsWith('|  |'))
      .map((line) => /`([^`]+)`/.exec(line)?.[1]);
    expect(undescribed).toEqual([]);
  });

  it('gives processing_date a real date as its example, not one made up from the pattern', async () => {
    const examples: unknown[] = [];
    const walk = (node: unknown): void => {
      if (node === null || typeof node !== 'object') return;
      const props = (node as { properties?: Record<string, { example?: unknown }> }).properties;
      if (props?.processing_date) examples.push(props.processing_date.example);
      for (const value of Object.values(node)) walk(value);
    };
    walk(await openApiDocument());
    expect(examples.length).toBeGreaterThan(0);
    expect(new Set(examples)).toEqual(new Set(['2026-01-15']));
  });
});
