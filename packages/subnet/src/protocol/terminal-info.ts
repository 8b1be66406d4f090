/**
 * TerminalInfo: what each end (dendrite = caller, axon = server) says about itself. Field names and
 * meanings are Bittensor's; `nonce` is a BigInt because Unix nanoseconds exceed 2^53.
 */
import { z } from 'zod';

export interface TerminalInfo {
  status_code?: number;
  status_message?: string;
  /** Seconds (float), as Bittensor reports it. */
  process_time?: number;
  ip?: string;
  port?: number;
  version?: number;
  /** Unix time in nanoseconds; never a float. */
  nonce?: bigint;
  uuid?: string;
  hotkey?: string;
  /** `0x` + hex of the 64-byte sr25519 signature. */
  signature?: string;
}

/** Field order of TerminalInfo in Bittensor's model (headers and JSON follow it). */
export const TERMINAL_FIELDS = [
  'status_code',
  'status_message',
  'process_time',
  'ip',
  'port',
  'version',
  'nonce',
  'uuid',
  'hotkey',
  'signature',
] as const satisfies readonly (keyof TerminalInfo)[];

const INTEGER_TEXT = /^-?\d+$/;

/** An integer that may arrive as a JSON number or a decimal string (headers are all strings). */
const intLike = z.union([
  z.number().int(),
  z
    .string()
    .regex(INTEGER_TEXT, 'expected an integer')
    .transform((s) => Number(s)),
]);

/** A float that may arrive as a JSON number or a string (Python's str(float)). */
const floatLike = z.union([
  z.number(),
  z
    .string()
    .refine((s) => s.trim() !== '' && Number.isFinite(Number(s)), 'expected a number')
    .transform((s) => Number(s)),
]);

/**
 * A nanosecond nonce: an integer string or bigint. A JSON number (Python's model_dump sends one) is
 * accepted but may have lost precision in JSON.parse: authentication reads the header, never this.
 */
const nonceLike = z.union([
  z.bigint(),
  z
    .string()
    .regex(/^\d+$/, 'expected a non-negative integer')
    .transform((s) => BigInt(s)),
  z
    .number()
    .nonnegative()
    .refine(Number.isFinite, 'expected a finite number')
    .transform((n) => BigInt(Math.round(n))),
]);

/** Null means "unset", as in Python's model_dump. */
function optional<T extends z.ZodType>(schema: T) {
  return z
    .union([schema, z.null()])
    .optional()
    .transform((v) => (v === null ? undefined : v));
}

export const TerminalInfoSchema = z.object({
  status_code: optional(intLike),
  status_message: optional(z.string()),
  process_time: optional(floatLike),
  ip: optional(z.string()),
  port: optional(intLike),
  version: optional(intLike),
  nonce: optional(nonceLike),
  uuid: optional(z.string()),
  hotkey: optional(z.string()),
  signature: optional(z.string()),
});

/** Drops undefined fields so results compare cleanly. */
export function compactTerminal(info: TerminalInfo): TerminalInfo {
  const out: TerminalInfo = {};
  for (const key of TERMINAL_FIELDS) {
    const v = info[key];
    if (v !== undefined) (out as Record<string, unknown>)[key] = v;
  }
  return out;
}
