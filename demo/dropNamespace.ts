/**
 * Removes every key of a namespace from a Redis or Redis Cluster named by a tagcache URL, the
 * group clocks included (docs/redis.md, "Inspecting with redis-cli": what `cache.clear()` does,
 * plus the clocks). Safe only when no other process uses the namespace: the demo's own, at its end.
 */
type Scanner = {
  scanIterator(opts: { MATCH: string; COUNT: number }): AsyncIterable<string | string[]>;
  unlink(keys: string[]): Promise<number>;
};

/** The parts of a tagcache Redis URL the cleanup needs (storeFromUrl accepts the same forms). */
function parseUrl(tagcacheUrl: string): {
  scheme: string;
  auth: string;
  hosts: string[];
  base: string;
  prefix: string;
} {
  const m = /^([a-z-]+):\/\/(?:([^@/]*)@)?([^/?#]*)([^?#]*)(?:\?([^#]*))?/i.exec(tagcacheUrl.trim());
  const [, scheme = '', user = '', hostPart = '', path = '', query = ''] = m ?? [];
  const auth = user ? `${user}@` : '';
  const tls = scheme.toLowerCase().startsWith('rediss');
  const base = `${tls ? 'rediss' : 'redis'}://${auth}${hostPart}${path}`;
  return {
    scheme: scheme.toLowerCase(),
    auth,
    hosts: hostPart.split(','),
    base,
    prefix: new URLSearchParams(query).get('prefix') ?? 'tc',
  };
}

async function unlinkMatching(client: Scanner, pattern: string): Promise<number> {
  let removed = 0;
  for await (const batch of client.scanIterator({ MATCH: pattern, COUNT: 500 })) {
    const keys = Array.isArray(batch) ? batch : [batch];
    if (keys.length > 0) removed += await client.unlink(keys);
  }
  return removed;
}

/** Drops `namespace` from the server `tagcacheUrl` names; returns the number of keys removed (0 for other stores). */
export async function dropNamespace(tagcacheUrl: string, namespace: string): Promise<number> {
  const { scheme, auth, hosts, base, prefix } = parseUrl(tagcacheUrl);
  if (!/^rediss?(-cluster)?$/.test(scheme)) return 0;
  const { createClient, createCluster } = await import('redis');
  const pattern = `${prefix}:{${namespace}|*`;
  if (!scheme.endsWith('-cluster')) {
    const client = await createClient({ url: base }).connect();
    try {
      return await unlinkMatching(client as unknown as Scanner, pattern);
    } finally {
      client.destroy();
    }
  }
  const node = scheme.startsWith('rediss') ? 'rediss' : 'redis';
  const cluster = await createCluster({
    rootNodes: hosts.map((h) => ({ url: `${node}://${auth}${h}` })),
  }).connect();
  try {
    let removed = 0;
    for (const master of cluster.masters)
      removed += await unlinkMatching((await cluster.nodeClient(master)) as unknown as Scanner, pattern);
    return removed;
  } finally {
    cluster.destroy();
  }
}
