import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WIRE_SCHEMAS, wireJsonSchemaDocument, wireJsonSchemas } from './json-schema.js';

describe('docs/wire-schemas.json', () => {
  it('is what the zod schemas give (a wire change: update schemas/fast-rows.ts and data/table-columns.ts, then run node --import tsx scripts/gen-wire-schemas.ts)', () => {
    const committed = readFileSync(new URL('../../../../docs/wire-schemas.json', import.meta.url), 'utf8');
    expect(committed).toBe(wireJsonSchemaDocument());
  });

  it('holds every wire type, rows referred to by name from the batch', () => {
    const schemas = wireJsonSchemas();
    expect(Object.keys(schemas)).toEqual(Object.keys(WIRE_SCHEMAS));
    const alerts = (schemas.BatchRequest.properties as Record<string, { items?: { $ref?: string } }>).alerts;
    expect(alerts?.items?.$ref).toBe('Alert.schema.json');
    expect(schemas.Alert.required).toEqual(['alert_id', 'address']);
  });
});
