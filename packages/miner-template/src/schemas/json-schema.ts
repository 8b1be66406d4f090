/**
 * The wire contract as JSON Schema, derived from the zod schemas with zod's own `toJSONSchema`:
 * what a producer may send (the input side: decimal strings, nulls, letter case), for readers that
 * do not run TypeScript. `docs/wire-schemas.json` is this document, committed; a test fails when a
 * zod schema changes without it, which is also the reminder to check the hand-written fast paths
 * (schemas/fast-rows.ts, data/table-columns.ts) that copy the schemas' meaning.
 * Refinements (a score in [0, 1], an integer count) are checks in code, not JSON Schema keywords:
 * docs/data-contracts.md says them in words.
 */
import { z } from 'zod';
import { AddressLabelSchema } from './address-label.js';
import { AlertSchema } from './alert.js';
import {
  AlertRankSchema,
  AlertScoreSchema,
  ClusterScoreSchema,
  ErrorBodySchema,
  HealthSchema,
  VersionSchema,
} from './api.js';
import { BatchKeySchema, BatchRequestSchema, ScoringRequestSchema } from './batch.js';
import { ClusterSchema } from './cluster.js';
import { FeatureRowSchema } from './features.js';
import { BatchMetaSchema } from './meta.js';
import { MoneyFlowSchema } from './money-flow.js';

/** Every wire type by the name it has in the document. */
export const WIRE_SCHEMAS = {
  Alert: AlertSchema,
  Cluster: ClusterSchema,
  MoneyFlow: MoneyFlowSchema,
  FeatureRow: FeatureRowSchema,
  AddressLabel: AddressLabelSchema,
  BatchKey: BatchKeySchema,
  BatchMeta: BatchMetaSchema,
  BatchRequest: BatchRequestSchema,
  ScoringRequest: ScoringRequestSchema,
  AlertScore: AlertScoreSchema,
  AlertRank: AlertRankSchema,
  ClusterScore: ClusterScoreSchema,
  Health: HealthSchema,
  Version: VersionSchema,
  ErrorBody: ErrorBodySchema,
} as const satisfies Record<string, z.ZodType>;

export type WireSchemaName = keyof typeof WIRE_SCHEMAS;

/**
 * One JSON Schema (draft 2020-12) per wire type, what each accepts as input; a type built from
 * another (a batch's rows) refers to it by `$ref` to `<Name>.schema.json` instead of a copy.
 */
export function wireJsonSchemas(): Record<WireSchemaName, Record<string, unknown>> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(WIRE_SCHEMAS)) registry.add(schema as z.ZodType, { id });
  return z.toJSONSchema(registry, { io: 'input', uri: (id) => `${id}.schema.json` }).schemas as Record<
    WireSchemaName,
    Record<string, unknown>
  >;
}

/** The committed document's text: the schemas by name, two-space indent, trailing newline. */
export function wireJsonSchemaDocument(): string {
  const document = {
    $comment:
      'Generated from the zod schemas of packages/miner-template/src/schemas by scripts/gen-wire-schemas.ts. Do not edit.',
    schemas: wireJsonSchemas(),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
