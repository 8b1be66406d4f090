import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codesByString, documentedErrors, tableErrors } from '../../../scripts/error-docs.js';
import { ERRORS } from './errors.js';

// As Fastify does for its errors: every code in the table is documented, and docs/protocol.md
// lists no subnet code that no longer exists.
const docsDir = join(import.meta.dirname, '..', '..', '..', 'docs');
const docs = readdirSync(docsDir)
  .filter((f) => f.endsWith('.md'))
  .map((f) => readFileSync(join(docsDir, f), 'utf8'))
  .join('\n');

describe('subnet error table', () => {
  it('is the only place that spells a code: the library compares entries with hasErrorCode', () => {
    expect(codesByString(import.meta.dirname)).toEqual([]);
  });
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

  it('is the table row for row: code, status and message, no row missing or stale', () => {
    expect(documentedErrors(page, '@aml/subnet')).toEqual(tableErrors(ERRORS));
  });
});
