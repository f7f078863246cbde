/**
 * The Lua scripts of the Redis stores. Each runs on one group (one hash tag, so one cluster slot)
 * and makes a read, write, invalidation or delete atomic. See `layout.ts` for the key names and
 * `docs/redis.md` for the design.
 *
 * Clock rules (the `Store` contract): a miss returns the group epoch `E`; a write started at
 * `E` is refused when a tag marker, the key's delete marker or the group's write floor is newer
 * than `E`; a stored entry carries the epoch current when it was written; a hit is dropped when
 * a hard marker of one of its tags is newer than that, and reported `invalidated` for a soft one.
 *
 * Markers expire after the longest entry life seen in the group plus a margin. So that an old
 * computation cannot slip through once a marker it should have met has expired, the control
 * hash remembers, in two time buckets, the newest epoch handed to markers; once a bucket's
 * markers may have started to expire (server clock, `TIME`), writes that started before its
 * newest epoch are refused (the write floor). Refusing a write is always safe.
 *
 * @packageDocumentation
 */
const NOW = `
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
`;

const MGET = `
local function mget(ks)
  if #ks <= 4000 then return redis.call('MGET', unpack(ks)) end
  local out = {}
  for i = 1, #ks, 4000 do
    local part = redis.call('MGET', unpack(ks, i, math.min(i + 3999, #ks)))
    for j = 1, #part do out[#out + 1] = part[j] end
  end
  return out
end
`;

/** Which part of a tag marker `<hard>:<soft>` is newer than `at`: 2 hard, 1 soft, 0 neither. */
const NEWER = `
local function newer(v, at)
  if not v then return 0 end
  local c = string.find(v, ':', 1, true)
  local h = tonumber(string.sub(v, 1, c - 1))
  if h and h > at then return 2 end
  local s = tonumber(string.sub(v, c + 1))
  if s and s > at then return 1 end
  return 0
end
`;

/** Records a marker epoch in the control hash's time buckets (invalidate, delete). */
const NOTE = `${NOW}
local function note(ctl, e, life)
  local c = redis.call('HMGET', ctl, 'b0t', 'b0d', 'b1e', 'f', 'b0e')
  local now = now_ms()
  local b0t, b0d = tonumber(c[1]), tonumber(c[2])
  if b0t and now < b0t + (b0d - b0t) / 2 then
    redis.call('HSET', ctl, 'b0e', e)
    return
  end
  local f = tonumber(c[4]) or 0
  local b1e = tonumber(c[3])
  if b1e and b1e > f then f = b1e end
  if b0t then redis.call('HSET', ctl, 'b1e', c[5], 'b1d', b0d) end
  redis.call('HSET', ctl, 'f', f, 'b0e', e, 'b0t', now, 'b0d', now + life)
end
`;

/**
 * GET. KEYS: entry. ARGV: group prefix. An entry is a string
 * `<epoch>|<createdAt>|<flags>|<grace>|<freshUntil>|<tagsJson>\n<payload>`.
 * Returns `{1, entry, state, epoch}` (state 0, or 2 when a soft marker is newer) or `{0, epoch}`;
 * deletes the entry when a hard marker is newer. Tag markers are read only when the group epoch
 * moved since the entry was written.
 *
 * @example
 * ```ts
 * await redis.sendCommand(['EVAL', GET_LUA, '1', 'tc:{app|0}:k:user:1', 'tc:{app|0}:']);
 * ```
 */
export const GET_LUA = `${MGET}${NEWER}
local p = ARGV[1]
local v = redis.call('GET', KEYS[1])
local epoch = tonumber(redis.call('GET', p .. 'e')) or 0
if not v then return {0, epoch} end
local bar = string.find(v, '|', 1, true)
local at = tonumber(string.sub(v, 1, bar - 1))
local state = 0
if at < epoch then
  local nl = string.find(v, '\\n', bar, true)
  local tags = cjson.decode(string.match(string.sub(v, bar + 1, nl - 1), '^[^|]*|[^|]*|[^|]*|[^|]*|(.*)$'))
  if #tags > 0 then
    local ks = {}
    for i = 1, #tags do ks[i] = p .. 't:' .. tags[i] end
    local m = mget(ks)
    for i = 1, #tags do
      local n = newer(m[i], at)
      if n == 2 then
        redis.call('DEL', KEYS[1])
        return {0, epoch}
      end
      if n == 1 then state = 2 end
    end
  end
end
return {1, v, state, epoch}
`;

/**
 * SET. KEYS: entry. ARGV: prefix, key, body (`<createdAt>|<flags>|<grace>|<freshUntil>|<tagsJson>\n<payload>`),
 * life (ttl + grace, ms), start epoch (or '' for an unconditional write), tags... Stores
 * `<current epoch>|<body>` with `PX = life`. Returns 1 if written, else 0.
 *
 * @example
 * ```ts
 * await redis.sendCommand(['EVAL', SET_LUA, '1', 'tc:{app|0}:k:u1', 'tc:{app|0}:', 'u1', `${Date.now()}|0|0|${Date.now() + 60000}|["user:1"]\n"v"`, '60000', '', 'user:1']);
 * ```
 */
export const SET_LUA = `${MGET}${NOW}${NEWER}
local function floor_of(ctl)
  local c = redis.call('HMGET', ctl, 'f', 'b0e', 'b0d', 'b1e', 'b1d')
  local f = tonumber(c[1]) or 0
  if c[3] or c[5] then
    local now = now_ms()
    if c[5] and now >= tonumber(c[5]) and tonumber(c[4]) > f then f = tonumber(c[4]) end
    if c[3] and now >= tonumber(c[3]) and tonumber(c[2]) > f then f = tonumber(c[2]) end
  end
  return f
end
local function refused(p, at)
  if at < floor_of(p .. 'c') then return true end
  local d = redis.call('GET', p .. 'd:' .. ARGV[2])
  if d and tonumber(d) > at then return true end
  if #ARGV < 6 then return false end
  local ks = {}
  for i = 6, #ARGV do ks[#ks + 1] = p .. 't:' .. ARGV[i] end
  local m = mget(ks)
  for i = 1, #ks do
    if newer(m[i], at) > 0 then return true end
  end
  return false
end
local p = ARGV[1]
local cur_s = redis.call('GET', p .. 'e') or '0'
local cur = tonumber(cur_s)
if ARGV[5] ~= '' then
  local at = tonumber(ARGV[5])
  if at > cur then return 0 end
  if at < cur and refused(p, at) then return 0 end
end
local life = tonumber(ARGV[4])
redis.call('SET', KEYS[1], cur_s .. '|' .. ARGV[3], 'PX', life)
local ctl = p .. 'c'
if life > (tonumber(redis.call('HGET', ctl, 'l')) or 0) then redis.call('HSET', ctl, 'l', life) end
return 1
`;

/**
 * INVALIDATE. KEYS: epoch counter. ARGV: prefix, mode ('drop' or 'stale'), margin ms, tags...
 * Each tag's marker `<hard>:<soft>` gets the new epoch in its hard (drop) or soft (stale) part.
 * Returns the new epoch.
 *
 * @example
 * ```ts
 * await redis.sendCommand(['EVAL', INVALIDATE_LUA, '1', 'tc:{app|0}:e', 'tc:{app|0}:', 'drop', '600000', 'user:1']);
 * ```
 */
export const INVALIDATE_LUA = `${NOTE}
local p = ARGV[1]
local e = redis.call('INCR', KEYS[1])
local ctl = p .. 'c'
local life = (tonumber(redis.call('HGET', ctl, 'l')) or 0) + tonumber(ARGV[3])
local hard = ARGV[2] == 'drop'
for i = 4, #ARGV do
  local k = p .. 't:' .. ARGV[i]
  local v = redis.call('GET', k)
  local c = v and string.find(v, ':', 1, true)
  local h = c and string.sub(v, 1, c - 1) or ''
  local s = c and string.sub(v, c + 1) or ''
  if hard then h = e else s = e end
  redis.call('SET', k, h .. ':' .. s, 'PX', life)
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
export const DELETE_LUA = `${NOTE}
local p = ARGV[1]
local e = redis.call('INCR', KEYS[1])
local ctl = p .. 'c'
local life = (tonumber(redis.call('HGET', ctl, 'l')) or 0) + tonumber(ARGV[2])
for i = 3, #ARGV do
  redis.call('SET', p .. 'd:' .. ARGV[i], e, 'PX', life)
  redis.call('DEL', p .. 'k:' .. ARGV[i])
end
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
export const FENCE_LUA = `
local e = redis.call('INCR', KEYS[1])
redis.call('HSET', ARGV[1] .. 'c', 'f', e)
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
