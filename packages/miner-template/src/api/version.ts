/** The HTTP API's contract version (docs/api.md), reported by GET /version. Bump on a wire change. */
export const API_VERSION = '1.0.0';
