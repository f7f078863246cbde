/**
 * The shared timeout sweep of store operations: a reply settles its operation, a silent one is
 * settled as late by the sweep, and a settled operation is not kept alive (with its reply) until
 * the sweep's next tick.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createDeadlineSweep, type DeadlineOutcomes } from '../../lib/core/deadlineSweep.js';
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

  it('does not keep a settled reply alive until its next tick', async () => {
    const timers = manualTimers(1_000); // never advanced: the sweep never ticks
    const sweep = createDeadlineSweep(timers, outcomes());
    // Neither the reply nor the settled promise is held here once the call has returned.
    const call = async (): Promise<{ ref: WeakRef<object>; answered: boolean }> => {
      const reply = { payload: 'x'.repeat(1_000) };
      const answered = (await sweep.track(Promise.resolve(reply), 10_000, 'get', 'k')) === reply;
      return { ref: new WeakRef(reply), answered };
    };
    const { ref, answered } = await call();
    expect(answered).toBe(true);
    await new Promise((r) => setImmediate(r));
    gc();
    expect(ref.deref()).toBeUndefined();
    sweep.close();
  });
});
