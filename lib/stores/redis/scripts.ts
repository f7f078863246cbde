/**
 * The Lua scripts of the Redis stores. Each runs on one group (one hash tag, so one cluster slot)
 * and makes a read, write, invalidation or delete atomic. See `layout.ts` for the key names,
 * `luaParts.ts` for the clock and its generations, and `docs/redis.md` for the design.
 *
 * Clock rules (the `Store` contract): a miss returns the group epoch `E`; a write started at
 * `E` is refused when it started in another generation, or when a tag marker, the key's delete
 * marker or the group's write floor is newer than `E`; a stored entry carries the epoch current
 * when it was written; a hit is dropped when a hard marker of one of its tags is newer than
 * that, and reported `invalidated` for a soft one.
 *
 * Lost bookkeeping is never read as "nothing happened". Every write makes sure each of its tags
 * has a marker living at least as long as the entry; a marker records the epoch it was born at.
 * A hit needs every marker it checks to exist, be of the entry's generation and be born no later
 * than the entry; anything else is a miss. A write that finds a marker missing or reborn since it
 * started (a first use of the tag, or one lost to eviction) is refused if Redis evicted any key
 * since it started (`evicted_keys`); without eviction it is judged as the memory store does.
 *
 * Markers expire after the longest entry life seen in the group plus a margin. So that an old
 * computation cannot slip through once a marker it should have met has expired, the control
 * hash remembers, in two time buckets, the newest epoch handed to markers; once a bucket's
 * markers may have started to expire (server clock, `TIME`), writes that started before its
 * newest epoch are refused (the write floor). Refusing a write is always safe.
 *
 * @packageDocumentation
 */
import { BASICS, CHECK, CLOCK, CLOCK_FNS, ENC62, KEEP, MGET, NOTE, PARSE_ENTRY } from './luaParts.js';

/**
 * GET. KEYS: entry. ARGV: group prefix. An entry is a string
 * `~<epoch><createdAt>:<fresh>[+<grace>][!][,<tag>]…\n<payload>` (`entryCodec.ts`).
 * Returns `{1, entry, state, epoch}` (state 0, or 2 when a soft marker is newer) or `{0, epoch}`.
 * Deletes the entry when it is not one, is of another generation, or a marker it needs is newer,
 * missing or unreadable.
 *
 * @example
 * ```ts
 * await redis.sendCommand(['EVAL', GET_LUA, '1', 'tc:{app|0}:k:user:1', 'tc:{app|0}:']);
 * ```
 */
export const GET_LUA = `${BASICS}
local p = ARGV[1]
local v = redis.pcall('GET', KEYS[1])
if not v then
  local e = epoch_of(get_str(p .. 'e'))
  if e then return {0, e} end
end
${CLOCK_FNS}${CHECK}${MGET}${PARSE_ENTRY}
local epoch = clock(p, false)
if not v then return {0, epoch} end
if type(v) ~= 'string' then
  redis.call('DEL', KEYS[1])
  return {0, epoch}
end
local at, tags = parse_entry(v)
if not at or gen_of(at) ~= gen_of(epoch) or at > epoch then
  redis.call('DEL', KEYS[1])
  return {0, epoch}
end
local state = 0
if at < epoch and #tags > 0 then
  local ks = {}
  for i = 1, #tags do ks[i] = p .. 't:' .. tags[i] end
  local m = mget(ks)
  for i = 1, #tags do
    local n = check(m[i], at)
    if n >= 2 then
      redis.call('DEL', KEYS[1])
      return {0, epoch}
    end
    if n == 1 then state = 2 end
  end
end
return {1, v, state, epoch}
`;

/**
 * `refused(p, ctl, key, at, cur, m)`: whether a write started at `at < cur` must be refused. Its
 * helpers are defined inside it, so that a write that did not straddle anything (`at == cur`)
 * does not pay for making them.
 */
const REFUSED = `
local function refused(p, ctl, key, at, cur, m)
  local function blocks(mk, at)
    local h, s, b = marker(mk)
    if not b or gen_of(b) ~= gen_of(at) then return 'unknown' end
    if h > at or s > at then return 'refuse' end
    if b > at then return 'unknown' end
    return nil
  end
  local function floor_of(c)
    local f = tonumber(c[1]) or 0
    if c[3] or c[5] then
      local now = now_ms()
      if c[5] and c[4] and now >= tonumber(c[5]) and tonumber(c[4]) > f then f = tonumber(c[4]) end
      if c[3] and c[2] and now >= tonumber(c[3]) and tonumber(c[2]) > f then f = tonumber(c[2]) end
    end
    return f
  end
  local function evicted_since(ctl, c, at, cur)
    local ev = evictions()
    if ev ~= c[8] then
      redis.call('HSET', ctl, 'xv', ev, 'xe', str(cur))
      return true
    end
    return at < (tonumber(c[7]) or cur)
  end
  local c = redis.call('HMGET', ctl, 'f', 'b0e', 'b0d', 'b1e', 'b1d', 'dl', 'xe', 'xv')
  if at < floor_of(c) then return true end
  local unknown = false
  local dl = tonumber(c[6])
  if dl and dl > at then
    local d = epoch_of(get_str(p .. 'd:' .. key))
    if not d or gen_of(d) ~= gen_of(at) then unknown = true
    elseif d > at then return true end
  end
  for i = 1, #m do
    local b = blocks(m[i], at)
    if b == 'refuse' then return true end
    if b == 'unknown' then unknown = true end
  end
  return unknown and evicted_since(ctl, c, at, cur)
end
`;

/**
 * SET. KEYS: entry. ARGV: prefix, key, body (`<createdAt>:<fresh>[+<grace>][!][,<tag>]…\n<payload>`,
 * `encodeBody`), life (ttl + grace, ms), start epoch (or '' for an unconditional write), marker
 * margin ms, tags... Stores `~<current epoch in 9 base-62 digits><body>` with `PX = life` and
 * gives every tag a marker that outlives the entry: a marker is born with `longest life + margin`
 * and extended back to that when it has less than `longest life + margin / 2` left (one `PTTL`
 * per tag; a `PEXPIRE` about once per half margin on a busy tag, not on every write). Inside
 * Redis a write that straddled nothing runs `MGET` (epoch and markers), `HMGET`, `INFO`, `SET`
 * and the `PTTL`s. Returns 1 if written, else 0.
 *
 * @example
 * ```ts
 * await redis.sendCommand(['EVAL', SET_LUA, '1', 'tc:{app|0}:k:u1', 'tc:{app|0}:', 'u1', `${base62(Date.now())}:Fbk,user:1\n"v"`, '60000', '', '600000', 'user:1']);
 * ```
 */
export const SET_LUA = `${CLOCK}${CHECK}${MGET}${ENC62}${REFUSED}
local p = ARGV[1]
local ctl = p .. 'c'
local ks = {p .. 'e'}
for i = 7, #ARGV do ks[#ks + 1] = p .. 't:' .. ARGV[i] end
local m = mget(ks)
local cur, c = clock(p, true, m[1])
table.remove(ks, 1)
table.remove(m, 1)
if ARGV[5] ~= '' then
  local at = tonumber(ARGV[5])
  if not at or gen_of(at) ~= gen_of(cur) or at > cur then return 0 end
  if at < cur and refused(p, ctl, ARGV[2], at, cur, m) then return 0 end
end
local life = tonumber(ARGV[4])
local l = tonumber(c[3]) or 0
if life > l then
  l = life
  redis.call('HSET', ctl, 'l', str(life))
end
redis.call('SET', KEYS[1], '~' .. enc62(cur, 9) .. ARGV[3], 'PX', life)
local margin = tonumber(ARGV[6])
local ml = l + margin
local low = ml - math.floor(margin / 2)
for i = 1, #ks do
  if check(m[i], cur) == 3 then
    redis.call('SET', ks[i], '::' .. str(cur), 'PX', ml)
  elseif redis.call('PTTL', ks[i]) < low then
    redis.call('PEXPIRE', ks[i], ml)
  end
end
return 1
`;

/**
 * EXPIRE. KEYS: entry. ARGV: prefix, key, new freshUntil (ms, the writer's clock), ttl (ms), marker
 * margin (ms). Rewrites the entry with the new freshness, the same grace and `PX = ttl + grace`,
 * as a write that started at the entry's own epoch (so the SET script refuses it when a tag or
 * the key was invalidated since). Returns 1, or 0 when the key holds no entry or the write is refused.
 *
 * @example
 * ```ts
 * await redis.sendCommand(['EVAL', EXPIRE_LUA, '1', 'tc:{app|0}:k:u1', 'tc:{app|0}:', 'u1', String(Date.now() + 60000), '60000', '600000']);
 * ```
 */
export const EXPIRE_LUA = `local function set_one(KEYS, ARGV)
${SET_LUA}
end
${ENC62}${PARSE_ENTRY}
local v = redis.pcall('GET', KEYS[1])
if type(v) ~= 'string' then return 0 end
local at, tags, c, f, g = parse_entry(v)
if not at then return 0 end
local created = string.sub(v, 11, c - 1)
local fu = tonumber(ARGV[3])
local d = fu - num_of(created)
local fresh = "'" .. ARGV[3] .. "'"
if string.byte(created, 1) ~= 39 and math.abs(d) < 9007199254740992 then
  fresh = (d < 0 and '-' or '') .. enc62(math.abs(d), 0)
end
local grace = 0
if g > f then grace = num_of(string.sub(v, f + 1, g - 1)) end
local body = string.sub(v, 11, c) .. fresh .. string.sub(v, f)
local a = {ARGV[1], ARGV[2], body, string.format('%.0f', tonumber(ARGV[4]) + grace), string.format('%.0f', at), ARGV[5]}
for i = 1, #tags do a[#a + 1] = tags[i] end
return set_one(KEYS, a)
`;

/**
 * INVALIDATE. KEYS: epoch counter. ARGV: prefix, mode ('drop' or 'stale'), margin ms, tags...
 * Each tag's marker `<hard>:<soft>:<born>` gets the new epoch in its hard (drop) or soft (stale)
 * part; a marker missing or of another generation is born now. Returns the new epoch.
 *
 * @example
 * ```ts
 * await redis.sendCommand(['EVAL', INVALIDATE_LUA, '1', 'tc:{app|0}:e', 'tc:{app|0}:', 'drop', '600000', 'user:1']);
 * ```
 */
export const INVALIDATE_LUA = `${CLOCK}${NOTE}${KEEP}
local p = ARGV[1]
clock(p, true)
local e = redis.call('INCR', KEYS[1])
local es = str(e)
local ctl = p .. 'c'
local life = (tonumber(redis.call('HGET', ctl, 'l')) or 0) + tonumber(ARGV[3])
local hard = ARGV[2] == 'drop'
for i = 4, #ARGV do
  local k = p .. 't:' .. ARGV[i]
  local v = get_str(k)
  local h, s, b
  if v then h, s, b = string.match(v, '^(%d*):(%d*):(%d+)$') end
  if not b or gen_of(tonumber(b)) ~= gen_of(e) then h, s, b = '', '', es end
  if hard then h = es else s = es end
  keep(k, h .. ':' .. s .. ':' .. b, life)
end
note(ctl, e, life)
return e
`;

/** DELETE. KEYS: epoch counter. ARGV: prefix, margin ms, keys... Returns the new epoch.
 *
 * @example
 * ```ts
 * await redis.sendCommand(['EVAL', DELETE_LUA, '1', 'tc:{app|0}:e', 'tc:{app|0}:', '600000', 'u1']);
 * ```
 */
export const DELETE_LUA = `${CLOCK}${NOTE}${KEEP}
local p = ARGV[1]
clock(p, true)
local e = redis.call('INCR', KEYS[1])
local es = str(e)
local ctl = p .. 'c'
local life = (tonumber(redis.call('HGET', ctl, 'l')) or 0) + tonumber(ARGV[2])
for i = 3, #ARGV do
  keep(p .. 'd:' .. ARGV[i], es, life)
  redis.call('DEL', p .. 'k:' .. ARGV[i])
end
redis.call('HSET', ctl, 'dl', es)
note(ctl, e, life)
return e
`;

/** CLEAR (per group, before the keys are scanned away). KEYS: epoch counter. ARGV: prefix.
 *
 * @example
 * ```ts
 * await redis.sendCommand(['EVAL', FENCE_LUA, '1', 'tc:{app|0}:e', 'tc:{app|0}:']);
 * ```
 */
export const FENCE_LUA = `${CLOCK}
clock(ARGV[1], true)
local e = redis.call('INCR', KEYS[1])
redis.call('HSET', ARGV[1] .. 'c', 'f', str(e))
return e
`;

/** Lock release. KEYS: lock key. ARGV: token. Deletes the lock only if the token matches.
 *
 * @example
 * ```ts
 * await redis.sendCommand(['EVAL', RELEASE_LUA, '1', 'tc:{app|0}:l:k', token]);
 * ```
 */
export const RELEASE_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;
