/**
 * A plain node-redis client on the suite's Redis, connected before the file's tests and closed
 * after them: for tests that look at or plant raw keys.
 */
import { createClient } from 'redis';
import { REDIS_URL_ENV, startRedisServer, type RedisServer } from './redisServers.js';

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

/** A Redis server of the file's own (MONITOR, INFO and restarts see only this file) and a client on it. */
export interface OwnServer {
  readonly server: RedisServer;
  readonly admin: Admin;
}

/**
 * Starts a server of the file's own and connects a plain client to it before the file's tests;
 * closes both after them. Call at the top of a test file; read `server` and `admin` in tests.
 */
export function ownServer(): OwnServer {
  let server: RedisServer | undefined;
  let admin: Admin | undefined;
  beforeAll(async () => {
    server = await startRedisServer();
    admin = createClient({ url: server.url });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.close();
    await server?.destroy();
  });
  const outside = (): never => {
    throw new Error('ownServer: used outside a test');
  };
  return {
    get server() {
      return server ?? outside();
    },
    get admin() {
      return admin ?? outside();
    },
  };
}
