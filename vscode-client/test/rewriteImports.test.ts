import { beforeEach, describe, expect, it } from 'vitest';
import { pickRewrite, targetItems } from '../src/rewriteImports';
import type { MigrationStatus } from '../src/statusView';
import { window } from './vscode-mock';

const row = (pkg: string, hubs: string[]) => ({
  package: pkg,
  hubs,
  feature_files: [],
  largest_file: '',
  largest_lines: 0,
  outside_imports: 0,
  via_hub: 0,
  hub_share: null,
  findings: {},
});
const STATUS: MigrationStatus = {
  projects: [{ root: '/w', packages: [row('apps.billing', ['apps.billing.models']), row('apps.shop', [])] }],
};

beforeEach(() => window.showQuickPick.mockReset());

describe('Rewrite Imports…', () => {
  it('offers every hub, each package with hubs, each hub', () => {
    expect(targetItems(STATUS).map((i) => i.target)).toEqual([null, 'apps.billing', 'apps.billing.models']);
  });

  it('turns the two choices into carve.rewriteImports arguments', async () => {
    window.showQuickPick
      .mockImplementationOnce(async (items: { mode: string }[]) => items.find((i) => i.mode === 'direct'))
      .mockImplementationOnce(async (items: { target: string | null }[]) => items.find((i) => i.target === 'apps.billing.models'));
    expect(await pickRewrite(STATUS)).toEqual({ mode: 'direct', target: 'apps.billing.models' });
  });

  it('rewrites nothing when cancelled', async () => {
    window.showQuickPick.mockResolvedValue(undefined);
    expect(await pickRewrite(STATUS)).toBeUndefined();
  });
});
