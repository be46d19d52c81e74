// The report on stdout: a header, one table row per scenario, notes on failures, and last one
// summary line per scenario:  <name>: <rps> req/s, p50 <x> ms, p99 <y> ms, non2xx <n>
// (a stream scenario's row and line add what its SSE clients received: events/s, per client, delay).
const COLUMNS = [
  { title: 'scenario', align: 'left', value: (r) => r.name },
  { title: 'req/s (2xx)', value: (r) => grouped(r.measured.rps, 1) },
  { title: 'p50 ms', value: (r) => ms(r.measured.p50) },
  { title: 'p99 ms', value: (r) => ms(r.measured.p99) },
  { title: 'non-2xx', value: (r) => grouped(r.measured.non2xx) },
  { title: 'requests', value: (r) => grouped(r.measured.total) },
];
// Shown when a stream scenario ran: what its SSE clients received (blank for the others).
const STREAM_COLUMNS = [
  { title: 'events/s (all clients)', value: (r) => (r.stream ? grouped(r.stream.eventsPerSecond, 1) : '') },
  { title: 'per client / 201s', value: (r) => (r.stream ? perClient(r.stream) : '') },
  { title: 'delay p50 / p99 ms', value: (r) => (r.stream ? `${ms(r.stream.delayP50)} / ${ms(r.stream.delayP99)}` : '') },
];

export function printReport({ results, settings, environment, notes = [] }) {
  const out = [];
  out.push('## Agents API benchmark', '');
  out.push(`- ${environment.date}, ${environment.cpus} CPUs (load average ${environment.loadAverage} at start), Node ${environment.node}`);
  out.push(`- database: ${environment.database}`);
  out.push(
    `- each scenario: ${settings.warmupSeconds} s warm-up (not counted), then ${settings.seconds} s at ` +
      `${settings.connections} connections, all to 127.0.0.1`,
  );
  out.push('- req/s counts 2xx answers only, p50/p99 are their latencies; non-2xx counts every other answer, socket error and timeout');
  for (const note of notes) out.push(`- ${note}`);
  out.push('');
  out.push(...table(results));

  const failures = results.flatMap((result) => failureNotes(result));
  if (failures.length > 0) out.push('', ...failures);
  out.push('');
  for (const result of results) out.push(summaryLine(result));
  process.stdout.write(`${out.join('\n')}\n`);
}

export function summaryLine({ name, measured, stream }) {
  const line = `${name}: ${measured.rps.toFixed(1)} req/s, p50 ${ms(measured.p50)} ms, p99 ${ms(measured.p99)} ms, non2xx ${measured.non2xx}`;
  if (!stream) return line;
  return (
    `${line}, events ${stream.eventsPerSecond.toFixed(1)}/s to ${stream.clients} clients, per client ${perClient(stream)} 201s` +
    `${stream.allMatch ? '' : ' MISMATCH'}, delay p50 ${ms(stream.delayP50)} ms, p99 ${ms(stream.delayP99)} ms`
  );
}

/** `5,123 / 5,123`, or `5,100–5,123 / 5,123` when the clients disagree. */
function perClient(stream) {
  const got = stream.minPerClient === stream.maxPerClient ? grouped(stream.minPerClient) : `${grouped(stream.minPerClient)}–${grouped(stream.maxPerClient)}`;
  return `${got} / ${grouped(stream.posted)}`;
}

function table(results) {
  const columns = results.some((result) => result.stream) ? [...COLUMNS, ...STREAM_COLUMNS] : COLUMNS;
  return tableOf(columns, results);
}

function tableOf(columns, results) {
  const rows = results.map((result) => columns.map((column) => column.value(result)));
  const widths = columns.map((column, i) => Math.max(column.title.length, ...rows.map((row) => row[i].length)));
  const line = (cells) =>
    `| ${cells.map((cell, i) => (columns[i].align === 'left' ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join(' | ')} |`;
  const rule = `|${widths.map((width, i) => (columns[i].align === 'left' ? `:${'-'.repeat(width + 1)}` : `${'-'.repeat(width + 1)}:`)).join('|')}|`;
  return [line(columns.map((column) => column.title)), rule, ...rows.map(line)];
}

function failureNotes({ name, warmup, measured, stream, problems = [] }) {
  const notes = problems.map((problem) => `${name}: ${problem}`);
  if (stream) {
    const extra = [
      `caught up ${ms(stream.catchUpMs)} ms after the load ended`,
      `${grouped(stream.delivered)} events delivered in all`,
      stream.others > 0 ? `${grouped(stream.others)} of them of POSTs not counted (the warm-up's, or cut off at the end)` : '',
      stream.earlyEvents > 0 ? `${grouped(stream.earlyEvents)} receipts before autocannon had read the answer (delay counted 0)` : '',
    ].filter(Boolean);
    notes.push(`${name}: ${extra.join('; ')}`);
  }
  if (measured.non2xx > 0) notes.push(`${name}: non-2xx while measured: ${breakdown(measured)}`);
  if (warmup && warmup.non2xx > 0) notes.push(`${name}: non-2xx during the warm-up: ${breakdown(warmup)}`);
  return notes;
}

function breakdown(run) {
  const parts = Object.entries(run.statuses)
    .filter(([code]) => !code.startsWith('2'))
    .map(([code, count]) => `${count} × ${code}`);
  const socketErrors = run.errors - run.timeouts;
  if (socketErrors > 0) parts.push(`${socketErrors} socket errors`);
  if (run.timeouts > 0) parts.push(`${run.timeouts} timeouts`);
  return parts.join(', ');
}

function ms(value) {
  return String(Math.round(value * 10) / 10);
}

function grouped(value, decimals = 0) {
  return value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}
