/**
 * The child side of lineChild.ts: reads one JSON request per line from stdin, answers each with
 * `{ id, result }` or `{ id, error }` on stdout, and first announces `{ id: 0, result: pid }`.
 * `sequential` handles requests one after another in arrival order; otherwise they run at once.
 */
import { createInterface } from 'node:readline';

/** A request as the parent sends it: its own fields plus the id it is matched by. */
export type Served<R> = R & { readonly id: number };

export function serveLines<R extends { readonly op: string }>(
  handle: (req: Served<R>) => Promise<unknown>,
  { sequential }: { readonly sequential: boolean },
): void {
  const answer = (req: Served<R>): Promise<void> =>
    handle(req).then(
      (result) => void process.stdout.write(JSON.stringify({ id: req.id, result }) + '\n'),
      (e: unknown) => void process.stdout.write(JSON.stringify({ id: req.id, error: String(e) }) + '\n'),
    );
  let queue = Promise.resolve();
  createInterface({ input: process.stdin }).on('line', (line) => {
    const req = JSON.parse(line) as Served<R>;
    if (sequential) queue = queue.then(() => answer(req));
    else void answer(req);
  });
  process.stdout.write(JSON.stringify({ id: 0, result: process.pid }) + '\n');
}
