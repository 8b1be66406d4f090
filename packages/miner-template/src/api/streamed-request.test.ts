/**
 * StreamedRequest against requestFromBody on the parsed text: for random bodies (valid, invalid,
 * tables of the wrong kind, batch_arrow and explain members, bad JSON), cut into random chunks and
 * grouped in tiny groups, the same Batch or the same error (code, message, details).
 */
import fc from 'fast-check';
import secureJson from 'secure-json-parse';
import { describe, expect, it } from 'vitest';
import { encodeBatchArrowField } from '../data/arrow-container.js';
import { featureTableToRows } from '../data/feature-table.js';
import { isAmlError } from '../errors.js';
import { bodyArb, canon, cellArb, validBodyArb } from '../schemas/wire-arbitraries.test-support.js';
import { generateBatch } from '../synthetic/index.js';
import { requestFromBody } from './batch-body.js';
import { StreamedRequest } from './streamed-request.js';

const LIMIT = 1 << 30;
const MALFORMED =
  "malformed request body: Body is not valid JSON but content-type is set to 'application/json'";

type Outcome = { ok: true; value: string } | { ok: false; code: string; message: string; details: unknown };

async function outcomeOf(run: () => unknown): Promise<Outcome> {
  try {
    return { ok: true, value: canon(await run()) };
  } catch (err) {
    if (!isAmlError(err)) throw err;
    return { ok: false, code: err.code, message: err.message, details: err.details };
  }
}

function streamed(text: string, cuts: number[], group: number, limit = LIMIT) {
  const request = new StreamedRequest(limit, group);
  const bytes = Buffer.from(text);
  let at = 0;
  for (const cut of [...cuts, bytes.length]) {
    const next = Math.min(bytes.length, at + cut);
    request.push(bytes.subarray(at, next));
    at = next;
  }
  return request.finish();
}

/** What Fastify's parser and then requestFromBody make of the same text. */
async function expected(text: string, limit = LIMIT): Promise<Outcome> {
  let body: unknown;
  try {
    // Fastify's JSON parser: secure-json-parse, refusing poisoned prototypes
    body = secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch {
    return { ok: false, code: 'AML_ERR_API_MALFORMED_BODY', message: MALFORMED, details: undefined };
  }
  return outcomeOf(() => requestFromBody(body, limit));
}

const cuts = fc.array(fc.integer({ min: 1, max: 64 }), { maxLength: 20 });
const rarely = <T>(arb: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });
const withOptions = fc
  .tuple(
    fc.oneof(bodyArb, validBodyArb, validBodyArb),
    rarely(fc.oneof(fc.boolean(), cellArb)),
    rarely(fc.constantFrom('', 'AAAA', 42)),
  )
  .map(([body, explain, arrow]) =>
    typeof body === 'object' && body !== null && !Array.isArray(body)
      ? { ...body, explain, batch_arrow: arrow }
      : body,
  );

describe('StreamedRequest equals requestFromBody on the parsed body', () => {
  it('on random bodies, whatever the chunks and groups', async () => {
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(withOptions, cuts, fc.integer({ min: 1, max: 200 }), async (body, c, group) => {
        // a wire body is JSON text: bigints (which the arbitraries hold) are sent as numbers
        const text = JSON.stringify(body, (_, v) => (typeof v === 'bigint' ? Number(v) : v)) ?? 'null';
        const want = await expected(text);
        const got = await outcomeOf(() => streamed(text, c, group));
        expect(got).toEqual(want);
        if (got.ok) accepted++;
      }),
      { numRuns: 600 },
    );
    expect(accepted).toBeGreaterThan(30);
  });

  it('a generated batch, and the same batch as batch_arrow, scores the same Batch', async () => {
    const { batch } = generateBatch({
      network: 'torus',
      date: '2026-01-01',
      windowDays: 7,
      alerts: 300,
      seed: 3,
    });
    const body = {
      alerts: batch.alerts,
      // NaN cells are written as null by JSON.stringify
      features: featureTableToRows(batch.features),
      clusters: batch.clusters,
      money_flows: batch.money_flows,
      explain: false,
    };
    const text = JSON.stringify(body);
    expect(canon(await streamed(text, [7, 1000, 33], 4096))).toEqual(
      canon(requestFromBody(JSON.parse(text), LIMIT)),
    );
    const arrow = JSON.stringify({ batch_arrow: encodeBatchArrowField(batch), name: 'AmlScoringSynapse' });
    expect(canon(await streamed(arrow, [100, 5], 1 << 20))).toEqual(
      canon(requestFromBody(JSON.parse(arrow), LIMIT)),
    );
  });

  it('refuses an empty body and bad JSON as Fastify does', async () => {
    const empty = await outcomeOf(() => streamed('', [], 16));
    expect(empty.ok === false && [empty.code, empty.message]).toEqual([
      'AML_ERR_API_MALFORMED_BODY',
      expect.stringContaining("Body cannot be empty when content-type is set to 'application/json'"),
    ]);
    for (const text of ['{"alerts": [}', '{"alerts": []', '{"alerts": []} x', '{"alerts": [1,]}', '[1,']) {
      const got = await outcomeOf(() => streamed(text, [3], 16));
      expect(got.ok === false && [got.code, got.message]).toEqual([
        'AML_ERR_API_MALFORMED_BODY',
        expect.stringContaining("Body is not valid JSON but content-type is set to 'application/json'"),
      ]);
    }
  });
});

describe('batch_arrow streamed from the JSON body', () => {
  it('batch_arrow with JSON escapes (\\/, \\u00XX) decodes as JSON.parse reads it', async () => {
    const { batch } = generateBatch({
      network: 'torus',
      date: '2026-01-01',
      windowDays: 7,
      alerts: 30,
      seed: 9,
    });
    const field = encodeBatchArrowField(batch);
    for (const every of [0, 1, 7]) {
      const text = `{"batch_arrow": "${jsonEscaped(field, every)}", "name": "AmlScoringSynapse"}`;
      expect(canon(await streamed(text, [1, 2, 3, 5, 8, 13, 21, 34, 55, 89], 1 << 20))).toEqual(
        canon(requestFromBody(JSON.parse(text), LIMIT)),
      );
    }
  });
});

/** The field's characters as JSON string content: some `/` as `\/`, some letters as `\u00XX`. */
function jsonEscaped(text: string, every: number): string {
  if (every === 0) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (i % every !== 0) out += c;
    else if (c === '/') out += '\\/';
    else out += `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  }
  return out;
}
