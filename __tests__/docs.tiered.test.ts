import * as tiered from '../docs/examples/tiered.js';
import { testRedisUrl, uniqueNamespace } from './setup/testStores.js';

describe('docs: tiered store', () => {
  it('a memory tier that another process invalidates', async () => {
    expect(await tiered.main(testRedisUrl(), uniqueNamespace('docs').replace(':', '-'))).toEqual([
      'web-2 sees the query of web-1: true',
      'web-2 runs the function right after: true',
    ]);
  });
});
