/**
 * The second process of the two-process stampede: builds the same subject as the parent and
 * fires its half of the callers when told to.
 */
import { countingLoader, type Loader } from '../lib/fixtures.js';
import type { Subject } from '../lib/subject.js';
import { makeSubject } from '../peers/registry.js';
import type { FromChild, ToChild } from './stampedeProtocol.js';
import { connect, storm } from './stampedeStorm.js';

let subject: Subject | undefined;
let load: Loader | undefined;

const send = (m: FromChild): void => void process.send?.(m);

async function handle(m: ToChild): Promise<void> {
  switch (m.type) {
    case 'setup':
      load = countingLoader(m.delayMs);
      subject = await makeSubject(m.id, { url: m.url, space: 'stampede' }, load);
      await connect(subject);
      send({ type: 'ready' });
      return;
    case 'go': {
      if (subject === undefined || load === undefined) throw new Error('go before setup');
      send({ type: 'done', ...(await storm(subject, load, m.key, m.callers)) });
      return;
    }
    case 'teardown':
      await subject?.close();
      subject = undefined;
      send({ type: 'closed' });
      return;
  }
}

process.on('message', (m: ToChild) => {
  handle(m).catch((e: unknown) =>
    send({ type: 'error', message: e instanceof Error ? e.message : String(e) }),
  );
});
process.on('disconnect', () => process.exit(0));
