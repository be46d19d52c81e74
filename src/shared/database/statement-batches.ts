/**
 * Runs the items that arrive within one turn of the event loop as one statement: the same work
 * in one round trip, one transaction and one commit instead of one each. PostgreSQL's cost of a
 * small insert is mostly per statement (parse, plan, executor start, triggers, commit), so under
 * load most of it is shared. Nothing waits for a timer: a batch is sent at the end of the turn
 * in which its first item arrived (setImmediate), so a lone item is not delayed.
 *
 * An item's outcome is its own: when a batch fails as a whole (one row breaks a constraint the
 * statement does not absorb), each of its items is run again alone and gets its own answer.
 */
export class StatementBatches<Item, Outcome> {
  private queue: Queued<Item, Outcome>[] = [];
  private scheduled = false;

  /**
   * @param run the statement for a batch: one outcome per item, in the items' order
   * @param keyOf items of one key never share a batch (two inserts of one row would make the
   *   statement fail, or see each other): the later waits for the next batch
   */
  constructor(
    private readonly run: (items: readonly Item[]) => Promise<Outcome[]>,
    private readonly keyOf: (item: Item) => string,
    private readonly maxSize = 100,
  ) {}

  add(item: Item): Promise<Outcome> {
    return new Promise<Outcome>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(this.sendQueued);
      }
    });
  }

  private readonly sendQueued = (): void => {
    this.scheduled = false;
    while (this.queue.length > 0) void this.send(this.takeBatch());
  };

  /** Up to maxSize items of distinct keys, in arrival order; the others stay queued. */
  private takeBatch(): Queued<Item, Outcome>[] {
    const batch: Queued<Item, Outcome>[] = [];
    const rest: Queued<Item, Outcome>[] = [];
    const keys = new Set<string>();
    for (const queued of this.queue) {
      const key = this.keyOf(queued.item);
      if (batch.length < this.maxSize && !keys.has(key)) {
        keys.add(key);
        batch.push(queued);
      } else {
        rest.push(queued);
      }
    }
    this.queue = rest;
    return batch;
  }

  private async send(batch: Queued<Item, Outcome>[]): Promise<void> {
    try {
      const outcomes = await this.run(batch.map((queued) => queued.item));
      batch.forEach((queued, index) => queued.resolve(outcomes[index]));
    } catch (error) {
      if (batch.length === 1) batch[0].reject(error);
      else for (const queued of batch) void this.send([queued]);
    }
  }
}

interface Queued<Item, Outcome> {
  readonly item: Item;
  resolve(outcome: Outcome): void;
  reject(error: unknown): void;
}
