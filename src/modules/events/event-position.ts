/**
 * An event's place in its project's log, as the API shows it: 18 digits, zero-padded, so that it
 * sorts the same as text and as a number (and two of them compare with `<`).
 */
export const POSITION_DIGITS = 18;

/** What `after` and Last-Event-ID accept: a position, with or without its leading zeros. */
export const POSITION_PATTERN = /^\d{1,18}$/;

/** The position before the first event: reading after it reads from the start. */
export const START = formatPosition('0');

/** `position` as PostgreSQL's bigint returns it (text), or as a client sent it, in the API's spelling. */
export function formatPosition(position: string | bigint): string {
  return String(position).padStart(POSITION_DIGITS, '0');
}
