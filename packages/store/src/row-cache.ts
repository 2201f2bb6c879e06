/**
 * @module An in-memory cache of rows by id, for a store only one process writes (embedded PGlite). Every write
 * invalidates the id; a read fills the cache only if no write touched the id while it was in flight
 * (generation check), so a slow read cannot put back a row that a write just replaced.
 */
export class RowCache<Row> {
  readonly #rows = new Map<string, Row>();
  readonly #generations = new Map<string, number>();

  constructor(readonly maxEntries = 20_000) {}

  get(id: string): Row | undefined {
    return this.#rows.get(id);
  }

  generation(id: string): number {
    return this.#generations.get(id) ?? 0;
  }

  /** Stores `row` unless `id` was invalidated since `generation` was read. */
  set(id: string, row: Row, generation: number): void {
    if (this.generation(id) !== generation) return;
    if (this.#rows.size >= this.maxEntries) {
      const oldest = this.#rows.keys().next().value;
      if (oldest !== undefined) this.#rows.delete(oldest);
    }
    this.#rows.set(id, row);
  }

  invalidate(id: string): void {
    this.#rows.delete(id);
    this.#generations.set(id, this.generation(id) + 1);
    // Generations only matter while a read is in flight; keep the map from growing without bound.
    if (this.#generations.size > this.maxEntries * 4) this.#generations.clear();
  }
}
