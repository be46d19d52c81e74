// A Jest reporter for the reliability suite: each test file saves a tally of the requests it sent
// and of what its database checks found (test/reliability/support/tally.ts); at the end of the run
// this prints the totals. Prints nothing when no reliability test ran.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const VARIABLE = 'RELIABILITY_TALLY_DIR';
const CLASSES = ['2xx', '3xx', '4xx', '5xx', 'network'];

export default class SummaryReporter {
  constructor() {
    // Set before any test runs, so the test files (in band or in workers) inherit it; made by the
    // first tally saved (so a run without reliability tests leaves nothing behind).
    this.directory = join(tmpdir(), `agents-reliability-${process.pid}-${Date.now()}`);
    process.env[VARIABLE] = this.directory;
  }

  onRunComplete() {
    if (!existsSync(this.directory)) return;
    let records = [];
    try {
      records = readdirSync(this.directory)
        .filter((name) => name.endsWith('.json'))
        .sort()
        .map((name) => JSON.parse(readFileSync(join(this.directory, name), 'utf8')));
    } finally {
      rmSync(this.directory, { recursive: true, force: true });
    }
    if (records.length === 0) return;
    console.log(summary(records));
  }
}

function summary(records) {
  const total = { requests: 0, timeouts: 0, rowsWrittenBy4xx: 0, rowsLost: 0, extraRows: 0, byClass: Object.fromEntries(CLASSES.map((c) => [c, 0])) };
  for (const record of records) {
    for (const key of ['requests', 'timeouts', 'rowsWrittenBy4xx', 'rowsLost', 'extraRows']) total[key] += record[key];
    for (const c of CLASSES) total.byClass[c] += record.byClass[c];
  }
  const width = Math.max(...records.map((record) => record.file.length), 'total'.length);
  const header = ['file'.padEnd(width), 'requests', ...CLASSES, 'rows by 4xx', 'rows lost', 'extra rows'];
  const row = (name, r) => [
    name.padEnd(width),
    String(r.requests).padStart(8),
    ...CLASSES.map((c) => String(r.byClass[c]).padStart(c.length)),
    String(r.rowsWrittenBy4xx).padStart(11),
    String(r.rowsLost).padStart(9),
    String(r.extraRows).padStart(10),
  ].join('  ');
  const lines = [
    '',
    'Reliability summary',
    header.join('  '),
    ...records.map((record) => row(record.file, record)),
    row('total', total),
    '',
    `Requests sent: ${total.requests} (2xx ${total.byClass['2xx']}, 3xx ${total.byClass['3xx']}, 4xx ${total.byClass['4xx']}, ` +
      `5xx ${total.byClass['5xx']}, network errors ${total.byClass.network}, of which client timeouts ${total.timeouts})`,
    `Rows written by a 4xx: ${total.rowsWrittenBy4xx} (must be 0)`,
    `Rows lost (201 but not stored): ${total.rowsLost} (must be 0)`,
    `Extra rows (stored without a 201): ${total.extraRows} (must be 0)`,
  ];
  for (const record of records) for (const note of record.notes) lines.push(`  ${record.file}: ${note}`);
  return lines.join('\n');
}
