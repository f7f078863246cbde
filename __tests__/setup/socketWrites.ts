/**
 * Counts how many batches a client writes to each server port while `fn` runs. node-redis
 * writes every batch of queued commands between one `cork()` and one `uncork()` of its socket,
 * so one `uncork` is one pipelined write.
 */
import net from 'node:net';

export async function batchesDuring(fn: () => Promise<unknown>): Promise<Map<number, number>> {
  const proto = net.Socket.prototype;
  const original = proto.uncork;
  const counts = new Map<number, number>();
  proto.uncork = function uncork(this: net.Socket): void {
    const port = this.remotePort;
    if (port !== undefined) counts.set(port, (counts.get(port) ?? 0) + 1);
    original.call(this);
  };
  try {
    await fn();
  } finally {
    proto.uncork = original;
  }
  return counts;
}
