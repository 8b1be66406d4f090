/**
 * The axon's side of negotiated compression (docs/protocol.md): what it advertises on every
 * answer, which request codings it takes (415 otherwise, naming them, as RFC 7694 asks), and the
 * decoding of a compressed body under the same size cap as a plain one.
 */
import type { BatchArrowCodec } from '@aml/miner-template/data';
import { amlError, ERRORS, hasErrorCode } from '../errors.js';
import {
  BATCH_CODECS_HEADER,
  type ContentCoding,
  contentCodingOf,
  DECODABLE_CODINGS,
  decodeBody,
  isDecodable,
} from '../protocol/content-coding.js';

/** Headers on every synapse answer: the request codings taken and the batch codecs read. */
export function advertisedHeaders(batchCodecs: readonly BatchArrowCodec[]): Record<string, string> {
  return {
    'accept-encoding': DECODABLE_CODINGS.join(', '),
    [BATCH_CODECS_HEADER]: batchCodecs.join(', '),
  };
}

/** The request body's coding (undefined: plain), or a 415 naming the codings this axon takes. */
export function requestCoding(value: string | string[] | undefined): ContentCoding | undefined {
  const coding = contentCodingOf(value);
  if (coding === undefined || isDecodable(coding)) return coding;
  throw amlError(ERRORS.AML_ERR_PROTOCOL_CODING, [coding, DECODABLE_CODINGS.join(', ')]);
}

/** The decoded body: 400 when it is not in its coding, 413 past the body limit once decoded. */
export async function decodeRequestBody(
  raw: Buffer,
  coding: ContentCoding,
  maxBodyBytes: number,
  maxBodyMb: number,
): Promise<Buffer> {
  try {
    return await decodeBody(raw, coding, maxBodyBytes);
  } catch (err) {
    if (hasErrorCode(err, ERRORS.AML_ERR_PROTOCOL_TOO_LARGE)) {
      throw amlError(ERRORS.AML_ERR_AXON_BODY_TOO_LARGE, [maxBodyBytes, maxBodyMb]);
    }
    throw err;
  }
}
