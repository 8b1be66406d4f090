/**
 * The package's one error table (in the manner of Fastify's lib/errors.js): every error the
 * template can raise has a stable code `AML_ERR_<AREA>_<WHAT>`, an HTTP status for the API, and a
 * message template. docs/errors.md lists them all; a test keeps the two in step.
 */

export interface AmlErrorDefinition {
  readonly code: string;
  readonly status: number;
  readonly message: string;
}

/** An error with a stable code, an HTTP status and optional structured details (ids, paths). */
export class AmlError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details?: unknown;

  constructor(def: AmlErrorDefinition, message: string, details?: unknown, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AmlError';
    this.code = def.code;
    this.status = def.status;
    this.details = details;
  }
}

/**
 * One table entry; every error table in the project (this one and the subnet's) builds its entries
 * with it. The code's literal type is kept, so `ERRORS.X.code` is a constant to compare against.
 */
export function defineError<C extends string>(
  code: C,
  status: number,
  message: string,
): AmlErrorDefinition & { readonly code: C } {
  return Object.freeze({ code, status, message });
}

const define = defineError;

/** Fills `%s` placeholders in order. */
function format(template: string, args: readonly unknown[]): string {
  let i = 0;
  return template.replace(/%s/g, () => String(args[i++]));
}

/** Builds an AmlError from a table entry; `args` fill the message template. */
export function amlError(
  def: AmlErrorDefinition,
  args: readonly unknown[] = [],
  details?: unknown,
  cause?: unknown,
): AmlError {
  return new AmlError(def, format(def.message, args), details, cause === undefined ? undefined : { cause });
}

export function isAmlError(err: unknown): err is AmlError {
  return err instanceof AmlError;
}

/**
 * Whether `err` carries the code of a table entry: codes are compared through the table, never as
 * string literals. It reads `code` off any object, so an error built by another copy of this module
 * (a package's dist beside its source) still matches.
 */
export function hasErrorCode(err: unknown, def: AmlErrorDefinition): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === def.code;
}

export const ERRORS = {
  // schemas / batch integrity
  AML_ERR_SCHEMA_INVALID: define('AML_ERR_SCHEMA_INVALID', 400, 'invalid %s: %s'),
  AML_ERR_BATCH_INTEGRITY: define('AML_ERR_BATCH_INTEGRITY', 422, 'batch integrity check failed: %s'),
  // batch I/O
  AML_ERR_IO_NOT_FOUND: define('AML_ERR_IO_NOT_FOUND', 404, 'not found: %s'),
  AML_ERR_IO_MD5_MISMATCH: define('AML_ERR_IO_MD5_MISMATCH', 422, 'md5 mismatch for %s: expected %s, got %s'),
  AML_ERR_IO_FORMAT: define('AML_ERR_IO_FORMAT', 400, 'cannot read %s: %s'),
  AML_ERR_IO_DOWNLOAD: define('AML_ERR_IO_DOWNLOAD', 502, 'download failed for %s: %s'),
  // gbdt
  AML_ERR_GBDT_PARAM: define('AML_ERR_GBDT_PARAM', 400, 'invalid GBDT parameter %s: %s'),
  AML_ERR_GBDT_MODEL_FORMAT: define('AML_ERR_GBDT_MODEL_FORMAT', 400, 'cannot read model: %s'),
  AML_ERR_GBDT_UNSUPPORTED: define('AML_ERR_GBDT_UNSUPPORTED', 400, 'unsupported model feature: %s'),
  AML_ERR_GBDT_DATA: define('AML_ERR_GBDT_DATA', 400, 'invalid training data: %s'),
  // models / features
  AML_ERR_MODEL_NOT_LOADED: define('AML_ERR_MODEL_NOT_LOADED', 503, 'model %s is not loaded'),
  AML_ERR_MODEL_FEATURE_MISMATCH: define(
    'AML_ERR_MODEL_FEATURE_MISMATCH',
    500,
    'feature mismatch for model %s: %s',
  ),
  AML_ERR_MODEL_LOAD_FAILED: define('AML_ERR_MODEL_LOAD_FAILED', 500, 'cannot serve a model file: %s'),
  // api
  AML_ERR_API_BODY_TOO_LARGE: define(
    'AML_ERR_API_BODY_TOO_LARGE',
    413,
    'request body exceeds %s bytes (%s MB): raise the limit with --body-limit-mb or AML_BODY_LIMIT_MB, or send the batch as batch_arrow',
  ),
  AML_ERR_API_UNSUPPORTED_MEDIA: define('AML_ERR_API_UNSUPPORTED_MEDIA', 415, 'unsupported content-type %s'),
  AML_ERR_API_MALFORMED_BODY: define('AML_ERR_API_MALFORMED_BODY', 400, 'malformed request body: %s'),
  AML_ERR_API_ARROW_FORMAT: define('AML_ERR_API_ARROW_FORMAT', 400, 'invalid Arrow batch body: %s'),
  AML_ERR_API_NOT_FOUND: define('AML_ERR_API_NOT_FOUND', 404, 'no route %s %s'),
  AML_ERR_API_BAD_REQUEST: define('AML_ERR_API_BAD_REQUEST', 400, 'bad request: %s'),
  AML_ERR_API_INTERNAL: define('AML_ERR_API_INTERNAL', 500, 'internal error (request id %s)'),
  // configuration / cli
  AML_ERR_CONFIG_INVALID: define('AML_ERR_CONFIG_INVALID', 400, 'invalid configuration: %s'),
  AML_ERR_CONFIG_PORT_IN_USE: define(
    'AML_ERR_CONFIG_PORT_IN_USE',
    409,
    'address %s is already in use (another process listens there: stop it or choose another port)',
  ),
  // commander's usage errors (unknown command or option, missing or invalid value), as one line
  AML_ERR_CLI_USAGE: define('AML_ERR_CLI_USAGE', 400, '%s'),
} as const satisfies Record<string, AmlErrorDefinition>;

export type AmlErrorCode = keyof typeof ERRORS;
