// Policies (docs/policies.md).
import { z } from 'zod';
import { createCache, withCache, memoryStore } from '../../lib/index.js';

const cache = createCache({ store: memoryStore(), logger: false });
class NotFound extends Error {
  override name = 'NotFound';
}

export const findUser = withCache(async function findUser(email: string) {
  if (!email.includes('@')) throw new NotFound(`no user ${email}`);
  return email === 'nobody@example.com' ? null : { email, plan: 'pro' as const };
}, {
  cache,
  ttl: (user) => (user === null ? '30s' : '1h'), // negative caching: misses live briefly
  cacheIf: (user) => user?.email !== 'admin@example.com', // never cache this one
  validate: (entry) => entry.age < 10 * 60_000, // recompute entries older than 10 minutes
  schema: z.object({ email: z.string(), plan: z.enum(['free', 'pro']) }).nullable(),
  cacheErrors: [NotFound], // cached and re-thrown on hits
  jitter: 0.1, // spread expiry over the last 10% of the TTL
});

export async function main(): Promise<string[]> {
  const out: string[] = [];
  out.push(JSON.stringify(await findUser('ada@example.com')));
  out.push(JSON.stringify(await findUser('nobody@example.com')));
  await findUser('not-an-email').catch((e: Error) => out.push(`${e.name}: ${e.message}`));
  await findUser('not-an-email').catch((e: Error) => out.push(`${e.name} again, from the cache`));
  out.push(JSON.stringify(findUser.stats()));
  return out;
}
