// Split Module by Feature…: the server proposes a plan (carve.splitModule {uri}); the user
// reviews it in a quick pick (files, members, line counts), renames files and moves
// members between them; the chosen plan goes back as carve.splitModule {uri, plan}.
import * as vscode from 'vscode';
import { validateModuleName } from './move';

export const SPLIT_COMMAND = 'carve.splitModule';
export const PICK_SPLIT_COMMAND = 'carve.pickSplitPlan';

export interface PlannedFile {
  module: string;
  names: string[];
  shared?: boolean;
  lines?: number;
  imports?: string[];
}

export interface SplitPlan {
  source: string;
  layout: string;
  hub: string[];
  files: PlannedFile[];
}

const last = (module: string): string => module.split('.').pop() ?? module;

/** The plan with `module` renamed (and every file importing it told so). */
export function renameFile(plan: SplitPlan, module: string, to: string): SplitPlan {
  const rename = (m: string): string => (m === module ? to : m);
  return {
    ...plan,
    files: plan.files.map((f) => ({ ...f, module: rename(f.module), imports: f.imports?.map(rename) })),
  };
}

/** The plan with `names` moved to `to` (a planned file, or a new one); files left empty
 * are dropped. Line counts and imports are the server's to recompute: they are cleared
 * on the files that changed. */
export function moveMembers(plan: SplitPlan, names: string[], to: string): SplitPlan {
  const moving = new Set(names);
  const files = plan.files.map((f) =>
    f.names.some((n) => moving.has(n))
      ? { ...f, names: f.names.filter((n) => !moving.has(n)), lines: undefined, imports: undefined }
      : f,
  );
  const target = files.find((f) => f.module === to);
  if (target) {
    const index = files.indexOf(target);
    files[index] = { ...target, names: [...target.names, ...names], lines: undefined, imports: undefined };
  } else {
    files.push({ module: to, names: [...names] });
  }
  return { ...plan, files: files.filter((f) => f.names.length > 0) };
}

/** What goes back to the server: modules, names and the shared flag only. */
export function planArgument(plan: SplitPlan): SplitPlan {
  return {
    source: plan.source,
    layout: plan.layout,
    hub: [...plan.hub],
    files: plan.files.map((f) => ({ module: f.module, names: [...f.names], shared: !!f.shared })),
  };
}

export interface PlanItem extends vscode.QuickPickItem {
  action: 'apply' | 'file';
  module?: string;
}

export function planItems(plan: SplitPlan): PlanItem[] {
  const files = plan.files.map(
    (f): PlanItem => ({
      label: `$(file) ${last(f.module)}.py${f.shared ? ' (shared)' : ''}`,
      description: `${f.names.join(', ')}${f.lines ? ` · ${f.lines} lines` : ''}`,
      detail: f.imports?.length ? `imports ${f.imports.map(last).join(', ')}` : undefined,
      action: 'file',
      module: f.module,
    }),
  );
  const hub = plan.hub.length ? ` (${last(plan.source)} keeps ${plan.hub.join(', ')})` : '';
  return [
    {
      label: `$(check) Split into ${plan.files.length} file${plan.files.length === 1 ? '' : 's'}`,
      description: `${last(plan.source)} becomes their hub${hub}`,
      action: 'apply',
    },
    ...files,
  ];
}

/** Review and edit `plan`; the plan to apply, or undefined when the user cancels. */
export async function reviewPlan(initial: SplitPlan): Promise<SplitPlan | undefined> {
  let plan = initial;
  for (;;) {
    const picked = await vscode.window.showQuickPick(planItems(plan), {
      title: `Split ${initial.source} by feature`,
      placeHolder: 'Pick a file to rename it or move its members; pick the first line to split',
      matchOnDescription: true,
    });
    if (!picked) return undefined;
    if (picked.action === 'apply') return plan;
    plan = (await editFile(plan, picked.module!)) ?? plan;
  }
}

async function editFile(plan: SplitPlan, module: string): Promise<SplitPlan | undefined> {
  const file = plan.files.find((f) => f.module === module)!;
  const choice = await vscode.window.showQuickPick(['Rename…', 'Move members to another file…'], {
    title: `${last(module)}.py`,
  });
  if (choice === 'Rename…') {
    const to = await vscode.window.showInputBox({
      title: `Rename ${last(module)}.py`,
      value: module,
      valueSelection: [module.lastIndexOf('.') + 1, module.length],
      validateInput: validateModuleName,
    });
    return to ? renameFile(plan, module, to.trim()) : undefined;
  }
  if (choice !== 'Move members to another file…') return undefined;
  const names = await vscode.window.showQuickPick(file.names, { canPickMany: true, title: `Move from ${last(module)}.py` });
  if (!names?.length) return undefined;
  const others = plan.files.filter((f) => f.module !== module).map((f) => ({ label: `${last(f.module)}.py`, module: f.module }));
  const target = await vscode.window.showQuickPick([...others, { label: '$(new-file) New file…', module: '' }], {
    title: `Move ${names.join(', ')} to`,
  });
  if (!target) return undefined;
  let to = target.module;
  if (!to) {
    const prefix = module.slice(0, module.lastIndexOf('.') + 1);
    to = (await vscode.window.showInputBox({ title: 'New feature file', value: prefix, validateInput: validateModuleName }))?.trim() ?? '';
  }
  return to ? moveMembers(plan, names, to) : undefined;
}
