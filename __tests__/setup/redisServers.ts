/**
 * Real redis-server processes for the tests: a standalone server, a 3-master cluster, and
 * throwaway servers that failure tests can stop and start again on the same port. Never the
 * system Redis on 6379: every server listens on a free port with its own temp directory.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Env var holding the standalone test server's URL (`redis://127.0.0.1:PORT`). */
export const REDIS_URL_ENV = 'TAGCACHE_TEST_REDIS_URL';
/** Env var holding the test cluster's nodes (`127.0.0.1:P1,127.0.0.1:P2,127.0.0.1:P3`). */
export const CLUSTER_NODES_ENV = 'TAGCACHE_TEST_CLUSTER_NODES';

export interface RedisServer {
  readonly port: number;
  readonly url: string;
  readonly dir: string;
  /** Whether the process is running. */
  running(): boolean;
  /** Stops the server (SIGTERM, then SIGKILL). The port stays reserved for `start`. */
  stop(): Promise<void>;
  /** Starts it again on the same port (after `stop`). */
  start(): Promise<void>;
  /** Stops it and removes its directory. */
  destroy(): Promise<void>;
  /** Sends a signal to the process (SIGSTOP / SIGCONT a hung host, SIGKILL a crash). */
  kill(signal: NodeJS.Signals): void;
}

export interface RedisCluster {
  readonly nodes: readonly RedisServer[];
  /** `127.0.0.1:P` of each node (masters and replicas). */
  readonly hosts: readonly string[];
  destroy(): Promise<void>;
}

export interface ClusterOptions {
  /** Replicas per master (default 0). */
  replicas?: number;
  /** `cluster-node-timeout` in ms (default 5000); small values make failovers fast. */
  nodeTimeout?: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Throws a helpful error when redis-server or redis-cli is not installed. */
export function requireRedisBinaries(): void {
  for (const bin of ['redis-server', 'redis-cli']) {
    const r = spawnSync(bin, ['--version'], { encoding: 'utf8' });
    if (r.error || r.status !== 0) {
      throw new Error(
        `${bin} is not on PATH; the Redis tests start real servers. Install it: apt-get install -y redis-server`,
      );
    }
  }
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/** A free TCP port; with `bus`, port + 10000 (the cluster bus) is free too. */
export async function freePort(bus = false): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20000 + Math.floor(Math.random() * 35000);
    if ((await portFree(port)) && (!bus || (await portFree(port + 10000)))) return port;
  }
  throw new Error('no free port found');
}

/** Sends `PING` over a raw (or TLS) socket; true on `+PONG`. */
function ping(port: number, tlsOn = false): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = tlsOn
      ? tls.connect({ port, host: '127.0.0.1', rejectUnauthorized: false })
      : net.connect(port, '127.0.0.1');
    const done = (ok: boolean): void => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(500, () => done(false));
    sock.once('error', () => done(false));
    sock.once(tlsOn ? 'secureConnect' : 'connect', () => sock.write('PING\r\n'));
    sock.once('data', (d) => done(d.toString().startsWith('+PONG')));
  });
}

async function waitUntil(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

function exited(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => proc.once('exit', () => resolve()));
}

export interface ServerOptions {
  port?: number;
  args?: readonly string[];
  /** Keep port + 10000 free too (cluster bus). */
  bus?: boolean;
  /** Wait for the port to accept connections rather than for PING (servers requiring AUTH). */
  noPing?: boolean;
  /** Serve TLS only (`rediss://`), with this certificate and key (PEM files). */
  tls?: { certFile: string; keyFile: string };
}

function serverArgs(port: number, dir: string, opts: ServerOptions): string[] {
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--daemonize',
    'no',
  ];
  args.push('--dir', dir, '--logfile', join(dir, 'redis.log'));
  if (opts.tls) {
    args.push('--port', '0', '--tls-port', String(port), '--tls-auth-clients', 'no');
    args.push(
      '--tls-cert-file',
      opts.tls.certFile,
      '--tls-key-file',
      opts.tls.keyFile,
      '--tls-ca-cert-file',
      opts.tls.certFile,
    );
  }
  return [...args, ...(opts.args ?? [])];
}

/** Writes a self-signed certificate for 127.0.0.1 / localhost into `dir` (openssl). */
export function selfSignedCert(dir: string): { certFile: string; keyFile: string } {
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  const r = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`openssl failed: ${r.stderr}`);
  return { certFile, keyFile };
}

/**
 * Starts a redis-server on a free port (or `port`), in a temp directory, without persistence.
 * `args` adds server options, e.g. `['--cluster-enabled', 'yes']`.
 */
export async function startRedisServer(opts: ServerOptions = {}): Promise<RedisServer> {
  requireRedisBinaries();
  const port = opts.port ?? (await freePort(opts.bus ?? false));
  const dir = mkdtempSync(join(tmpdir(), `tagcache-redis-${port}-`));
  const args = serverArgs(port, dir, opts);
  let proc: ChildProcess | undefined;
  const running = (): boolean => proc !== undefined && proc.exitCode === null && proc.signalCode === null;
  const start = async (): Promise<void> => {
    if (running()) return;
    proc = spawn('redis-server', args, { stdio: 'ignore' });
    proc.unref();
    const p = proc;
    await waitUntil(`redis-server on port ${port}`, async () => {
      if (p.exitCode !== null)
        throw new Error(`redis-server on port ${port} exited (${p.exitCode}); see ${dir}/redis.log`);
      return opts.noPing ? portFree(port).then((free) => !free) : ping(port, opts.tls !== undefined);
    });
  };
  const stop = async (): Promise<void> => {
    const p = proc;
    if (!p || !running()) return;
    p.kill('SIGTERM');
    const killer = setTimeout(() => p.kill('SIGKILL'), 3000);
    await exited(p);
    clearTimeout(killer);
  };
  await start();
  return {
    port,
    url: `${opts.tls ? 'rediss' : 'redis'}://127.0.0.1:${port}`,
    dir,
    running,
    stop,
    start,
    async destroy() {
      if (running()) proc?.kill('SIGCONT');
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
    kill(signal) {
      if (running()) proc?.kill(signal);
    },
  };
}

export function cli(port: number, ...args: string[]): string {
  const r = spawnSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (r.status !== 0) throw new Error(`redis-cli ${args.join(' ')} failed: ${r.stderr || r.stdout}`);
  return r.stdout;
}

/** Whether every replica among `ports` has its link to its master up. */
function replicasLinked(ports: readonly number[]): boolean {
  return ports.every((p) => {
    try {
      const info = cli(p, 'INFO', 'replication');
      return !/role:slave/.test(info) || /master_link_status:up/.test(info);
    } catch {
      return false;
    }
  });
}

/** Whether every node reports cluster_state:ok and knows all `masters` masters. */
function clusterReady(ports: readonly number[]): boolean {
  return ports.every((p) => {
    try {
      const info = cli(p, 'CLUSTER', 'INFO');
      return (
        /cluster_state:ok/.test(info) &&
        /cluster_slots_assigned:16384/.test(info) &&
        new RegExp(`cluster_known_nodes:${ports.length}`).test(info)
      );
    } catch {
      return false;
    }
  });
}

/**
 * Starts `masters` (times 1 + `replicas`) cluster-enabled servers and joins them with
 * `redis-cli --cluster create`; with replicas, waits until every replica is in sync.
 */
export async function startRedisCluster(masters = 3, opts: ClusterOptions = {}): Promise<RedisCluster> {
  const nodes: RedisServer[] = [];
  const replicas = opts.replicas ?? 0;
  try {
    for (let i = 0; i < masters * (1 + replicas); i++) {
      const args = [
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        'nodes.conf',
        '--cluster-node-timeout',
        String(opts.nodeTimeout ?? 5000),
        // Replicas sync at once (by default a master waits 5 s for more replicas to join).
        '--repl-diskless-sync-delay',
        '0',
      ];
      nodes.push(await startRedisServer({ args, bus: true }));
    }
    const hosts = nodes.map((n) => `127.0.0.1:${n.port}`);
    cli(
      nodes[0]!.port,
      '--cluster',
      'create',
      ...hosts,
      '--cluster-replicas',
      String(replicas),
      '--cluster-yes',
    );
    const ports = nodes.map((n) => n.port);
    await waitUntil('cluster_state:ok', () => clusterReady(ports), 30_000);
    if (replicas > 0) await waitUntil('replicas in sync', () => replicasLinked(ports), 30_000);
    return { nodes, hosts, destroy: () => Promise.all(nodes.map((n) => n.destroy())).then(() => undefined) };
  } catch (e) {
    await Promise.all(nodes.map((n) => n.destroy()));
    throw e;
  }
}

/** What globalSetup hands to globalTeardown (same process; kept on `globalThis`). */
export interface SuiteServers {
  server?: RedisServer;
  cluster?: RedisCluster;
}

const HANDLES = Symbol.for('tagcache.test.redisServers');

export function keepSuiteServers(h: SuiteServers): void {
  (globalThis as Record<symbol, unknown>)[HANDLES] = h;
}

export function takeSuiteServers(): SuiteServers {
  const g = globalThis as Record<symbol, unknown>;
  const h = (g[HANDLES] as SuiteServers | undefined) ?? {};
  delete g[HANDLES];
  return h;
}
