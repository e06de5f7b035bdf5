import { prefetched } from '../../../src/modules/sync/change-pages';

/** A paged source that logs when each page is asked for and when its answer arrives. */
async function* pages(count: number, log: string[]): AsyncGenerator<number> {
  for (let page = 1; page <= count; page++) {
    log.push(`fetch ${page}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
    log.push(`fetched ${page}`);
    yield page;
  }
}

describe('prefetched', () => {
  it('fetches the next page while the caller stores one, and never two pages ahead', async () => {
    const log: string[] = [];
    for await (const page of prefetched(pages(4, log))) {
      log.push(`store ${page}`);
      // Storing takes longer than fetching: the next page arrives meanwhile, the one after is not asked for.
      await new Promise((resolve) => setTimeout(resolve, 20));
      log.push(`stored ${page}`);
    }
    expect(log).toEqual([
      'fetch 1',
      'fetched 1',
      'fetch 2',
      'store 1',
      'fetched 2',
      'stored 1',
      'fetch 3',
      'store 2',
      'fetched 3',
      'stored 2',
      'fetch 4',
      'store 3',
      'fetched 4',
      'stored 3',
      'store 4',
      'stored 4',
    ]);
  });

  it('stops waiting for a page when the signal aborts, and a failure of the page in flight is dropped when the caller stops', async () => {
    const controller = new AbortController();
    const hanging = (async function* () {
      yield 1;
      await new Promise(() => undefined);
    })();
    const seen: number[] = [];
    const consume = (async () => {
      for await (const page of prefetched(hanging, controller.signal)) {
        seen.push(page);
        setTimeout(() => controller.abort(new Error('deadline')), 5);
      }
    })();
    await expect(consume).rejects.toThrow('deadline');
    expect(seen).toEqual([1]);

    const failing = (async function* () {
      yield 1;
      throw new Error('page 2 failed');
    })();
    await expect(
      (async () => {
        for await (const page of prefetched(failing)) throw new Error(`store ${page} failed`);
      })(),
    ).rejects.toThrow('store 1 failed');
  });
});
