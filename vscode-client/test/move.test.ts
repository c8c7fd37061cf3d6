import { beforeEach, describe, expect, it } from 'vitest';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import {
  destinationItems,
  fileOf,
  moveArguments,
  newFileDefault,
  NEW_FILE_LABEL,
  packageOf,
  pickDestination,
  pickerArguments,
  type PickerArgs,
} from '../src/move';
import { mock, window } from './vscode-mock';

const ARGS: PickerArgs = {
  uri: 'file:///w/apps/billing/models.py',
  names: ['Invoice'],
  source: 'apps.billing.models',
  suggestions: ['apps.billing.invoice_models', 'apps.billing.customer_models', 'apps.billing.payment_models'],
};
const none = () => false;
const only = (...modules: string[]) => (m: string) => modules.includes(m);

beforeEach(() => {
  mock.reset();
  window.showQuickPick.mockReset();
  window.showInputBox.mockReset();
});

describe('the destination picker', () => {
  it('lists the existing feature files, then "New feature file…" with the conventional name', () => {
    const items = destinationItems(ARGS, only('apps.billing.customer_models', 'apps.billing.payment_models'));
    expect(items.map((i) => [i.label, i.module])).toEqual([
      ['$(file) customer_models.py', 'apps.billing.customer_models'],
      ['$(file) payment_models.py', 'apps.billing.payment_models'],
      [NEW_FILE_LABEL, undefined],
    ]);
    expect(items[2].description).toBe('apps.billing.invoice_models');
    expect(newFileDefault(ARGS, none)).toBe('apps.billing.invoice_models');
  });

  it('lists the conventional file first when it exists, and prefills the package then', () => {
    const items = destinationItems(ARGS, only('apps.billing.invoice_models'));
    expect(items[0]).toMatchObject({ module: 'apps.billing.invoice_models', detail: 'the conventional feature file' });
    expect(newFileDefault(ARGS, only('apps.billing.invoice_models'))).toBe('apps.billing.');
  });

  it('maps modules to files in a flat and in a package layout', () => {
    expect(packageOf(ARGS)).toBe('apps.billing');
    expect(fileOf(ARGS, 'apps.billing.invoice_models')).toBe('/w/apps/billing/invoice_models.py');
    expect(fileOf(ARGS, 'apps.shop.models')).toBeUndefined();
    const pkg = { ...ARGS, uri: 'file:///w/apps/billing/models/__init__.py', suggestions: ['apps.billing.models.invoice'] };
    expect(packageOf(pkg)).toBe('apps.billing.models');
    expect(fileOf(pkg, 'apps.billing.models.invoice')).toBe('/w/apps/billing/models/invoice.py');
  });

  it('turns an existing feature file (on disk) into carve.moveSymbol arguments', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'carve-picker-'));
    fs.mkdirSync(path.join(dir, 'apps', 'billing'), { recursive: true });
    for (const name of ['models.py', 'payment_models.py']) fs.writeFileSync(path.join(dir, 'apps', 'billing', name), '');
    const args = { ...ARGS, uri: pathToFileURL(path.join(dir, 'apps', 'billing', 'models.py')).href };
    window.showQuickPick.mockImplementation(async (items: { label: string }[]) => {
      expect(items.map((i) => i.label)).toEqual(['$(file) payment_models.py', NEW_FILE_LABEL]);
      return items[0];
    });
    const destination = await pickDestination(args);
    expect(window.showInputBox).not.toHaveBeenCalled();
    expect(moveArguments(args, destination!)).toEqual({
      uri: args.uri,
      names: ['Invoice'],
      destination: 'apps.billing.payment_models',
      importers: null,
    });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('turns "New feature file…" + a typed name into carve.moveSymbol arguments', async () => {
    window.showQuickPick.mockImplementation(async (items: { module?: string }[]) => items.at(-1));
    window.showInputBox.mockImplementation(async (options: { value: string; validateInput: (v: string) => unknown }) => {
      expect(options.value).toBe('apps.billing.invoice_models');
      expect(options.validateInput('apps.billing.')).toBeTruthy();
      expect(options.validateInput('apps.billing.billing_models')).toBeUndefined();
      return ' apps.billing.billing_models ';
    });
    const destination = await pickDestination(ARGS);
    expect(moveArguments(ARGS, destination!)).toEqual({
      uri: ARGS.uri,
      names: ['Invoice'],
      destination: 'apps.billing.billing_models',
      importers: null,
    });
  });

  it('moves nothing when the user cancels', async () => {
    window.showQuickPick.mockResolvedValue(undefined);
    expect(await pickDestination(ARGS)).toBeUndefined();
    expect(window.showInputBox).not.toHaveBeenCalled();
  });

  it("finds the picker's arguments among the server's refactor.move actions", () => {
    const actions = [
      { title: 'Move `Invoice` to invoice_models.py', command: { command: 'carve.moveSymbol', arguments: [{}] } },
      { title: 'Move to another feature file…', command: { command: 'carve.pickMoveDestination', arguments: [ARGS] } },
    ];
    expect(pickerArguments(actions)).toBe(ARGS);
    expect(pickerArguments(actions.slice(0, 1))).toBeUndefined();
  });
});
