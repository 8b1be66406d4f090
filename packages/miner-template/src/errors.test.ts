import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AmlError, amlError, ERRORS } from './errors.js';

const DOC = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');
const section = DOC.split('\n## ').find((s) => s.startsWith('@aml/miner-template'))!;

describe('the error table', () => {
  it('is documented in docs/errors.md, each code with its status, and the docs name no stale code', () => {
    for (const def of Object.values(ERRORS)) {
      expect(section, def.code).toMatch(new RegExp(`\\| \`${def.code}\` \\| ${def.status} \\|`));
    }
    for (const code of section.match(/AML_ERR_[A-Z0-9_]+/g) ?? [])
      expect(Object.keys(ERRORS)).toContain(code);
  });

  it('keys every entry by its own code, and fills the message template in order', () => {
    for (const [key, def] of Object.entries(ERRORS)) expect(def.code).toBe(key);
    const err = amlError(ERRORS.AML_ERR_IO_MD5_MISMATCH, ['alerts.parquet', 'aa', 'bb'], {
      file: 'alerts.parquet',
    });
    expect(err).toBeInstanceOf(AmlError);
    expect(err.message).toBe('md5 mismatch for alerts.parquet: expected aa, got bb');
    expect(err.status).toBe(422);
    expect(err.details).toEqual({ file: 'alerts.parquet' });
  });
});
