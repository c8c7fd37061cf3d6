import { beforeEach, describe, expect, it } from 'vitest';
import { moveMembers, planArgument, planItems, renameFile, reviewPlan, type SplitPlan } from '../src/split';
import { window } from './vscode-mock';

const PLAN: SplitPlan = {
  source: 'apps.billing.models',
  layout: 'flat',
  hub: [],
  files: [
    { module: 'apps.billing.base_models', names: ['Base'], shared: true, lines: 10, imports: [] },
    { module: 'apps.billing.invoice_models', names: ['Invoice', 'InvoiceLine'], lines: 120, imports: ['apps.billing.base_models'] },
    { module: 'apps.billing.payment_models', names: ['Payment'], lines: 40, imports: ['apps.billing.base_models'] },
  ],
};

beforeEach(() => {
  window.showQuickPick.mockReset();
  window.showInputBox.mockReset();
});

describe('the split plan editor', () => {
  it('lists "split" first, then each file with its members and line count', () => {
    const items = planItems(PLAN);
    expect(items.map((i) => i.label)).toEqual([
      '$(check) Split into 3 files',
      '$(file) base_models.py (shared)',
      '$(file) invoice_models.py',
      '$(file) payment_models.py',
    ]);
    expect(items[2]).toMatchObject({ description: 'Invoice, InvoiceLine · 120 lines', detail: 'imports base_models' });
  });

  it('renames a file and the imports naming it', () => {
    const plan = renameFile(PLAN, 'apps.billing.base_models', 'apps.billing.common');
    expect(plan.files.map((f) => f.module)).toEqual(['apps.billing.common', 'apps.billing.invoice_models', 'apps.billing.payment_models']);
    expect(plan.files[1].imports).toEqual(['apps.billing.common']);
  });

  it('moves members to another file or a new one, dropping emptied files', () => {
    let plan = moveMembers(PLAN, ['InvoiceLine'], 'apps.billing.line_models');
    expect(plan.files.map((f) => [f.module, f.names])).toEqual([
      ['apps.billing.base_models', ['Base']],
      ['apps.billing.invoice_models', ['Invoice']],
      ['apps.billing.payment_models', ['Payment']],
      ['apps.billing.line_models', ['InvoiceLine']],
    ]);
    plan = moveMembers(plan, ['Payment'], 'apps.billing.invoice_models');
    expect(plan.files.map((f) => f.module)).not.toContain('apps.billing.payment_models');
    expect(plan.files[1]).toEqual({ module: 'apps.billing.invoice_models', names: ['Invoice', 'Payment'], shared: undefined, lines: undefined, imports: undefined });
  });

  it('sends back modules, names and the shared flag only', () => {
    expect(planArgument(PLAN).files[0]).toEqual({ module: 'apps.billing.base_models', names: ['Base'], shared: true });
  });

  it('turns picker choices into the plan to apply', async () => {
    const answers: unknown[] = [
      (items: { module?: string }[]) => items.find((i) => i.module === 'apps.billing.payment_models'), // a file
      () => 'Rename…',
      (items: { action?: string }[]) => items[0], // split
    ];
    window.showQuickPick.mockImplementation(async (items: unknown) => (answers.shift() as (i: unknown) => unknown)(items));
    window.showInputBox.mockResolvedValue('apps.billing.payments');
    const plan = await reviewPlan(PLAN);
    expect(plan!.files.map((f) => f.module)).toEqual(['apps.billing.base_models', 'apps.billing.invoice_models', 'apps.billing.payments']);
  });

  it('applies nothing when the user cancels', async () => {
    window.showQuickPick.mockResolvedValue(undefined);
    expect(await reviewPlan(PLAN)).toBeUndefined();
  });
});
