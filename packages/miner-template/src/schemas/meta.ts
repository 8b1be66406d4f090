/** META.json of a batch folder: which files it holds, their md5s, and row counts (docs/data-contracts.md). */
import { z } from 'zod';
import { BatchKeySchema } from './batch.js';

import { TABLE_FORMATS } from './table-formats.js';

export { TABLE_FORMATS, type TableFormat } from './table-formats.js';

export const TableFileSchema = z.object({
  file: z.string().min(1),
  format: z.enum(TABLE_FORMATS),
  md5: z.string().regex(/^[0-9a-f]{32}$/, 'expected a lowercase hex md5'),
  bytes: z.number().int().nonnegative(),
  rows: z.number().int().nonnegative(),
});
export type TableFile = z.infer<typeof TableFileSchema>;

export const BATCH_SCHEMA_VERSION = 1;

export const BatchMetaSchema = BatchKeySchema.extend({
  schema_version: z.number().int().positive().default(BATCH_SCHEMA_VERSION),
  created_by: z.string().optional(),
  files: z.object({
    alerts: TableFileSchema,
    features: TableFileSchema,
    clusters: TableFileSchema,
    money_flows: TableFileSchema.optional(),
  }),
});
export type BatchMeta = z.infer<typeof BatchMetaSchema>;
