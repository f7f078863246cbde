/**
 * A plain node-redis client on the suite's Redis, connected before the file's tests and closed
 * after them: for tests that look at or plant raw keys.
 */
import { createClient } from 'redis';
import { REDIS_URL_ENV } from './redisServers.js';

export type Admin = ReturnType<typeof createClient>;

/** Registers the hooks; call at the top of a test file and use the returned getter in tests. */
export function suiteAdmin(): () => Admin {
  let admin: Admin | undefined;
  beforeAll(async () => {
    admin = createClient({ url: process.env[REDIS_URL_ENV] as string });
    await admin.connect();
  });
  afterAll(() => admin?.close());
  return () => {
    if (admin === undefined) throw new Error('suiteAdmin: used outside a test');
    return admin;
  };
}
