import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource, EntityManager } from 'typeorm';

// The transaction of the current request, if it opened one: it follows the request through
// async calls (AsyncLocalStorage), so a repository joins it without being handed it.
// (@nestjs-cls/transactional does this too, but it is CommonJS requiring Nest 12's ES modules,
// which Jest cannot load.)
const current = new AsyncLocalStorage<EntityManager>();

/**
 * Runs `work` in a transaction: a new one, or, inside another, a savepoint of it (so that a
 * failed step can be rolled back without aborting the outer work).
 */
export async function inTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  const outer = current.getStore();
  const run = (manager: EntityManager) => current.run(manager, () => work(manager));
  if (outer) return outer.transaction(run);
  transactionsInFlight++;
  try {
    return await dataSource.transaction(run);
  } finally {
    // On Node 20 an enabled AsyncLocalStorage slows every promise of the process (~15 % of a
    // request's CPU); with no transaction left, there is no context to keep, so it is switched off.
    if (--transactionsInFlight === 0) current.disable();
  }
}

let transactionsInFlight = 0;

/**
 * Runs `work` in the transaction in progress, or else in a new one: for work that needs a
 * transaction (a transaction-scoped lock, held until the outermost commit) but no savepoint of its
 * own, since a failure of it fails the whole of the caller's work anyway.
 */
export function joinOrBeginTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  const outer = current.getStore();
  return outer ? work(outer) : inTransaction(dataSource, work);
}

/** The manager of the transaction in progress, or the data source's own (autocommit). */
export function currentManager(dataSource: DataSource): EntityManager {
  return current.getStore() ?? dataSource.manager;
}

/** The transaction in progress, if any. */
export function activeTransaction(): EntityManager | undefined {
  return current.getStore();
}
