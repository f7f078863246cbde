/**
 * A TCP relay in front of a real Redis that can hold back the server's replies: commands go
 * through at once (Redis runs them), but while the gate is held their replies wait in the relay
 * until `release()`. A test uses it to keep a read outstanding in its process after Redis has
 * already answered it, while other processes carry on against the same server directly.
 */
import net from 'node:net';

export interface ReplyGate {
  /** `redis://127.0.0.1:PORT` of the relay. */
  readonly url: string;
  /** From now on, replies are kept in the relay. */
  hold(): void;
  /** Resolves once at least `bytes` bytes of replies are held (Redis has answered). */
  held(bytes?: number): Promise<void>;
  /** Delivers the held replies, in order, and stops holding. */
  release(): void;
  close(): Promise<void>;
}

/** Opens a relay to the Redis at `target` (`redis://host:port`). */
export async function replyGate(target: string): Promise<ReplyGate> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<net.Socket>();
  let holding = false;
  let queue: [net.Socket, Buffer][] = [];
  let heldBytes = 0;
  let waiters: { bytes: number; done: () => void }[] = [];
  const wake = (): void => {
    const ready = waiters.filter((w) => heldBytes >= w.bytes);
    waiters = waiters.filter((w) => heldBytes < w.bytes);
    for (const w of ready) w.done();
  };
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(port), hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => {
        sockets.delete(s);
        client.destroy();
        upstream.destroy();
      });
    }
    client.on('data', (chunk: Buffer) => upstream.write(chunk));
    upstream.on('data', (chunk: Buffer) => {
      if (!holding) return void client.write(chunk);
      queue.push([client, chunk]);
      heldBytes += chunk.length;
      wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: local } = server.address() as net.AddressInfo;
  return {
    url: `redis://127.0.0.1:${local}`,
    hold() {
      holding = true;
      heldBytes = 0;
    },
    held: (bytes = 1) =>
      new Promise<void>((done) => {
        waiters.push({ bytes, done });
        wake();
      }),
    release() {
      holding = false;
      const now = queue;
      queue = [];
      for (const [socket, chunk] of now) socket.write(chunk);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
