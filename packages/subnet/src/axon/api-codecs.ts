/**
 * Which `batch_arrow` codecs the proxy advertises (docs/protocol.md, negotiated compression): its
 * own (--axon.batch_codecs) that the miner API behind it also reads, as the API's GET /version says
 * (`accepts.batch_arrow_codecs`). The proxy hands batches to the API without re-encoding, so a
 * codec the API cannot read must never be advertised: an API that does not say gets gzip alone,
 * the protocol's default every reader takes. Asked at start, and again after a failed forward (the
 * API may have been replaced) or while the API has never answered.
 */
import { BATCH_ARROW_CODECS, type BatchArrowCodec } from '@aml/miner-template/data';
import { ApiAcceptsSchema } from '@aml/miner-template/schemas';
import type { Logger } from 'pino';
import { z } from 'zod';

/** GET /version as the proxy got it: not reached at all, or the body of any answer (undefined: not JSON or not 200). */
export type VersionReply = { reached: false } | { reached: true; body: unknown };

const VersionAccepts = z.object({ accepts: ApiAcceptsSchema });

/** The known batch codecs a GET /version body lists, or undefined when it lists none (an older or foreign API). */
export function listedBatchCodecs(body: unknown): BatchArrowCodec[] | undefined {
  const parsed = VersionAccepts.safeParse(body);
  if (!parsed.success) return undefined;
  const listed = new Set(parsed.data.accepts.batch_arrow_codecs);
  return BATCH_ARROW_CODECS.filter((c) => listed.has(c));
}

/** The proxy's codecs the API reads too; gzip always, the protocol's default. */
export function advertisable(
  own: readonly BatchArrowCodec[],
  api: readonly BatchArrowCodec[] | undefined,
): BatchArrowCodec[] {
  return BATCH_ARROW_CODECS.filter((c) => c === 'gzip' || (own.includes(c) && (api ?? []).includes(c)));
}

export class ApiCodecs {
  private current: readonly BatchArrowCodec[] = ['gzip'];
  private answered = false;
  private asking: Promise<void> | undefined;

  constructor(
    private readonly own: readonly BatchArrowCodec[],
    private readonly ask: () => Promise<VersionReply>,
    private readonly log: Logger,
  ) {}

  /** What to advertise now (gzip alone until the API has said more). */
  get codecs(): readonly BatchArrowCodec[] {
    return this.current;
  }

  /** Whether the API has answered GET /version yet (until then each request asks again). */
  get known(): boolean {
    return this.answered;
  }

  /** Asks the API, one question at a time; never throws. */
  refresh(): Promise<void> {
    this.asking ??= this.askOnce().finally(() => {
      this.asking = undefined;
    });
    return this.asking;
  }

  private async askOnce(): Promise<void> {
    let reply: VersionReply;
    try {
      reply = await this.ask();
    } catch {
      reply = { reached: false };
    }
    // An API that cannot be reached keeps what it said last: a restart is not a new API yet.
    if (!reply.reached) return;
    const first = !this.answered;
    this.answered = true;
    const listed = listedBatchCodecs(reply.body);
    const next = advertisable(this.own, listed);
    // said once when the API first answers (why brotli is or is not offered), then on changes
    if (!first && next.join() === this.current.join()) return;
    this.current = next;
    this.log.info(
      { batchCodecs: next, apiLists: listed ?? null, own: this.own },
      listed === undefined
        ? 'miner API does not list its batch_arrow codecs: advertising gzip only'
        : 'advertising the batch_arrow codecs the miner API reads',
    );
  }
}
