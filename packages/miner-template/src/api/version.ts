/** The HTTP API's contract version (SPEC §2), reported by GET /version. Bump on a wire change. */
export const API_VERSION = '1.0.0';
