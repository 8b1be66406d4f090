/** Rewrites docs/api-reference.md from the miner API's OpenAPI document. */
import { writeFileSync } from 'node:fs';
import {
  openApiDocument,
  renderReference,
} from '../packages/miner-template/src/api/reference/render-reference.js';

const target = new URL('../docs/api-reference.md', import.meta.url);
writeFileSync(target, renderReference(await openApiDocument()));
process.stdout.write(`wrote ${target.pathname}\n`);
