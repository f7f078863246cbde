import * as quickstart from '../docs/examples/quickstart.js';
import * as dependencies from '../docs/examples/dependencies.js';
import * as policies from '../docs/examples/policies.js';

describe('docs examples run and say what the docs claim', () => {
  it('quickstart', async () => {
    const lines = await quickstart.main();
    expect(lines[0]).toBe('second is cached: true');
    expect(lines[1]).toBe('third is fresh: true');
    expect(lines[2]).toContain('"hits":1');
  });
  it('dependencies', async () => {
    expect(await dependencies.main()).toEqual(['queries: 6']);
  });
  it('policies', async () => {
    const lines = await policies.main();
    expect(lines).toContain('NotFound: no user not-an-email');
    expect(lines).toContain('NotFound again, from the cache');
    expect(JSON.parse(lines[lines.length - 1]!)).toMatchObject({ calls: 3, hits: 1 });
  });
});

import * as resilience from '../docs/examples/resilience.js';

describe('docs: resilience', () => {
  it('fails open, opens the circuit and serves stale after a stale-mode invalidation', async () => {
    expect(await resilience.main()).toEqual(['store-error', 'circuit open', 'stale-hit', 'stale 1, then 2']);
  });
});
