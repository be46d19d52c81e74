// The report on stdout: a header, one table row per scenario, notes on failures, and last one
// summary line per scenario:  <name>: <rps> req/s, p50 <x> ms, p99 <y> ms, non2xx <n>
const COLUMNS = [
  { title: 'scenario', align: 'left', value: (r) => r.name },
  { title: 'req/s (2xx)', value: (r) => grouped(r.measured.rps, 1) },
  { title: 'p50 ms', value: (r) => ms(r.measured.p50) },
  { title: 'p99 ms', value: (r) => ms(r.measured.p99) },
  { title: 'non-2xx', value: (r) => grouped(r.measured.non2xx) },
  { title: 'requests', value: (r) => grouped(r.measured.total) },
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

  const failures = results.flatMap(failureNotes);
  if (failures.length > 0) out.push('', ...failures);
  out.push('');
  for (const result of results) out.push(summaryLine(result));
  process.stdout.write(`${out.join('\n')}\n`);
}

export function summaryLine({ name, measured }) {
  return `${name}: ${measured.rps.toFixed(1)} req/s, p50 ${ms(measured.p50)} ms, p99 ${ms(measured.p99)} ms, non2xx ${measured.non2xx}`;
}

function table(results) {
  const rows = results.map((result) => COLUMNS.map((column) => column.value(result)));
  const widths = COLUMNS.map((column, i) => Math.max(column.title.length, ...rows.map((row) => row[i].length)));
  const line = (cells) =>
    `| ${cells.map((cell, i) => (COLUMNS[i].align === 'left' ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join(' | ')} |`;
  const rule = `|${widths.map((width, i) => (COLUMNS[i].align === 'left' ? `:${'-'.repeat(width + 1)}` : `${'-'.repeat(width + 1)}:`)).join('|')}|`;
  return [line(COLUMNS.map((column) => column.title)), rule, ...rows.map(line)];
}

function failureNotes({ name, warmup, measured }) {
  const notes = [];
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
