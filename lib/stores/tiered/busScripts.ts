/**
 * Lua scripts of the coherence bus. Everything lives in ONE hash (one key, one cluster slot), so
 * that eviction, `FLUSHALL` or a restart without persistence lose all of it at once, which the
 * `era` field reveals:
 *
 * - `era`: a random id, created with `settle` when the hash is (re)created;
 * - `settle`: server ms until which membership is unknown (invalidations wait until then);
 * - `seq`: the invalidation sequence number;
 * - `m:<id>`: `"<watermark> <lease end, server ms>"` of each member process.
 *
 * Lease ends are compared with the server's own `TIME` only, never with a client clock.
 *
 * @packageDocumentation
 */
import { luaScript } from '../redis/scriptRunner.js';

const NOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local function ms(n) return string.format('%d', n) end
local function era_of(lease, candidate)
  local era = redis.call('HGET', KEYS[1], 'era')
  if not era then
    era = candidate
    redis.call('HSET', KEYS[1], 'era', era, 'settle', ms(now + lease))
  end
  return era
end
local function parse(v)
  local w, exp = string.match(v, '^(%d+) (%d+)$')
  return tonumber(w), tonumber(exp)
end
`;

/**
 * Renews a member's lease. ARGV: id, watermark, lease ms, era candidate.
 * Returns `{continuous, seq, era}`: `continuous` is 1 when the member's previous lease was still
 * running (no invalidation can have skipped it); otherwise its watermark is set to `seq` and the
 * member must flush its memory tier before serving from it again.
 */
export const RENEW = luaScript(
  'tiered-renew',
  `${NOW}
local lease = tonumber(ARGV[3])
local era = era_of(lease, ARGV[4])
local field = 'm:' .. ARGV[1]
local old = redis.call('HGET', KEYS[1], field)
local seq = redis.call('HGET', KEYS[1], 'seq') or '0'
local w = tonumber(seq)
local continuous = 0
if old then
  local ow, exp = parse(old)
  if exp > now then
    continuous = 1
    w = math.max(ow, tonumber(ARGV[2]))
  end
end
redis.call('HSET', KEYS[1], field, ms(w) .. ' ' .. ms(now + lease))
return {continuous, seq, era}
`,
);

/**
 * Takes the next sequence number, publishes the message and lists the members that have not
 * applied it yet (skipping `self`; expired members are removed). ARGV: channel, body, self id,
 * lease ms, era candidate. Returns `{seq, era, settle wait ms, pending ids…}`.
 */
export const PUBLISH = luaScript(
  'tiered-publish',
  `${NOW}
local lease = tonumber(ARGV[4])
local era = era_of(lease, ARGV[5])
local seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
redis.call('PUBLISH', ARGV[1], era .. ':' .. seq .. '|' .. ARGV[2])
local settle = tonumber(redis.call('HGET', KEYS[1], 'settle') or '0')
local reply = {seq, era, math.max(0, settle - now)}
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  local f = all[i]
  if string.sub(f, 1, 2) == 'm:' then
    local w, exp = parse(all[i + 1])
    if exp <= now then redis.call('HDEL', KEYS[1], f)
    elseif w < seq and string.sub(f, 3) ~= ARGV[3] then table.insert(reply, string.sub(f, 3)) end
  end
end
return reply
`,
);

/**
 * Which of the given members still hold a live lease below `seq`. ARGV: seq, era, ids…
 * Returns `{'ok' | 'lost', settle wait ms, pending ids…}` (`lost`: the hash was lost since).
 */
export const CHECK = luaScript(
  'tiered-check',
  `${NOW}
local era = redis.call('HGET', KEYS[1], 'era')
local settle = tonumber(redis.call('HGET', KEYS[1], 'settle') or '0')
if era ~= ARGV[2] then return {'lost', math.max(0, settle - now)} end
local reply = {'ok', math.max(0, settle - now)}
for i = 3, #ARGV do
  local v = redis.call('HGET', KEYS[1], 'm:' .. ARGV[i])
  if v then
    local w, exp = parse(v)
    if exp > now and w < tonumber(ARGV[1]) then table.insert(reply, ARGV[i]) end
  end
end
return reply
`,
);

/**
 * Raises a member's watermark (never resurrecting an expired lease) and, when ARGV[4] is `1`,
 * publishes `"<id> <watermark> <era>"` for waiting invalidations. ARGV: id, watermark, ack channel, publish.
 */
export const ACK = luaScript(
  'tiered-ack',
  `${NOW}
local field = 'm:' .. ARGV[1]
local v = redis.call('HGET', KEYS[1], field)
if not v then return 0 end
local w, exp = parse(v)
if exp <= now then return 0 end
local nw = tonumber(ARGV[2])
if nw > w then redis.call('HSET', KEYS[1], field, ms(nw) .. ' ' .. ms(exp)) end
if ARGV[4] == '1' then
  local era = redis.call('HGET', KEYS[1], 'era') or ''
  redis.call('PUBLISH', ARGV[3], ARGV[1] .. ' ' .. ms(math.max(nw, w)) .. ' ' .. era)
end
return 1
`,
);

/** Removes a member (on close). ARGV: id. */
export const LEAVE = luaScript('tiered-leave', `return redis.call('HDEL', KEYS[1], 'm:' .. ARGV[1])`);
