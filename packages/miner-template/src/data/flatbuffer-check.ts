/**
 * Bounds checks on a flatbuffer, in the manner of flatbuffers' C++ Verifier (the JavaScript
 * runtime has none): every table, vtable, vector and string lies inside the buffer, and the
 * number of tables visited is bounded by its size. The flatbuffers reader does not check any of
 * this, so a corrupted offset reads garbage, e.g. a vector length of millions where the buffer
 * holds 15 entries, and whatever is built from it grows with the garbage. What each table holds
 * is the caller's (arrow-ipc-check.ts); this module knows only the layout.
 */

/** A table's position and its vtable's, both checked. */
export interface FlatTable {
  readonly at: number;
  readonly vtable: number;
  readonly vtableSize: number;
  readonly size: number;
}

export class FlatbufferCheck {
  private readonly view: DataView;
  /** Tables left to visit: a buffer of n bytes cannot hold more than n / 4 distinct tables. */
  private budget: number;

  /** The flatbuffer is `bytes[start, end)`; `fail` raises the caller's error with a reason. */
  constructor(
    bytes: Uint8Array,
    readonly start: number,
    readonly end: number,
    readonly fail: (reason: string) => never,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.budget = Math.floor((end - start) / 4);
  }

  /** The root table. */
  root(): FlatTable {
    return this.table(this.start + this.u32(this.start, 'root offset'), 'root table');
  }

  /** The table at `at`, with its vtable inside the buffer and its fields inside the table. */
  table(at: number, what: string): FlatTable {
    if (--this.budget < 0) this.fail(`more tables than its ${this.end - this.start} bytes can hold`);
    const vtable = at - this.view.getInt32(this.inside(at, 4, what), true);
    this.inside(vtable, 4, `${what} vtable`);
    const vtableSize = this.view.getUint16(vtable, true);
    const size = this.view.getUint16(vtable + 2, true);
    if (vtableSize < 4 || vtableSize % 2 !== 0) this.fail(`${what} vtable has size ${vtableSize}`);
    this.inside(vtable, vtableSize, `${what} vtable`);
    if (size < 4) this.fail(`${what} has size ${size}`);
    this.inside(at, size, what);
    return { at, vtable, vtableSize, size };
  }

  /** Field `index`'s position if present, its `width` bytes inside the table. */
  field(table: FlatTable, index: number, width: number): number | undefined {
    const slot = 4 + 2 * index;
    if (slot >= table.vtableSize) return undefined;
    const offset = this.view.getUint16(table.vtable + slot, true);
    if (offset === 0) return undefined;
    if (offset + width > table.size) this.fail(`field ${index} lies outside its table`);
    return table.at + offset;
  }

  /** A scalar field read as an unsigned integer of `width` bytes (1, 2, 4), 0 when absent. */
  scalar(table: FlatTable, index: number, width: 1 | 2 | 4): number {
    const at = this.field(table, index, width);
    if (at === undefined) return 0;
    if (width === 1) return this.view.getUint8(at);
    return width === 2 ? this.view.getUint16(at, true) : this.view.getUint32(at, true);
  }

  /** A 64-bit scalar field as a number (exact up to 2^53, which bounds checks need no more than). */
  int64(table: FlatTable, index: number): number {
    const at = this.field(table, index, 8);
    return at === undefined ? 0 : this.int64At(at);
  }

  int64At(at: number): number {
    return Number(this.view.getBigInt64(this.inside(at, 8, 'int64'), true));
  }

  /** The target of an offset field (table, vector or string), checked to lie in the buffer. */
  private target(table: FlatTable, index: number): number | undefined {
    const at = this.field(table, index, 4);
    if (at === undefined) return undefined;
    return this.inside(at + this.u32(at, `field ${index}`), 4, `field ${index} target`);
  }

  /** A sub-table field, checked; undefined when absent. */
  child(table: FlatTable, index: number, what: string): FlatTable | undefined {
    const at = this.target(table, index);
    return at === undefined ? undefined : this.table(at, what);
  }

  /** A vector field: where its elements start and how many, all inside the buffer. */
  vector(table: FlatTable, index: number, elementWidth: number): { at: number; length: number } {
    const at = this.target(table, index);
    if (at === undefined) return { at: 0, length: 0 };
    const length = this.view.getUint32(at, true);
    if (length * elementWidth > this.end - at - 4)
      this.fail(`a vector of ${length} entries of ${elementWidth} bytes overruns the buffer`);
    return { at: at + 4, length };
  }

  /** A string field: its bytes inside the buffer. */
  string(table: FlatTable, index: number): void {
    this.vector(table, index, 1);
  }

  /** A vector of tables: each checked by `each`. */
  tables(table: FlatTable, index: number, what: string, each: (t: FlatTable) => void): number {
    const { at, length } = this.vector(table, index, 4);
    for (let i = 0; i < length; i++) {
      const slot = at + 4 * i;
      each(this.table(this.inside(slot + this.view.getUint32(slot, true), 4, what), what));
    }
    return length;
  }

  private u32(at: number, what: string): number {
    return this.view.getUint32(this.inside(at, 4, what), true);
  }

  /** `at`, once `[at, at + width)` is known to lie inside the buffer. */
  private inside(at: number, width: number, what: string): number {
    if (!(at >= this.start && at + width <= this.end))
      this.fail(`${what} at byte ${at - this.start} lies outside its ${this.end - this.start} bytes`);
    return at;
  }
}
