// The 30-second example (README and docs/getting-started.md).
import { withCache, invalidateTag } from '../../lib/index.js';

const db = { async findUser(id: number) { return { id, name: `user ${id}`, loadedAt: new Date() }; } };

export const getUser = withCache(async function getUser(id: number) {
  return db.findUser(id);
}, { ttl: '5m', tags: (id) => [`user:${id}`] });

export async function main(): Promise<string[]> {
  const first = await getUser(1); // runs db.findUser
  const second = await getUser(1); // served from the cache: the same Date, still a Date
  await invalidateTag('user:1'); // after an update
  const third = await getUser(1); // runs db.findUser again
  return [
    `second is cached: ${second.loadedAt.getTime() === first.loadedAt.getTime()}`,
    `third is fresh: ${third !== first}`,
    `stats: ${JSON.stringify(getUser.stats())}`,
  ];
}
