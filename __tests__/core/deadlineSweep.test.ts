/**
 * The shared timeout sweep of store operations: a reply settles its operation, a silent one is
 * settled as late by the sweep, and a settled operation is not kept alive (with its reply) until
 * the sweep's next tick. An operation opened with `open` (a store's `readInto`) is settled through
 * its target the same way.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  createDeadlineSweep,
  type DeadlineOutcomes,
  type DeadlineSweep,
} from '../../lib/core/deadlineSweep.js';
import { manualTimers } from '../../lib/testing/manualTimers.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const LATE = Symbol('late');
const outcomes = (): DeadlineOutcomes<typeof LATE> & { replies: number } => {
  const o = {
    replies: 0,
    replied: () => void (o.replies += 1),
    failed: (): typeof LATE => LATE,
    late: (): typeof LATE => LATE,
  };
  return o;
};

describe('deadline sweep', () => {
  it('settles with the reply, or as late once the deadline passed without one', async () => {
    const timers = manualTimers(1_000);
    const o = outcomes();
    const sweep = createDeadlineSweep(timers, o);
    const answered = sweep.track(Promise.resolve('value'), 100, 'get', 'k');
    const silent = sweep.track(new Promise<string>(() => undefined), 100, 'get', 'k2');
    expect(await answered).toBe('value');
    expect(o.replies).toBe(1);
    timers.advance(150);
    expect(await silent).toBe(LATE);
    sweep.close();
  });

  // How a reply reaches the sweep: a promise it tracks, or the target of an opened operation.
  const settlers = {
    track: (sweep: DeadlineSweep<typeof LATE>, reply: object) =>
      sweep.track(Promise.resolve(reply), 10_000, 'get', 'k'),
    open: (sweep: DeadlineSweep<typeof LATE>, reply: object) => {
      const op = sweep.open<object>(10_000, 'get', 'k');
      const settled = op.promise;
      op.replied(reply);
      return settled;
    },
  };

  it.each(Object.keys(settlers) as (keyof typeof settlers)[])(
    'does not keep a reply settled through %s alive until its next tick',
    async (how) => {
      const timers = manualTimers(1_000); // never advanced: the sweep never ticks
      const sweep = createDeadlineSweep(timers, outcomes());
      // Neither the reply nor the settled promise is held here once the call has returned.
      const call = async (): Promise<{ ref: WeakRef<object>; answered: boolean }> => {
        const reply = { payload: 'x'.repeat(1_000) };
        const answered = (await settlers[how](sweep, reply)) === reply;
        return { ref: new WeakRef(reply), answered };
      };
      const { ref, answered } = await call();
      expect(answered).toBe(true);
      await new Promise((r) => setImmediate(r));
      gc();
      expect(ref.deref()).toBeUndefined();
      sweep.close();
    },
  );

  it('settles an opened operation through its target: the reply once, an error as failed, nothing after the deadline', async () => {
    const timers = manualTimers(1_000);
    const failures: unknown[] = [];
    const o = {
      ...outcomes(),
      failed: (_op: string, _key: string | undefined, error: unknown): typeof LATE => {
        failures.push(error);
        return LATE;
      },
    };
    const sweep = createDeadlineSweep(timers, o);
    const answered = sweep.open<string>(100, 'get', 'k');
    const settled = answered.promise;
    answered.replied('value');
    answered.replied('second reply');
    answered.failed(new Error('after the reply'));
    expect(await settled).toBe('value');
    expect(failures).toEqual([]);
    const failing = sweep.open<string>(100, 'get', 'k2');
    const failed = failing.promise;
    const boom = new Error('boom');
    failing.failed(boom);
    expect(await failed).toBe(LATE);
    expect(failures).toEqual([boom]);
    const silent = sweep.open<string>(100, 'get', 'k3');
    const late = silent.promise;
    timers.advance(150);
    expect(await late).toBe(LATE);
    silent.replied('too late');
    silent.failed(new Error('too late'));
    expect(failures).toEqual([boom]); // the late operation's own outcome was `late`, not `failed`
    sweep.close();
  });
});
