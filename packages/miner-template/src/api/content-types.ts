/** The request content types the miner API parses besides JSON (plugins/arrow-body.ts). */

/** The batch container of data/arrow-container.ts, posted as the body (docs/protocol.md). */
export const ARROW_CONTENT_TYPE = 'application/vnd.apache.arrow.stream';
/** One plain Arrow IPC stream per table as multipart/form-data parts (multipart-body.ts). */
export const MULTIPART_CONTENT_TYPE = 'multipart/form-data';
