import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { codesByString, documentedErrors, tableErrors } from '../../../scripts/error-docs.js';
import { AmlError, amlError, ERRORS } from './errors.js';

const DOC = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');

describe('the error table', () => {
  it('is the only place that spells a code: the library compares entries with hasErrorCode', () => {
    expect(codesByString(new URL('.', import.meta.url).pathname)).toEqual([]);
  });

  it('is docs/errors.md row for row: code, status and message, no row missing or stale', () => {
    expect(documentedErrors(DOC, '@aml/miner-template')).toEqual(tableErrors(ERRORS));
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
