import { InvalidArgumentError, Option, type Command } from 'commander';
import { formatPosition, POSITION_PATTERN } from '../../modules/events/event-position.js';
import { EVENT_TYPES } from '../../modules/events/stored-event.js';
import { CommandFailedError, UsageError } from '../cli-errors.js';
import { stderrLogger, type CliLogger } from '../cli-logger.js';
import type { OutputOptions } from '../cli-output.js';
import { followEventStream, StreamRefusedError, type SseMessage } from '../event-stream-reader.js';
import { parseText } from '../option-parsers.js';

const DEFAULT_URL = 'http://127.0.0.1:3000';

interface TailOptions extends OutputOptions {
  readonly url: string;
  readonly key?: string;
  readonly after?: string;
  readonly type?: string;
  readonly subject?: string;
}

/** The parts of a CloudEvent the one-line text shows. */
interface TailedEvent {
  readonly position?: string;
  readonly time?: string;
  readonly type?: string;
  readonly subject?: string;
  readonly data?: {
    readonly cause?: string;
    readonly changedFields?: readonly string[];
    readonly hard?: boolean;
    readonly label?: { readonly name: string; readonly version: string | null };
  };
}

/**
 * `events tail`: follows the service's live stream (GET /v1/events/stream) over HTTP, unlike the
 * other commands, which work on the database. Runs until SIGINT or SIGTERM (exit code 0).
 */
export function registerEventsCommand(program: Command, logger: CliLogger = stderrLogger): void {
  const events = program.command('events').description("Follow the project's agent events from a running service");

  events
    .command('tail')
    .description("Print the key's project's agent events as they happen, one line each; reconnects and resumes on its own; Ctrl-C ends it")
    .addOption(new Option('--url <url>', 'the service').env('AGENTS_API_URL').default(DEFAULT_URL).argParser(parseUrl))
    .addOption(new Option('--key <token>', 'an API key with agents:read (required)').env('AGENTS_API_KEY').argParser(parseText))
    .option('--after <position>', 'start after this position (default: only new events)', parsePosition)
    .addOption(new Option('--type <type>', 'only events of this type').choices(EVENT_TYPES))
    .option('--subject <agentId>', 'only the events of this agent', parseText)
    .option('--json', 'print each event as its CloudEvent JSON, one per line')
    .action(async (options: TailOptions) => {
      if (options.key === undefined) throw new UsageError('events tail needs --key (or AGENTS_API_KEY)');
      await tail(options, options.key, logger);
    });
}

async function tail(options: TailOptions, key: string, logger: CliLogger): Promise<void> {
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  // A reader that went away (`| head`) ends the tail quietly.
  const onStdoutError = (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') stop.abort();
  };
  process.stdout.on('error', onStdoutError);
  let reconnecting = false;
  try {
    await followEventStream({
      url: options.url,
      key,
      ...(options.after !== undefined ? { after: options.after } : {}),
      ...(options.type !== undefined ? { type: options.type } : {}),
      ...(options.subject !== undefined ? { subject: options.subject } : {}),
      signal: stop.signal,
      onMessage: (message) => {
        if (reconnecting) logger.log('events tail: reconnected');
        reconnecting = false;
        const line = options.json ? jsonLine(message) : textLine(message);
        if (line !== undefined && !stop.signal.aborted) process.stdout.write(`${line}\n`);
      },
      onRetry: (reason, delayMs) => {
        reconnecting = true;
        logger.log(`events tail: ${reason}; reconnecting in ${(delayMs / 1000).toFixed(1)} s`);
      },
    });
  } catch (error) {
    if (error instanceof StreamRefusedError) {
      const message = `${error.detail} (HTTP ${error.status}${error.code ? ` ${error.code}` : ''})`;
      // A request the service finds malformed is a usage error, as commander's own are; a refused key or an expired cursor is not.
      throw error.status === 400 || error.status === 422 ? new UsageError(message) : new CommandFailedError(message);
    }
    throw error;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.stdout.off('error', onStdoutError);
  }
}

/** The CloudEvent JSON on one line (it is one already; a multi-line `data` is parsed and joined). */
function jsonLine(message: SseMessage): string | undefined {
  if (!message.data.includes('\n')) return message.data;
  try {
    return JSON.stringify(JSON.parse(message.data));
  } catch {
    return JSON.stringify(message.data);
  }
}

/** `<position> <time> <type> <subject> <cause> <changedFields|->` and, for a delete or a label, what it did. */
function textLine(message: SseMessage): string {
  let event: TailedEvent;
  try {
    event = JSON.parse(message.data) as TailedEvent;
  } catch {
    return `${message.id ?? '-'} ${message.event} ${message.data}`;
  }
  const data = event.data ?? {};
  const fields = data.changedFields && data.changedFields.length > 0 ? data.changedFields.join(',') : '-';
  const parts = [event.position ?? message.id ?? '-', event.time ?? '-', event.type ?? message.event, event.subject ?? '-', data.cause ?? '-', fields];
  if (typeof data.hard === 'boolean') parts.push(data.hard ? 'hard' : 'soft');
  if (data.label) parts.push(`label ${data.label.name}=${data.label.version ?? '(deleted)'}`);
  return parts.join(' ');
}

function parsePosition(value: string): string {
  if (!POSITION_PATTERN.test(value)) throw new InvalidArgumentError('Expected a position: up to 18 digits, such as 000000000000012345.');
  return formatPosition(value);
}

function parseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError('Expected a URL, such as http://127.0.0.1:3000.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidArgumentError('Expected an http: or https: URL.');
  return url.toString();
}
