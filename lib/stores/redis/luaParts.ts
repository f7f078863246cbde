/**
 * Lua fragments shared by the scripts of `scripts.ts`: number formatting, the group clock and its
 * generations, marker checks, the entry format.
 *
 * Epochs are integers `generation × 2³² + counter` kept in the group's `e` key (so the fast read
 * path can `MGET` it). The generation is a number from 1 to 2²⁰ - 1 chosen when the counter is
 * missing or unreadable (`FLUSHALL`, a restart without persistence, eviction) or, for scripts that
 * write, when the node's replication id differs from the one recorded when the generation began
 * (a replica was promoted). An epoch of another generation is never compared with the current
 * one: an entry written in it is a miss, a write started in it is refused.
 *
 * Lua 5.1 prints numbers with 14 significant digits, which would round epochs: every epoch is
 * turned into a string with `str` before it reaches Redis.
 *
 * @packageDocumentation
 */

/**
 * `str`, `gen_of`, `now_ms`, `get_str`, `epoch_of`, `replid`, `evictions`. The two `INFO` fields
 * are found with a plain `string.find` and an anchored match: an unanchored pattern scanning the
 * whole reply cost the write script about 6 µs of Redis time per call.
 */
export const BASICS = `
local SPAN = 4294967296
local function str(n) return string.format('%.0f', n) end
local function gen_of(n) return math.floor(n / SPAN) end
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function get_str(k)
  local v = redis.pcall('GET', k)
  if type(v) == 'string' then return v end
  return nil
end
local function epoch_of(v)
  local n = v and string.match(v, '^%d+$') and tonumber(v)
  if n and gen_of(n) >= 1 and n < 9007199254740992 then return n end
  return nil
end
local function info_field(section, name, pattern, default)
  local s = redis.call('INFO', section)
  local i = string.find(s, name, 1, true)
  return i and string.match(s, pattern, i + #name) or default
end
local function replid() return info_field('replication', 'master_replid:', '^%x+', '') end
local function evictions() return info_field('stats', 'evicted_keys:', '^%d+', '0') end
`;

/**
 * `clock(p, strict)` (needs {@link BASICS}): the group's current epoch, starting a new generation when needed. A control
 * hash lost or left from another generation is rebuilt with its write floor at the current epoch
 * (writes started before are refused: what the hash knew about them is gone). When `strict`, it
 * also returns the control fields `{g, r, l}` it read (empty after a rebuild), so that the write
 * script needs no second `HGET` for `l`. `ev`, when given, is the value of the epoch key the
 * caller has just read in the same script (the write script reads it in its `MGET` of markers).
 */
export const CLOCK_FNS = `
local function reset_ctl(ctl, cur, rid)
  redis.call('DEL', ctl)
  redis.call('HSET', ctl, 'g', str(gen_of(cur)), 'r', rid, 'f', str(cur), 'xe', str(cur), 'xv', evictions())
end
local function new_gen(ek, ctl, old, rid)
  local t = redis.call('TIME')
  local seed = tonumber(string.sub(rid, 1, 6), 16) or 0
  local g = (tonumber(t[2]) * 7919 + tonumber(t[1]) * 104729 + seed) % 1048575 + 1
  if old and g == gen_of(old) then g = g % 1048575 + 1 end
  local cur = g * SPAN
  redis.call('SET', ek, str(cur))
  reset_ctl(ctl, cur, rid)
  return cur
end
local function clock(p, strict, ev)
  local ek, ctl = p .. 'e', p .. 'c'
  local cur = epoch_of(ev or get_str(ek))
  if cur and not strict then return cur end
  local c = redis.pcall('HMGET', ctl, 'g', 'r', 'l')
  if type(c) ~= 'table' or c.err then c = {} end
  if not cur then return new_gen(ek, ctl, nil, replid()), {} end
  if tonumber(c[1]) ~= gen_of(cur) then
    reset_ctl(ctl, cur, replid())
    return cur, {}
  end
  local rid = replid()
  if c[2] == rid then return cur, c end
  return new_gen(ek, ctl, cur, rid), {}
end
`;

/** {@link BASICS} and {@link CLOCK_FNS}: what a script needs to call `clock`. */
export const CLOCK = `${BASICS}${CLOCK_FNS}`;

/**
 * `marker(m)` parses tag marker `m` (`<hard>:<soft>:<born>`). `check(m, at)`: what the marker
 * says of an entry written at `at`: 3 unknown (missing, unreadable, of another generation, or born
 * after `at`: it was lost and made again, so an invalidation may be lost with it), 2 a newer hard
 * invalidation, 1 a newer soft one, 0 none. (`blocks`, what it says of a write started at `at`,
 * is defined inside the write script's `refused`.)
 */
export const CHECK = `
local function marker(m)
  if type(m) ~= 'string' then return nil end
  local h, s, b = string.match(m, '^(%d*):(%d*):(%d+)$')
  if not b then return nil end
  return tonumber(h) or -1, tonumber(s) or -1, tonumber(b)
end
local function check(m, at)
  local h, s, b = marker(m)
  if not b or gen_of(b) ~= gen_of(at) then return 3 end
  if h > at then return 2 end
  if b > at then return 3 end
  if s > at then return 1 end
  return 0
end
`;

/** `mget(keys)`: MGET in slices of 4000 keys (Lua's unpack limit). */
export const MGET = `
local function mget(ks)
  if #ks == 0 then return {} end
  if #ks <= 4000 then return redis.call('MGET', unpack(ks)) end
  local out = {}
  for i = 1, #ks, 4000 do
    local part = redis.call('MGET', unpack(ks, i, math.min(i + 3999, #ks)))
    for j = 1, #part do out[#out + 1] = part[j] end
  end
  return out
end
`;

/** `enc62(n, width)`: `n` in base 62, left-padded with zeros to `width` digits (`entryCodec.ts`). */
export const ENC62 = `
local function enc62(n, w)
  local t = {}
  repeat
    local d = math.fmod(n, 62)
    t[#t + 1] = string.char(d < 10 and 48 + d or (d < 36 and 55 + d or 61 + d))
    n = (n - d) / 62
  until n == 0
  for _ = #t + 1, w do t[#t + 1] = '0' end
  return string.reverse(table.concat(t))
end
`;

/**
 * The entry format of `entryCodec.ts` (format 2), in Lua: `dec62(s)`,
 * `num_of(token)` and `parse_entry(v)`, which returns the epoch and the tags of an entry string
 * (and the positions of its `:`, of the end of its freshness and of the end of its grace), or nil
 * when it is not one: the same grammar as `parseEntry`. A lone UTF-16 surrogate escaped in a tag
 * (`%uD800`) is read as U+FFFD, the bytes node-redis sends for it in key names.
 */
export const PARSE_ENTRY = `
local function dec62(s)
  local n = 0
  for i = 1, #s do
    local b = string.byte(s, i)
    n = n * 62 + (b <= 57 and b - 48 or (b <= 90 and b - 55 or b - 61))
  end
  return n
end
local function finite(s)
  local x = tonumber(s)
  return x ~= nil and x == x and x ~= math.huge and x ~= -math.huge
end
local function num_end(v, i)
  local d, e = string.match(v, '^%-?(%w+)()', i)
  if d then
    if #d <= 9 then return e end
    return nil
  end
  local t, q = string.match(v, "^'([%-%+%.%deE]+)'()", i)
  if t and finite(t) then return q end
  return nil
end
local function num_of(s)
  local b = string.byte(s, 1)
  if b == 39 then return tonumber(string.sub(s, 2, -2)) end
  if b == 45 then return -dec62(string.sub(s, 2)) end
  return dec62(s)
end
local TAG_ESC = {['25'] = '%', ['2C'] = ',', ['0A'] = '\\n'}
local function untag(t)
  local i = string.find(t, '%', 1, true)
  if not i then return t end
  if string.find(t, '%%uD[89AB][0-9A-F][0-9A-F]%%uD[C-F]') then return nil end
  local out, from = {}, 1
  while i do
    out[#out + 1] = string.sub(t, from, i - 1)
    local c = TAG_ESC[string.sub(t, i + 1, i + 2)]
    if c then
      out[#out + 1] = c
      from = i + 3
    elseif string.find(t, '^%%uD[89A-F][0-9A-F][0-9A-F]', i) then
      out[#out + 1] = '\\239\\191\\189'
      from = i + 6
    else
      return nil
    end
    i = string.find(t, '%', from, true)
  end
  out[#out + 1] = string.sub(t, from)
  return table.concat(out)
end
local function parse_tags(s)
  local tags = {}
  if s == '' then return tags end
  if string.byte(s, 1) ~= 44 then return nil end
  local from = 2
  while true do
    local c = string.find(s, ',', from, true)
    local t = untag(string.sub(s, from, c and c - 1 or -1))
    if not t then return nil end
    tags[#tags + 1] = t
    if not c then return tags end
    from = c + 1
  end
end
local function parse_entry(v)
  local ep, i = string.match(v, '^~(%w%w%w%w%w%w%w%w%w)()')
  if not ep then return nil end
  local c = num_end(v, i)
  if not c or string.byte(v, c) ~= 58 then return nil end
  local f = num_end(v, c + 1)
  if not f then return nil end
  local g = f
  if string.byte(v, f) == 43 then
    g = num_end(v, f + 1)
    if not g then return nil end
  end
  local x = g
  if string.byte(v, x) == 33 then x = x + 1 end
  local nl = string.find(v, '\\n', x, true)
  if not nl then return nil end
  local tags = parse_tags(string.sub(v, x, nl - 1))
  local at = dec62(ep)
  if not tags or at >= 9007199254740992 then return nil end
  return at, tags, c, f, g
end
`;

/** `note(ctl, e, life)`: records a marker epoch in the control hash's time buckets. */
export const NOTE = `
local function note(ctl, e, life)
  local c = redis.call('HMGET', ctl, 'b0t', 'b0d', 'b1e', 'f', 'b0e')
  local now = now_ms()
  local b0t, b0d = tonumber(c[1]), tonumber(c[2])
  if b0t and b0d and now < b0t + (b0d - b0t) / 2 then
    redis.call('HSET', ctl, 'b0e', str(e))
    return
  end
  local f = tonumber(c[4]) or 0
  local b1e = tonumber(c[3])
  if b1e and b1e > f then f = b1e end
  if b0t and c[5] and c[2] then redis.call('HSET', ctl, 'b1e', c[5], 'b1d', c[2]) end
  redis.call('HSET', ctl, 'f', str(f), 'b0e', str(e), 'b0t', str(now), 'b0d', str(now + life))
end
`;

/** `keep(k, v, px)`: sets `k` to `v`, never shortening its remaining life below what it had. */
export const KEEP = `
local function keep(k, v, px)
  local left = redis.call('PTTL', k)
  if left > px then px = left end
  redis.call('SET', k, v, 'PX', px)
end
`;
