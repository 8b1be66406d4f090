/** Rewrites docs/wire-schemas.json from the zod wire schemas. */
import { writeFileSync } from 'node:fs';
import { wireJsonSchemaDocument } from '../packages/miner-template/src/schemas/json-schema.js';

const target = new URL('../docs/wire-schemas.json', import.meta.url);
writeFileSync(target, wireJsonSchemaDocument());
process.stdout.write(`wrote ${target.pathname}\n`);
