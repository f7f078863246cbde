// `node --import ./hideRedis.mjs …`: the `redis` package cannot be resolved in this process, as
// when it is not installed (the resolver fails the way Node's does: ERR_MODULE_NOT_FOUND).
import { register } from 'node:module';

register('./hideRedisHooks.mjs', import.meta.url);
