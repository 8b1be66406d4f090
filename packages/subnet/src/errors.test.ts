import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERRORS } from './errors.js';

// As Fastify does for its errors: every code in the table is documented, and docs/protocol.md
// lists no subnet code that no longer exists.
const docsDir = join(import.meta.dirname, '..', '..', '..', 'docs');
const docs = readdirSync(docsDir)
  .filter((f) => f.endsWith('.md'))
  .map((f) => readFileSync(join(docsDir, f), 'utf8'))
  .join('\n');

describe('subnet error table', () => {
  it('documents every code', () => {
    for (const code of Object.keys(ERRORS)) expect(docs, code).toContain(`\`${code}\``);
  });
  it('documents no stale protocol, axon or wallet code', () => {
    const protocolDoc = readFileSync(join(docsDir, 'protocol.md'), 'utf8');
    const listed = [...protocolDoc.matchAll(/`(AML_ERR_(?:PROTOCOL|AXON|WALLET|DENDRITE)_[A-Z_]+)`/g)].map(
      (m) => m[1],
    );
    for (const code of listed) expect(Object.keys(ERRORS), code).toContain(code);
  });
  it('has codes equal to their keys and sane statuses', () => {
    for (const [key, def] of Object.entries(ERRORS)) {
      expect(def.code).toBe(key);
      expect(def.status).toBeGreaterThanOrEqual(400);
      expect(def.status).toBeLessThan(600);
    }
  });
});

describe('docs/errors.md', () => {
  const page = readFileSync(join(docsDir, 'errors.md'), 'utf8');
  const sections = page.split('\n## ');
  const subnet = sections.find((s) => s.startsWith('@aml/subnet\n'))!;
  const chain = sections.find((s) => s.startsWith('@aml/subnet chain client'))!;

  it('lists every subnet and chain code with its status, and no stale one', async () => {
    const { CHAIN_ERRORS } = await import('./chain/errors.js');
    for (const [text, table] of [
      [subnet, ERRORS],
      [chain, CHAIN_ERRORS],
    ] as const) {
      for (const def of Object.values(table)) {
        expect(text, def.code).toMatch(new RegExp(`\\| \`${def.code}\` \\| ${def.status} \\|`));
      }
      for (const code of text.match(/AML_ERR_[A-Z0-9_]+/g) ?? []) expect(Object.keys(table)).toContain(code);
    }
  });
});
