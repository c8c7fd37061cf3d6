import { describe, expect, it } from 'vitest';
import { PullGate } from '../src/workspacePull';

function token() {
  const listeners: (() => void)[] = [];
  return {
    isCancellationRequested: false,
    onCancellationRequested(listener: () => void) {
      listeners.push(listener);
      return { dispose: () => undefined };
    },
    cancel() {
      this.isCancellationRequested = true;
      for (const l of listeners) l();
    },
  };
}

const settled = async (promise: Promise<boolean>) => {
  let value: boolean | 'pending' = 'pending';
  void promise.then((v) => (value = v));
  await new Promise((r) => setTimeout(r, 0));
  return value;
};

describe('workspace diagnostics pulled on change', () => {
  it('lets the first pull through, then holds the next until something changes', async () => {
    const gate = new PullGate();
    expect(await gate.wait(token())).toBe(true);
    const second = gate.wait(token());
    expect(await settled(second)).toBe('pending');
    gate.markDirty();
    expect(await settled(second)).toBe(true);
    expect(await settled(gate.wait(token()))).toBe('pending');
  });

  it('a change while nobody waits lets exactly one pull through', async () => {
    const gate = new PullGate();
    await gate.wait(token());
    gate.markDirty();
    gate.markDirty();
    expect(await gate.wait(token())).toBe(true);
    expect(await settled(gate.wait(token()))).toBe('pending');
  });

  it('gives up when the pull is cancelled', async () => {
    const gate = new PullGate();
    await gate.wait(token());
    const t = token();
    const held = gate.wait(t);
    t.cancel();
    expect(await held).toBe(false);
  });
});
