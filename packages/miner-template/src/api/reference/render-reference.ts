/**
 * Renders the OpenAPI document the server publishes (/openapi.json, itself generated from the zod
 * schemas) as the Markdown API reference in docs/api-reference.md. The file is generated: a test
 * fails when it is out of date, and `node --import tsx scripts/gen-api-reference.ts` rewrites it.
 */
import type { ScoringService } from '../../models/scoring-service.js';
import { createServer } from '../server.js';

type Json = Record<string, unknown>;

const noModels: ScoringService = {
  health: () => ({ alert_scorer: false, alert_ranker: false, cluster_scorer: false }),
  versions: () => ({ alert_scorer: null, alert_ranker: null, cluster_scorer: null }),
  scoreAlerts: async () => [],
  rankAlerts: async () => [],
  scoreClusters: async () => [],
};

/** The document as the server serves it. */
export async function openApiDocument(): Promise<Json> {
  const app = await createServer({ service: noModels, logger: false });
  try {
    await app.ready();
    return app.swagger() as unknown as Json;
  } finally {
    await app.close();
  }
}

function typeOf(schema: Json | undefined): string {
  if (!schema) return 'any';
  if (schema.$ref) return String(schema.$ref).split('/').pop() ?? 'object';
  if (Array.isArray(schema.anyOf) || Array.isArray(schema.oneOf)) {
    const parts = ((schema.anyOf ?? schema.oneOf) as Json[]).map(typeOf);
    return [...new Set(parts)].join(' \\| ');
  }
  if (Array.isArray(schema.enum))
    return (schema.enum as unknown[]).map((v) => `\`${JSON.stringify(v)}\``).join(' \\| ');
  if (schema.type === 'array') return `${typeOf(schema.items as Json)}[]`;
  if (Array.isArray(schema.type)) return (schema.type as string[]).join(' \\| ');
  return String(schema.type ?? 'object');
}

function fieldsTable(schema: Json | undefined, depth = 0): string[] {
  const target = schema?.type === 'array' ? (schema.items as Json) : schema;
  const props = target?.properties as Record<string, Json> | undefined;
  if (!props) return [];
  const required = new Set((target?.required as string[] | undefined) ?? []);
  const lines: string[] = [];
  for (const [name, prop] of Object.entries(props)) {
    const desc = String(prop.description ?? '')
      .replace(/\n/g, ' ')
      .replace(/\|/g, '\\|');
    lines.push(
      `| ${'&nbsp;&nbsp;'.repeat(depth)}\`${name}\` | ${typeOf(prop)} | ${required.has(name) ? 'yes' : ''} | ${desc} |`,
    );
    if (depth < 1) lines.push(...fieldsTable(prop.type === 'array' ? (prop.items as Json) : prop, depth + 1));
  }
  return lines;
}

export function renderReference(doc: Json): string {
  const info = doc.info as Json;
  const out: string[] = [
    "<!-- Generated from the server's OpenAPI document by scripts/gen-api-reference.ts. Do not edit. -->",
    `# API reference — ${String(info?.title ?? 'miner API')} ${String(info?.version ?? '')}`.trimEnd(),
    '',
    'Every route the miner API serves, with its request and response fields, generated from the same zod',
    'schemas that validate requests. Semantics, errors and the Arrow encoding are described in [api.md](api.md).',
    '',
  ];
  const paths = doc.paths as Record<string, Record<string, Json>>;
  for (const path of Object.keys(paths).sort()) {
    for (const [method, op] of Object.entries(paths[path])) {
      out.push(`## ${method.toUpperCase()} \`${path}\``, '');
      if (op.summary) out.push(String(op.summary), '');
      if (op.description) out.push(String(op.description).trim(), '');
      const body = ((op.requestBody as Json | undefined)?.content as Record<string, Json> | undefined) ?? {};
      for (const [mime, content] of Object.entries(body)) {
        out.push(
          `Request body (\`${mime}\`):`,
          '',
          '| field | type | required | description |',
          '| --- | --- | --- | --- |',
        );
        out.push(...fieldsTable(content.schema as Json), '');
      }
      const responses = (op.responses as Record<string, Json> | undefined) ?? {};
      for (const status of Object.keys(responses).sort()) {
        const r = responses[status];
        const content = (r.content as Record<string, Json> | undefined)?.['application/json'];
        out.push(`Response ${status}${r.description ? ` — ${String(r.description)}` : ''}:`, '');
        const rows = fieldsTable(content?.schema as Json | undefined);
        if (rows.length)
          out.push('| field | type | required | description |', '| --- | --- | --- | --- |', ...rows);
        else out.push(`\`${typeOf(content?.schema as Json | undefined)}\``);
        out.push('');
      }
    }
  }
  return `${out.join('\n').trimEnd()}\n`;
}
