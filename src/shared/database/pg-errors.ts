// SQLSTATE classes and codes that say "the database cannot serve now", not "this request is wrong":
// 08 connection exception, 53 insufficient resources, 57P01-57P03 shutdown / cannot connect now,
// 57014 query cancelled (the statement timeout).
const UNAVAILABLE_STATES = /^(08|53)|^57P0[123]$|^57014$/;
const UNAVAILABLE_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Connection ended|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|Query read timeout|Client has encountered a connection error/i;

/** Whether an error means the database is unreachable or overloaded (answered with a 503). */
export function isDatabaseUnavailable(error: unknown): boolean {
  const driverError = (error as { driverError?: unknown })?.driverError ?? error;
  const { code, message } = (driverError ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && UNAVAILABLE_STATES.test(code)) return true;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code) && UNAVAILABLE_MESSAGES.test(code)) return true;
  return typeof message === 'string' && UNAVAILABLE_MESSAGES.test(message);
}
