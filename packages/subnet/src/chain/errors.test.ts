import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ERRORS } from '../errors.js';

const CHAIN_CODES = Object.values(ERRORS).filter((d) => d.code.startsWith('AML_ERR_CHAIN_'));

const doc = readFileSync(fileURLToPath(new URL('../../../../docs/chain.md', import.meta.url)), 'utf8');

describe('chain error table', () => {
  it('is documented in docs/chain.md, code for code and status for status', () => {
    const rows = new Map(
      [...doc.matchAll(/^\|\s*`(AML_ERR_CHAIN_\w+)`\s*\|\s*(\d+)\s*\|/gm)].map(
        (m) => [m[1], Number(m[2])] as const,
      ),
    );
    const table = new Map(CHAIN_CODES.map((d) => [d.code, d.status] as const));
    expect(rows).toEqual(table);
  });
});
