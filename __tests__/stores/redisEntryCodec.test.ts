/**
 * The Redis entry format (format 2, `entryCodec.ts`): exact encodings, round trips of every field
 * through the client's encoder and decoder, and the agreement of the client's `parseEntry` with
 * the scripts' `parse_entry` (run in Redis) on valid, mutated and garbage strings.
 */
import fc from 'fast-check';
import {
  base62,
  encodeBody,
  encodeTags,
  parseEntry,
  parseTagList,
  type StoredEntry,
} from '../../lib/stores/redis/entryCodec.js';
import { BASICS, PARSE_ENTRY } from '../../lib/stores/redis/luaParts.js';
import { redisStore } from '../../lib/stores/redisStore.js';
import type { WriteEntry } from '../../lib/stores/Store.js';
import { REDIS_URL_ENV } from '../setup/redisServers.js';
import { suiteAdmin, type Admin } from '../setup/suiteAdmin.js';
import { uniqueNamespace } from '../setup/testStores.js';

const url = process.env[REDIS_URL_ENV] as string;
const adminOf = suiteAdmin();
let admin: Admin;
beforeAll(() => void (admin = adminOf()));

const EPOCH = 5 * 2 ** 32 + 7;
/** What the SET script stores for a body written at group epoch `epoch`. */
const stored = (body: string, epoch = EPOCH): string => '~' + base62(epoch, 9) + body;
const entryOf = (over: Partial<WriteEntry<string>> = {}): WriteEntry<string> => ({
  payload: '"v"',
  tags: [],
  createdAt: 1_700_000_000_000,
  ttl: 600_000,
  grace: 0,
  error: false,
  ...over,
});
const NOW = 1_700_000_000_003;

describe('entry format 2: encodings', () => {
  it('writes numbers in base 62, freshness relative to createdAt, and omits defaults', () => {
    expect(base62(0)).toBe('0');
    expect(base62(61)).toBe('z');
    expect(base62(62, 3)).toBe('010');
    expect(base62(2 ** 53 - 1)).toBe('fFgnDxSe7');
    expect(stored(encodeBody(entryOf(), '[]', NOW))).toBe('~000NRKDyRTvcokgi:2W5T\n"v"');
    expect(encodeBody(entryOf({ grace: 30_000.9, error: true }), '[]', NOW)).toBe('Tvcokgi:2W5T+7ns!\n"v"');
    expect(encodeBody(entryOf({ createdAt: -5, ttl: 1 }), '[]', 10)).toBe('-5:G\n"v"');
  });

  it('writes numbers that are not safe integers as quoted decimals, freshness then absolute', () => {
    expect(encodeBody(entryOf({ createdAt: 1.5 }), '[]', 1000)).toBe("'1.5':'601000'\n\"v\"");
    expect(encodeBody(entryOf({ createdAt: 0, ttl: 1e300 }), '[]', 0)).toBe('0:\'1e+300\'\n"v"');
    expect(encodeBody(entryOf({ grace: 1e300 }), '[]', NOW)).toBe('Tvcokgi:2W5T+\'1e+300\'\n"v"');
  });

  it('leads each tag with a comma and escapes %, comma, newline and lone surrogates only', () => {
    expect(encodeTags(['user:1', 'a|b"c', ''])).toBe(',user:1,a|b"c,');
    expect(encodeTags(['50%,x\ny'])).toBe(',50%25%2Cx%0Ay');
    expect(encodeTags(['\ud800', 'x\udfffy', 'pair:\ud83d\ude00', '\ude00\ud83d'])).toBe(
      ',%uD800,x%uDFFFy,pair:\ud83d\ude00,%uDE00%uD83D',
    );
  });

  it('reads format 1 and other strings as no entry', () => {
    expect(parseEntry('~00005y0HfTw3zzfk:2W5T,t\n"v"')?.tags).toEqual(['t']); // the header the cases below break
    for (const v of [
      '4294967296|1700000000000|0|0|9999999999999|["t"]\n"v"',
      '"just a payload"',
      '~00005y0HfTw3zzfk:2W5T', // no newline
      '~00005y0HfTw3zzfk2W5T\n', // no colon
      '~00005y0H:2W5T\n', // short epoch
      '~zzzzzzzzzTw3zzfk:2W5T\n', // epoch past 2^53
      '~00005y0HfTw3zzfkAAA:2W5T\n', // a 10-digit number
      "~00005y0Hf'1e400':2W5T\n", // not finite
      "~00005y0Hf'1.2.3':2W5T\n",
      '~00005y0HfTw3zzfk:2W5T;t\n', // tags not led by a comma
      '~00005y0HfTw3zzfk:2W5T,%zz\n',
      '~00005y0HfTw3zzfk:2W5T,%2c\n', // lowercase hex
      '~00005y0HfTw3zzfk:2W5T,%uD83D%uDE00\n', // an escaped pair
      '~00005y0HfTw3zzfk:2W5T,%u0041\n', // not a surrogate
      '~00005y0HfTw3zzfk:2W5T!!\n',
    ])
      expect([v, parseEntry(v)]).toEqual([v, undefined]);
  });
});

/** Tags made of the characters the format escapes, separators of format 1, and ordinary text. */
const tagChar = fc.oneof(
  fc.constantFrom(',', '%', '\n', '|', '"', '\\', '~', ':', '!', '+', "'", '%25', '%uD800', 'é', '😀'),
  fc.constantFrom('\ud800', '\udbff', '\udc00', '\udfff'),
  fc.string({ maxLength: 3 }),
);
const tag = fc.array(tagChar, { maxLength: 6 }).map((cs) => cs.join(''));
const number = fc.oneof(
  fc.integer({ min: 1_600_000_000_000, max: 1_900_000_000_000 }),
  fc.maxSafeInteger(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);
const writeEntry = fc.record({
  payload: fc.string(),
  tags: fc.array(tag, { maxLength: 5 }),
  createdAt: number,
  ttl: fc.oneof(fc.integer({ min: 1, max: 10 ** 9 }), fc.double({ min: 1e-3, max: 1e300, noNaN: true })),
  grace: fc.oneof(
    fc.constant(0),
    fc.integer({ min: 1, max: 10 ** 9 }),
    fc.double({ min: 0, max: 1e300, noNaN: true }),
  ),
  error: fc.boolean(),
});

describe('entry format 2: round trips', () => {
  it('parseEntry returns every field encodeBody wrote', () => {
    fc.assert(
      fc.property(writeEntry, fc.integer({ min: 0, max: 2 ** 52 }), number, (entry, epoch, now) => {
        const e = parseEntry(stored(encodeBody(entry, JSON.stringify(entry.tags), now), epoch));
        // A freshness past the largest double (a clock and a TTL near 1e308) cannot be written:
        // the entry reads as a miss, never as a hit with a wrong life.
        if (!Number.isFinite(now + entry.ttl)) return expect(e).toBeUndefined();
        const freshUntil = Math.round(now + entry.ttl);
        expect(e).toEqual({
          at: epoch,
          createdAt: entry.createdAt === 0 ? 0 : entry.createdAt, // -0 is written as 0
          error: entry.error,
          freshUntil: freshUntil === 0 ? 0 : freshUntil, // -0 (a clock just below 0) is written as 0
          tagsJson: JSON.stringify(entry.tags),
          tags: entry.tags,
          payload: entry.payload,
        });
      }),
      { numRuns: 500 },
    );
  });
});

/** The scripts' parser, run in Redis: `{at, tags}` or false. */
const LUA_PARSE = `${BASICS}${PARSE_ENTRY}
local at, tags = parse_entry(ARGV[1])
if not at then return false end
return {str(at), tags}
`;
const asRedisSees = (s: string): string => Buffer.from(s, 'utf8').toString('utf8');

async function luaParse(v: string): Promise<{ at: number; tags: string[] } | undefined> {
  const reply = (await admin.sendCommand(['EVAL', LUA_PARSE, '0', v])) as [string, string[]] | null;
  return reply === null ? undefined : { at: Number(reply[0]), tags: reply[1] };
}

async function clientParse(v: string): Promise<{ at: number; tags: string[] } | undefined> {
  const e = parseEntry(asRedisSees(v));
  return e === undefined ? undefined : { at: e.at, tags: e.tags.map(asRedisSees) };
}

/** Pieces of headers: whole tokens, separators, escapes (valid and not), digits past the limits. */
const piece = fc.constantFrom(
  '~',
  '00005y0Hf',
  'Tw3zzfk',
  ':',
  '2W5T',
  '-',
  '+',
  '!',
  ',',
  '\n',
  "'1.5'",
  "'1e400'",
  "'",
  '.',
  'e',
  'zzzzzzzzz',
  'A',
  '%',
  '%25',
  '%2C',
  '%2c',
  '%0A',
  '%uD800',
  '%uDC00',
  '%uD83D%uDE00',
  '%u0041',
  'x',
  '|',
  '"',
  'é',
  '\ud800',
);
const candidate = fc.oneof(
  fc.array(piece, { maxLength: 14 }).map((ps) => ps.join('')),
  fc.array(piece, { maxLength: 8 }).map((ps) => '~00005y0HfTw3zzfk:2W5T' + ps.join('') + '\n"v"'),
  fc.tuple(writeEntry, fc.nat(40), fc.array(piece, { maxLength: 2 })).map(([entry, at, ps]) => {
    const v = stored(encodeBody(entry, JSON.stringify(entry.tags), NOW));
    const i = at % (v.length + 1);
    return v.slice(0, i) + ps.join('') + v.slice(i + (ps.length > 0 ? 1 : 0));
  }),
);

describe('entry format 2: the client and the scripts read the same strings alike', () => {
  it('valid, mutated and garbage headers: both reject, or both accept with the same epoch and tag bytes', async () => {
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(candidate, async (v) => {
        const [lua, client] = await Promise.all([luaParse(v), clientParse(v)]);
        expect([v, client]).toEqual([v, lua]);
        if (lua) accepted++;
      }),
      { numRuns: 600 },
    );
    expect(accepted).toBeGreaterThan(50); // the property saw entries, not only garbage
  });
});

describe('entry format 2 in Redis', () => {
  it('an entry with every field set survives expire: createdAt, grace, error flag, escaped tags', async () => {
    const ns = uniqueNamespace('codec-expire');
    const store = redisStore({ url });
    const tags = ['a,b', '50%', 'line\nbreak', '\ud800', 'é'];
    const entry = entryOf({ tags, createdAt: 1.5, ttl: 1000, grace: 50_000, error: true });
    await store.set(ns, 'k', entry);
    expect(await store.expire!(ns, 'k', 600_000)).toBe(true);
    const fresh = redisStore({ url }); // knows no tags: the GET script reads them
    const r = await fresh.get(ns, 'k');
    expect(r.hit && { createdAt: r.createdAt, error: r.error, tags: r.tags, payload: r.payload }).toEqual({
      createdAt: 1.5,
      error: true,
      tags,
      payload: '"v"',
    });
    expect(r.hit && r.ttl).toBeGreaterThan(590_000);
    const kept = await admin.pTTL(`tc:{${ns}|0}:k:k`);
    expect(kept).toBeGreaterThan(640_000); // ttl + the same grace
    await fresh.invalidate(ns, ['line\nbreak'], 'drop');
    expect((await store.get(ns, 'k')).hit).toBe(false);
    await Promise.all([store.close(), fresh.close()]);
  });

  it('expire rewrites freshness relative to an integer createdAt, and refuses a key that holds no entry', async () => {
    const ns = uniqueNamespace('codec-expire-int');
    const store = redisStore({ url });
    const createdAt = Date.now() + 3_600_000; // written in the future: freshness negative
    await store.set(ns, 'k', entryOf({ createdAt, ttl: 1000 }));
    expect(await store.expire!(ns, 'k', 60_000)).toBe(true);
    const v = (await admin.get(`tc:{${ns}|0}:k:k`)) as string;
    expect(v).toMatch(new RegExp(`^~[0-9A-Za-z]{9}${base62(createdAt)}:-[0-9A-Za-z]+\\n`));
    const r = await store.get(ns, 'k');
    expect(r.hit && r.createdAt).toBe(createdAt);
    expect(r.hit && r.ttl).toBeGreaterThan(50_000);
    await admin.set(`tc:{${ns}|0}:k:g`, '4294967296|1700000000000|0|0|9999999999999|[]\n"v"');
    expect(await store.expire!(ns, 'g', 60_000)).toBe(false);
    await store.close();
  });
});

/** The header grammar as a regular expression: the reference the in-place parser must agree with. */
const NUM = "(-?[0-9A-Za-z]{1,9}|'[-+.0-9eE]+')";
const HEADER = new RegExp(`^~([0-9A-Za-z]{9})${NUM}:${NUM}(?:\\+${NUM})?(!?)`);
const b62 = (t: string): number =>
  [...t].reduce(
    (n, c) => n * 62 + '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'.indexOf(c),
    0,
  );
function tokenValue(t: string): number | undefined {
  if (t.startsWith("'")) {
    const n = Number(t.slice(1, -1));
    return Number.isFinite(n) ? n : undefined;
  }
  return t.startsWith('-') ? -b62(t.slice(1)) : b62(t);
}
function referenceParse(v: string): StoredEntry | undefined {
  const m = HEADER.exec(v);
  if (m === null) return undefined;
  const createdAt = tokenValue(m[2]!);
  const fresh = tokenValue(m[3]!);
  if (
    createdAt === undefined ||
    fresh === undefined ||
    (m[4] !== undefined && tokenValue(m[4]) === undefined)
  )
    return undefined;
  const nl = v.indexOf('\n', m[0].length);
  const list = nl < 0 ? undefined : parseTagList(v.slice(m[0].length, nl));
  const at = b62(m[1]!);
  if (list === undefined || at >= 2 ** 53) return undefined;
  return {
    at,
    createdAt,
    error: m[5] === '!',
    freshUntil: m[3]!.startsWith("'") ? fresh : createdAt + fresh,
    tagsJson: list.json,
    tags: list.tags,
    payload: v.slice(nl + 1),
  };
}

describe('entry format 2: the in-place header parser', () => {
  const numbers = fc
    .array(fc.constantFrom('0', 'z', 'A', '-', "'", '1', '.', 'e', '+', ':', '!', ',', '\n', '9'), {
      maxLength: 12,
    })
    .map((cs) => cs.join(''));
  const headers = fc.oneof(
    candidate,
    fc.tuple(numbers, numbers, numbers).map(([a, b, c]) => `~00005y0Hf${a}:${b}${c}\n"v"`),
    fc.tuple(fc.nat(20), numbers).map(([n, a]) => `~${'1'.repeat(n)}${a}:1,t\n"v"`),
  );
  it('reads every string as the regular-expression grammar does, every field', () => {
    let accepted = 0;
    fc.assert(
      fc.property(headers, (v) => {
        const want = referenceParse(v);
        expect([v, parseEntry(v)]).toEqual([v, want]);
        if (want) accepted++;
      }),
      { numRuns: 3000 },
    );
    expect(accepted).toBeGreaterThan(100);
  });

  it('with the tags it expects, gives what it gives without them', () => {
    fc.assert(
      fc.property(writeEntry, writeEntry, (written, known) => {
        const v = stored(encodeBody(written, JSON.stringify(written.tags), NOW));
        const expected = { text: encodeTags(known.tags), tags: known.tags, json: JSON.stringify(known.tags) };
        expect(parseEntry(v, expected)).toEqual(parseEntry(v));
      }),
      { numRuns: 500 },
    );
  });
});
