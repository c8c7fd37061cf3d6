import { describe, expect, it } from 'vitest';
import { rowCells, statusHtml, type PackageRow } from '../src/statusView';
import { countCarveFindings, findingsText } from '../src/status';

const ROW: PackageRow = {
  package: 'apps.billing',
  hubs: ['apps.billing.models'],
  feature_files: ['apps.billing.invoice_models', 'apps.billing.payment_models'],
  largest_file: 'apps.billing.models',
  largest_lines: 1200,
  outside_imports: 8,
  via_hub: 6,
  hub_share: 0.75,
  findings: { 'hub-bypass': 2 },
};

describe('status table and status bar', () => {
  it('renders one row per package like `carve status`', () => {
    expect(rowCells(ROW)).toEqual(['apps.billing', 'models', '2', 'models (1200 lines)', '75% of 8', 'hub-bypass 2']);
    const empty = { ...ROW, hubs: [], hub_share: null, findings: {} };
    expect(rowCells(empty)).toEqual(['apps.billing', '–', '2', 'models (1200 lines)', '–', '–']);
  });

  it('escapes what it shows and allows no scripts', () => {
    const html = statusHtml({ projects: [{ root: '/w/<b>', packages: [ROW] }] }, 'vscode-resource:');
    expect(html).toContain('/w/&lt;b&gt;');
    expect(html).toContain("default-src 'none'");
    expect(html).not.toContain('<script');
  });

  it('counts only carve diagnostics', () => {
    const diag = (source: string) => ({ source }) as never;
    const all = [
      [{}, [diag('carve'), diag('Pylance')]],
      [{}, [diag('carve')]],
    ] as never;
    expect(countCarveFindings(all)).toBe(2);
    expect(findingsText(0)).toBe('$(check) carve');
    expect(findingsText(2)).toBe('$(warning) carve: 2');
  });
});
