/**
 * HTTP content codings between our dendrite and our axon (docs/protocol.md, "Negotiated
 * compression"). An axon says in every answer which codings it takes for request bodies
 * (`Accept-Encoding`, RFC 7694) and which `batch_arrow` codecs its miner API reads
 * (`aml-batch-arrow-codecs`); a dendrite asks for compressed answers with `Accept-Encoding` on its
 * requests. A peer that says nothing gets and sends plain bodies, so a Python axon or dendrite
 * never sees a coding it did not ask for.
 */
import { constants as bufferLimits } from 'node:buffer';
import { promisify } from 'node:util';
import { brotliDecompress, gunzip, gzip } from 'node:zlib';
import { amlError, ERRORS } from '../errors.js';

/** Content codings our axon decodes in request bodies, and our dendrite in answers. */
export const DECODABLE_CODINGS = ['gzip', 'br'] as const;
export type ContentCoding = (typeof DECODABLE_CODINGS)[number];
/** Response header naming the `batch_arrow` codecs an axon's miner API reads. */
export const BATCH_CODECS_HEADER = 'aml-batch-arrow-codecs';
/** Answers smaller than this go uncompressed: a coding's own bytes would outweigh the gain. */
export const MIN_COMPRESSED_BYTES = 1024;

const gunzipAsync = promisify(gunzip);
const brotliAsync = promisify(brotliDecompress);
const gzipAsync = promisify(gzip);

type HeaderValue = string | string[] | undefined;

/**
 * The codings a list header names with a nonzero weight (RFC 9110 §12.5.3), lower-cased;
 * `x-gzip` counts as gzip. Malformed members are skipped: the header is advice, never an error.
 */
export function parseCodingList(value: HeaderValue): Set<string> {
  const out = new Set<string>();
  const text = Array.isArray(value) ? value.join(',') : (value ?? '');
  for (const member of text.split(',')) {
    const [name, ...params] = member.split(';').map((p) => p.trim().toLowerCase());
    if (!name || !/^[a-z0-9!#$%&'*+.^_`|~-]+$/.test(name)) continue;
    const q = params.find((p) => p.startsWith('q='));
    if (q !== undefined && !(Number(q.slice(2)) > 0)) continue;
    out.add(name === 'x-gzip' ? 'gzip' : name);
  }
  return out;
}

/**
 * The one coding of a request or answer body: undefined for none or `identity`, else the name.
 * Stacked codings ("gzip, br") are refused by the caller as unsupported, by name.
 */
export function contentCodingOf(value: HeaderValue): string | undefined {
  const text = (Array.isArray(value) ? value.join(',') : (value ?? '')).trim().toLowerCase();
  if (text === '' || text === 'identity') return undefined;
  return text === 'x-gzip' ? 'gzip' : text;
}

export function isDecodable(coding: string): coding is ContentCoding {
  return (DECODABLE_CODINGS as readonly string[]).includes(coding);
}

/**
 * Decodes a body in `coding` on libuv's thread pool, holding at most `maxBytes` of output.
 * Throws AML_ERR_PROTOCOL_TOO_LARGE past the cap and AML_ERR_PROTOCOL_BODY for data that is not
 * in the coding it claims; each end maps these to its own answer.
 */
export async function decodeBody(raw: Buffer, coding: ContentCoding, maxBytes: number): Promise<Buffer> {
  const options = { maxOutputLength: Math.min(maxBytes, bufferLimits.MAX_LENGTH) };
  try {
    return coding === 'gzip' ? await gunzipAsync(raw, options) : await brotliAsync(raw, options);
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw amlError(ERRORS.AML_ERR_PROTOCOL_TOO_LARGE, [maxBytes], { maxBytes });
    }
    throw amlError(ERRORS.AML_ERR_PROTOCOL_BODY, [
      `Content-Encoding ${coding}, but the body is not ${coding} data (${(err as Error).message})`,
    ]);
  }
}

/**
 * A gzip member of `bytes`. Members concatenate into one valid gzip body (RFC 1952 §2.2), which
 * is how the dendrite compresses a shared batch once and only each axon's small envelope per axon.
 * Level 1: what is compressed is mostly base64 of an already compressed container, where all a
 * coder can win is base64's third, and level 1 wins it as well as level 9.
 */
export function gzipMember(bytes: Buffer): Promise<Buffer> {
  return gzipAsync(bytes, { level: 1 });
}

/** The answer gzip-compressed when the caller accepts gzip and it is worth it, else unchanged. */
export async function encodeAnswer(
  body: Buffer,
  acceptEncoding: HeaderValue,
): Promise<{ body: Buffer; coding?: 'gzip' }> {
  const accepted = parseCodingList(acceptEncoding);
  if (body.length < MIN_COMPRESSED_BYTES || !(accepted.has('gzip') || accepted.has('*'))) return { body };
  return { body: await gzipAsync(body), coding: 'gzip' };
}
