/**
 * The batch as multipart/form-data: one part per table, each part one plain Arrow IPC stream (what
 * pyarrow's `ipc.new_stream` or arrow-js's `tableToIPC(t, 'stream')` writes), named alerts,
 * features, clusters or money_flows, so an ordinary Arrow client needs no container of ours. An
 * optional text part `explain` ("false") asks for no explanations. Parsed with the platform's own
 * FormData reader (undici's, built into Node), so there is no multipart code of ours to get wrong.
 */
import { type DecodedArrowBatch, decodeArrowTables } from '../data/arrow-batch.js';
import { CONTAINER_TABLES, type ContainerTable } from '../data/arrow-container.js';
import { arrowFormatError } from '../data/arrow-format-error.js';
import type { ScoreOptions } from '../models/model-contract.js';
import { MULTIPART_CONTENT_TYPE } from './content-types.js';

export { MULTIPART_CONTENT_TYPE };

async function readForm(body: Buffer, contentType: string): Promise<FormData> {
  try {
    // The cast: Node's Buffer is a BodyInit at run time, but the DOM typings a browser test adds
    // to the same compilation do not say so.
    return await new Response(body as unknown as ConstructorParameters<typeof Response>[0], {
      headers: { 'content-type': contentType },
    }).formData();
  } catch {
    throw arrowFormatError(
      'the multipart body cannot be parsed (is the boundary in the content-type right?)',
    );
  }
}

function explainPart(value: string | Blob): ScoreOptions {
  const text = typeof value === 'string' ? value.trim().toLowerCase() : '';
  if (text === 'false' || text === '0') return { explain: false };
  if (text === 'true' || text === '1') return { explain: true };
  throw arrowFormatError('the explain part must be "true" or "false"');
}

/** Decodes the parts into the same tables the Arrow container gives. */
export async function decodeMultipartBatch(
  body: Buffer,
  contentType: string,
): Promise<{ decoded: DecodedArrowBatch; options: ScoreOptions }> {
  const form = await readForm(body, contentType);
  const frames = new Map<ContainerTable, Uint8Array>();
  let options: ScoreOptions = {};
  // forEach, not for…of: FormData is iterable in Node's typings but not in the DOM ones.
  const parts: [string, string | Blob][] = [];
  form.forEach((value, name) => {
    parts.push([name, value]);
  });
  for (const [name, value] of parts) {
    if (name === 'explain') {
      options = explainPart(value);
      continue;
    }
    if (!(CONTAINER_TABLES as readonly string[]).includes(name)) {
      throw arrowFormatError(
        `unknown part ${JSON.stringify(name)}; expected ${CONTAINER_TABLES.join(', ')} or explain`,
      );
    }
    if (frames.has(name as ContainerTable))
      throw arrowFormatError(`part ${JSON.stringify(name)} appears twice`);
    if (typeof value === 'string') {
      throw arrowFormatError(`part ${JSON.stringify(name)} must be a file part holding an Arrow IPC stream`);
    }
    frames.set(name as ContainerTable, new Uint8Array(await value.arrayBuffer()));
  }
  return { decoded: decodeArrowTables(() => frames), options };
}
