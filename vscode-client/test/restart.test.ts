import { describe, expect, it } from 'vitest';
import { Restarter } from '../src/restart';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('restart logic', () => {
  it('restarts once per request when requests do not overlap', async () => {
    const reasons: string[] = [];
    const restarter = new Restarter(async (reason) => void reasons.push(reason));
    await restarter.schedule('activation');
    await restarter.schedule('settings');
    expect(reasons).toEqual(['activation', 'settings']);
  });

  it('coalesces a burst during a restart into one more restart, never two at once', async () => {
    const reasons: string[] = [];
    let active = 0;
    let maxActive = 0;
    const gates = [deferred(), deferred()];
    const restarter = new Restarter(async (reason) => {
      active++;
      maxActive = Math.max(maxActive, active);
      reasons.push(reason);
      await gates[reasons.length - 1].promise;
      active--;
    });
    const first = restarter.schedule('activation');
    const a = restarter.schedule('carve.maxLines changed');
    const b = restarter.schedule('carve.interpreter changed');
    gates[0].resolve();
    await Promise.resolve();
    gates[1].resolve();
    await Promise.all([first, a, b]);
    expect(reasons).toEqual(['activation', 'carve.interpreter changed']);
    expect(maxActive).toBe(1);
  });

  it('keeps working after a failed restart', async () => {
    const reasons: string[] = [];
    const restarter = new Restarter(async (reason) => {
      reasons.push(reason);
      if (reason === 'bad') throw new Error('no python');
    });
    await restarter.schedule('bad');
    await restarter.schedule('good');
    expect(reasons).toEqual(['bad', 'good']);
  });
});
