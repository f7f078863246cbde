import { main } from '../../docs/examples/keyValue.js';

describe('docs: key-value example', () => {
  it('prints what docs/key-value.md says', async () => {
    expect(await main()).toEqual([
      'config: {"theme":"dark"}',
      'users: Ada,Bob,-',
      'keys: user:1,user:2',
      'after invalidateTag: false',
      'deleted: 1',
      'stats queries: 1',
      'cache.get(getUser.keyOf(1)): {"id":1,"runs":1}',
      'getUser runs: 3',
      'page after save: undefined',
      'batch calls: [[1,2],[3],[4,5]]',
    ]);
  });
});
