import { StatementBatches } from './statement-batches.js';

interface Item {
  readonly key: string;
  readonly value: number;
}

/** A statement that doubles each value, and remembers each batch it was given. */
function doubling(options: { failWhen?: (items: readonly Item[]) => boolean; maxSize?: number } = {}) {
  const batches: number[][] = [];
  const statements = new StatementBatches<Item, number>(
    async (items) => {
      batches.push(items.map((item) => item.value));
      if (options.failWhen?.(items)) throw new Error(`refused ${items.map((item) => item.value).join(',')}`);
      return items.map((item) => item.value * 2);
    },
    (item) => item.key,
    options.maxSize,
  );
  return { statements, batches };
}

const item = (value: number, key = `k${value}`): Item => ({ key, value });

describe('StatementBatches', () => {
  it('runs the items of one turn of the event loop as one batch, each getting its own outcome', async () => {
    const { statements, batches } = doubling();
    const outcomes = await Promise.all([1, 2, 3].map((value) => statements.add(item(value))));
    expect(outcomes).toEqual([2, 4, 6]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('runs items of later turns in later batches', async () => {
    const { statements, batches } = doubling();
    const first = statements.add(item(1));
    await new Promise((resolve) => setImmediate(resolve));
    const second = statements.add(item(2));
    expect(await Promise.all([first, second])).toEqual([2, 4]);
    expect(batches).toEqual([[1], [2]]);
  });

  it('never puts two items of one key in one batch', async () => {
    const { statements, batches } = doubling();
    const outcomes = await Promise.all([item(1, 'a'), item(2, 'a'), item(3, 'b'), item(4, 'a')].map((each) => statements.add(each)));
    expect(outcomes).toEqual([2, 4, 6, 8]);
    expect(batches).toEqual([[1, 3], [2], [4]]);
  });

  it('splits a turn into batches of at most maxSize, in arrival order', async () => {
    const { statements, batches } = doubling({ maxSize: 2 });
    await Promise.all([1, 2, 3, 4, 5].map((value) => statements.add(item(value))));
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('runs each item of a failed batch alone: only the item that fails gets the error', async () => {
    const { statements, batches } = doubling({ failWhen: (items) => items.some((each) => each.value === 2) });
    const settled = await Promise.allSettled([1, 2, 3].map((value) => statements.add(item(value))));
    expect(settled).toEqual([
      { status: 'fulfilled', value: 2 },
      { status: 'rejected', reason: new Error('refused 2') },
      { status: 'fulfilled', value: 6 },
    ]);
    expect(batches).toEqual([[1, 2, 3], [1], [2], [3]]);
  });

  it('gives a lone item the error of its statement', async () => {
    const { statements } = doubling({ failWhen: () => true });
    await expect(statements.add(item(1))).rejects.toThrow('refused 1');
  });
});
