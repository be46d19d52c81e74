import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where each file's tally goes; set by summary-reporter.js, which prints the totals at the end. */
export const TALLY_DIR_VARIABLE = 'RELIABILITY_TALLY_DIR';

export type StatusClass = '2xx' | '3xx' | '4xx' | '5xx' | 'network';

export interface TallyRecord {
  readonly file: string;
  readonly requests: number;
  readonly byClass: Record<StatusClass, number>;
  /** Requests the client gave up on (they are counted as network errors too). */
  readonly timeouts: number;
  /** Rows of agents / agent_versions changed by a request that got no 2xx. */
  readonly rowsWrittenBy4xx: number;
  /** Creates answered 201 whose agent is not in the database. */
  readonly rowsLost: number;
  /** Agents in the database whose create got no 201. */
  readonly extraRows: number;
  readonly notes: readonly string[];
}

/**
 * Counts the requests of one test file by status class, and what its checks found in the
 * database. Saved in afterAll (`save()`), summed and printed by the summary reporter.
 */
export class Tally {
  private readonly byClass: Record<StatusClass, number> = { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0, network: 0 };
  private timeouts = 0;
  private readonly found = { rowsWrittenBy4xx: 0, rowsLost: 0, extraRows: 0 };
  private readonly notes: string[] = [];

  constructor(readonly file: string) {}

  /** One answer: its status, or null when no HTTP answer came (refused, reset, timed out). */
  record(status: number | null, timedOut = false): void {
    this.byClass[classOf(status)] += 1;
    if (timedOut) this.timeouts += 1;
  }

  get requests(): number {
    return Object.values(this.byClass).reduce((sum, count) => sum + count, 0);
  }

  count(statusClass: StatusClass): number {
    return this.byClass[statusClass];
  }

  rowsWrittenBy4xx(count: number): void {
    this.found.rowsWrittenBy4xx += count;
  }

  rowsLost(count: number): void {
    this.found.rowsLost += count;
  }

  extraRows(count: number): void {
    this.found.extraRows += count;
  }

  note(text: string): void {
    this.notes.push(text);
  }

  toRecord(): TallyRecord {
    return { file: this.file, requests: this.requests, byClass: { ...this.byClass }, timeouts: this.timeouts, ...this.found, notes: [...this.notes] };
  }

  /** Writes the record for the summary reporter (or prints it when run without the reporter). */
  save(): void {
    const record = this.toRecord();
    const directory = process.env[TALLY_DIR_VARIABLE];
    if (!directory) {
      console.log(`${this.file}: ${JSON.stringify(record)}`);
      return;
    }
    mkdirSync(directory, { recursive: true });
    writeFileSync(join(directory, `${this.file.replace(/[^A-Za-z0-9._-]/g, '_')}.json`), JSON.stringify(record, null, 2));
  }
}

export function classOf(status: number | null): StatusClass {
  if (status === null) return 'network';
  if (status >= 200 && status < 300) return '2xx';
  if (status >= 300 && status < 400) return '3xx';
  if (status >= 400 && status < 500) return '4xx';
  return '5xx';
}
