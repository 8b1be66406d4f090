/** docs/api.md's error table and the error table in src/errors.ts stay in step for the API's codes. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ERRORS } from '../errors.js';

const DOC = readFileSync(fileURLToPath(new URL('../../../../docs/api.md', import.meta.url)), 'utf8');
/** Codes the HTTP layer can answer with: its own, plus the request-path ones it maps. */
const API_CODES = Object.keys(ERRORS).filter(
  (code) =>
    code.startsWith('AML_ERR_API_') ||
    ['AML_ERR_SCHEMA_INVALID', 'AML_ERR_BATCH_INTEGRITY', 'AML_ERR_MODEL_NOT_LOADED'].includes(code),
);

describe('docs/api.md error table', () => {
  it('documents every code the API answers with, with its status', () => {
    for (const code of API_CODES) {
      const status = ERRORS[code as keyof typeof ERRORS].status;
      expect(DOC, code).toMatch(new RegExp(`\\|\\s*${status}\\s*\\|\\s*\`${code}\``));
    }
  });

  it('names no code that does not exist', () => {
    const named = new Set(DOC.match(/AML_ERR_[A-Z_]+/g) ?? []);
    for (const code of named) expect(Object.keys(ERRORS), code).toContain(code);
  });
});
