/**
 * What a memory hit costs with copies (the default) against live values, for a small object and
 * the bench's 1 KB object, with 3 tags, serial, in one process (rounds interleaved; the median
 * of 5 rounds of 200,000 calls each is shown). Also the cost of one `JSON.parse` of the 1 KB
 * payload and of one structural copy of it, which is what a copied hit pays since its template
 * is decoded once.
 *
 *   npx tsx bench/repro/copiedHit.ts
 */
import { createCache, memoryStore, withCache } from '../../lib/index.js';
import { plainCopy } from '../../lib/serializers/plainCopy.js';
import { makeValue } from '../lib/fixtures.js';
import { runMain } from '../lib/runMain.js';

const CALLS = 200_000;
const ROUNDS = 5;
const small = (id: string) => ({ id, name: 'Ann', active: true });
const big = (id: string) => makeValue(id);

type Case = { readonly name: string; readonly run: () => Promise<unknown> | unknown };

function hitCase(label: string, live: boolean, make: (id: string) => unknown): Case {
  const cache = createCache({
    store: memoryStore({ liveValues: live }),
    namespace: `copy-${label}`,
    logger: false,
  });
  const f = withCache(async (id: string) => make(id), {
    cache,
    name: label,
    tags: (id: string) => ['items', `seller:${id}`, 'shelf:1'],
  });
  return { name: label, run: () => f('item:7') };
}

async function timeOf(c: Case): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) await c.run();
  return Number(process.hrtime.bigint() - start) / CALLS / 1000;
}

const median = (xs: readonly number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function main(): Promise<void> {
  const text = JSON.stringify(makeValue('item:7'));
  const template: unknown = JSON.parse(text);
  const cases: Case[] = [
    hitCase('small object, copies', false, small),
    hitCase('small object, liveValues', true, small),
    hitCase('1 KB object, copies', false, big),
    hitCase('1 KB object, liveValues', true, big),
    { name: 'JSON.parse of the 1 KB payload', run: () => JSON.parse(text) as unknown },
    { name: 'plainCopy of the 1 KB value', run: () => plainCopy(template) },
  ];
  const times = new Map<string, number[]>(cases.map((c) => [c.name, []]));
  for (const c of cases) await c.run(); // the first call of each case is its miss
  for (let r = 0; r < ROUNDS; r++)
    for (const c of r % 2 === 0 ? cases : [...cases].reverse()) times.get(c.name)?.push(await timeOf(c));
  console.log('| case | µs/call (median of 5) | ops/s |');
  console.log('| --- | ---: | ---: |');
  for (const c of cases) {
    const us = median(times.get(c.name) ?? []);
    console.log(`| ${c.name} | ${us.toFixed(3)} | ${Math.round(1e6 / us).toLocaleString('en-US')} |`);
  }
}

runMain(main);
