// The carve extension in a real VS Code (code-server), driven by Playwright + system
// Chromium. Run by e2e/run.sh; exits 0 on success, 1 on failure. Screenshots of each
// step go to $ART. Env: CS_URL, WS_DIR, ART, LOGS_DIR, CHROMIUM (default /usr/bin/chromium).
const { chromium } = require('playwright-core');
const fs = require('fs');
const path = require('path');

const url = process.env.CS_URL;
const ws = process.env.WS_DIR;
const art = process.env.ART;
const logsDir = process.env.LOGS_DIR;
const t0 = Date.now();
const step = (msg) => console.log(`[e2e +${((Date.now() - t0) / 1000).toFixed(1)}s] ${msg}`);
let page;
let shots = 0;

async function shot(name) {
  const file = path.join(art, `${String(++shots).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file });
  step(`screenshot ${path.basename(file)}`);
}

const flat = (text) => (text || '').replace(/\u00a0/g, ' ');

/** The text of the active editor (short files only: Monaco renders visible lines). */
async function activeText() {
  return flat(await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().textContent());
}

async function waitForText(predicate, what, timeout = 20000) {
  const end = Date.now() + timeout;
  let text = '';
  while (Date.now() < end) {
    text = await activeText();
    if (predicate(text)) return text;
    await page.waitForTimeout(100);
  }
  throw new Error(`timed out waiting for ${what}; the editor shows: ${text}`);
}

async function quickOpen(file) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(file);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: file }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.tabs-container .tab.active', { hasText: file }).waitFor();
}

async function runCommand(title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

async function goToLine(line) {
  const cursor = page.locator('.part.statusbar .statusbar-item', { hasText: new RegExp(`Ln ${line},`) });
  for (let attempt = 1; attempt <= 5; attempt++) {
    await page.keyboard.press('Control+G');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(`:${line}`);
    await page.locator('.quick-input-widget', { hasText: `line ${line}` }).waitFor({ timeout: 5000 }).catch(() => undefined);
    await page.keyboard.press('Enter');
    if (await cursor.waitFor({ timeout: 3000 }).then(() => true, () => false)) return;
    await page.keyboard.press('Escape');
  }
  throw new Error(`could not go to line ${line}`);
}

/** The text of the Carve log channel's file(s). */
function carveLog() {
  const texts = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.includes('Carve') && entry.name.endsWith('.log')) texts.push(fs.readFileSync(full, 'utf8'));
    }
  };
  if (logsDir && fs.existsSync(logsDir)) walk(logsDir);
  return texts.join('\n');
}

/** "Activation to first carve diagnostics: N ms", as the extension logged it. */
function loggedFirstDiagnostics() {
  const match = /Activation to first carve diagnostics: (\d+) ms/.exec(carveLog());
  return match ? Number(match[1]) : undefined;
}

const countInLogs = (pattern) => (carveLog().match(pattern) || []).length;

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  try {
    const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    page = await ctx.newPage();
    page.setDefaultTimeout(30000);
    await page.goto(`${url}/?folder=${encodeURIComponent(ws)}`);
    await page.locator('.monaco-workbench .part.statusbar').waitFor();
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'apps' }).waitFor();
    step('workbench ready');

    // 1. Opening a Python file activates the extension; the hub bypass shows in Problems.
    await page.locator('.monaco-workbench').click({ position: { x: 700, y: 450 } });
    const tOpen = Date.now();
    await quickOpen('views.py');
    await page.keyboard.press('Control+Shift+M');
    await page.locator('.markers-panel .monaco-list-row', { hasText: 'is re-exported by' }).first()
      .waitFor({ timeout: 60000 });
    const uiSeconds = (Date.now() - tOpen) / 1000;
    step(`carve diagnostic in Problems ${uiSeconds.toFixed(1)} s after opening views.py`);
    const status = page.locator('.part.statusbar .statusbar-item', { hasText: 'carve: 1' });
    await status.waitFor();
    step('status bar shows "carve: 1"');
    await shot('diagnostic-in-problems');

    // 2. The quick fix routes the import through the hub.
    await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('F8'); // next problem: puts the cursor on it
    await page.keyboard.press('Escape');
    // The preferred fix is listed (and focused) first; the menu takes keys, not clicks.
    // Ctrl+. a few ms after F8 moved the cursor can find "No code actions available": VS Code
    // cancels its request for the old cursor position (-32800 in the trace) and shows that
    // answer. A person is slower than that; the test asks again.
    const fixRow = page.locator('.action-widget .monaco-list-row.focused', { hasText: 'from the hub' });
    for (let attempt = 1; !(await fixRow.isVisible().catch(() => false)); attempt++) {
      if (attempt > 1) step(`quick fix menu: attempt ${attempt}`);
      if (attempt > 5) throw new Error('no quick fix offered on the hub-bypass diagnostic');
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+.');
      await fixRow.waitFor({ timeout: 3000 }).catch(() => undefined);
    }
    await shot('quick-fix-menu');
    await page.keyboard.press('Enter');
    await waitForText((t) => t.includes('from apps.billing.models import Payment'), 'the quick fix');
    step('quick fix applied: views.py imports Payment from the hub');
    await page.locator('.part.statusbar .statusbar-item', { hasText: /^\s*carve\s*$/ }).first().waitFor();
    step('status bar count back to 0');
    await shot('quick-fix-applied');

    // 3. Move Symbol to Feature File… from the palette, through the picker.
    await quickOpen('models.py');
    await goToLine(6); // class Invoice
    await runCommand('Carve: Move Symbol to Feature File');
    const newFile = page.locator('.quick-input-list .monaco-list-row', { hasText: 'New feature file' });
    await newFile.waitFor();
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'payment_models.py' }).waitFor();
    await shot('move-picker');
    await newFile.click();
    const input = page.locator('.quick-input-widget input');
    await page.waitForFunction(() => document.querySelector('.quick-input-widget input')?.value === 'apps.billing.invoice_models');
    await shot('move-new-file-name');
    await input.press('Enter');
    await page.locator('.tabs-container .tab.active', { hasText: 'invoice_models.py' }).waitFor();
    await waitForText((t) => t.includes('class Invoice'), 'the moved class in invoice_models.py');
    if (!fs.existsSync(path.join(ws, 'apps/billing/invoice_models.py'))) throw new Error('invoice_models.py was not created');
    await page.locator('.tabs-container .tab', { hasText: /^models\.py/ }).first().click();
    const hub = await waitForText((t) => t.includes('from .invoice_models import Invoice as Invoice'), 'the hub re-export');
    if (hub.includes('class Invoice')) throw new Error(`the hub still defines Invoice: ${hub}`);
    step('moved: invoice_models.py created and opened, models.py re-exports Invoice');
    await shot('moved');

    // 4. One undo reverts the move.
    await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+Z');
    const undoAll = page.locator('.monaco-dialog-box .monaco-button', { hasText: /Undo/ }).first();
    if (await undoAll.isVisible({ timeout: 3000 }).catch(() => false)) {
      await shot('undo-dialog');
      await undoAll.click();
    }
    await waitForText((t) => t.includes('class Invoice') && !t.includes('invoice_models'), 'the undone hub');
    for (let i = 0; i < 50 && fs.existsSync(path.join(ws, 'apps/billing/invoice_models.py')); i++) await page.waitForTimeout(100);
    if (fs.existsSync(path.join(ws, 'apps/billing/invoice_models.py'))) throw new Error('undo left invoice_models.py');
    step('undo: models.py defines Invoice again, invoice_models.py is gone');
    await shot('undone');

    // 5. Check Workspace and Show Modularization Status.
    await runCommand('Carve: Check Workspace');
    await page.locator('.notifications-toasts .notification-list-item-message', { hasText: /carve: (no findings|\d+ finding)/ })
      .first().waitFor();
    step('Check Workspace reported');
    await runCommand('Carve: Show Modularization Status');
    const webview = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    await webview.locator('td', { hasText: 'apps.billing' }).first().waitFor();
    step('status table shows apps.billing');
    await shot('modularization-status');

    // 6. Rewrite Imports… runs through the pickers to the server's answer. (Under the
    // fixture's import-policy = "via-hub" carve keeps views.py's import through the hub.)
    await page.locator('.tabs-container .tab', { hasText: /^views\.py/ }).first().click();
    await runCommand('Carve: Rewrite Imports');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Import from the defining modules' }).click();
    const hubRow = page.locator('.quick-input-list .monaco-list-row', { hasText: 'apps.billing.models' });
    await hubRow.waitFor();
    await shot('rewrite-imports-target');
    await hubRow.click();
    const answer = page.locator('.notifications-toasts .notification-list-item-message', { hasText: /carve: (imports rewritten|no import rewritten)/ }).first();
    await answer.waitFor();
    step(`Rewrite Imports answered: ${await answer.textContent()}`);
    await shot('rewrite-imports-answer');

    // 7. Split Module by Feature… (E2E_SPLIT=0 skips it)
    if (process.env.E2E_SPLIT !== '0') {
      // (a click: keys pressed while the status webview has the focus may not reach the workbench)
      await page.locator('.tabs-container .tab', { hasText: /^models\.py/ }).first().click();
      await page.locator('.tabs-container .tab.active', { hasText: /^models\.py/ }).waitFor();
      await runCommand('Carve: Split Module by Feature');
      const splitRow = page.locator('.quick-input-list .monaco-list-row', { hasText: /Split into \d+ files?/ });
      await splitRow.waitFor();
      await shot('split-plan');
      await splitRow.click();
      await waitForText((t) => !t.includes('class Invoice') && t.includes('import Invoice as Invoice'), 'the split hub');
      step('split: models.py is the hub of its feature files');
      await shot('split-applied');
    }

    // 8. A carve.* setting change restarts the server; an interpreter that cannot run is
    // reported, never silently ignored.
    // (the workspace's .vscode/settings.json: code-server watches it, not the user file)
    fs.mkdirSync(path.join(ws, '.vscode'), { recursive: true });
    fs.writeFileSync(path.join(ws, '.vscode', 'settings.json'), JSON.stringify({ 'carve.interpreter': '/nonexistent/python3' }));
    await page.locator('.notifications-toasts .notification-list-item-message', { hasText: 'could not run /nonexistent/python3' })
      .first().waitFor();
    await page.locator('.part.statusbar .statusbar-item', { hasText: /^\s*carve\s*$/ }).first().waitFor();
    step('restarted on the setting change; the bad interpreter is reported');
    await shot('bad-interpreter-notification');

    const pulls = countInLogs(/Sending request 'workspace\/diagnostic/g);
    console.log(`E2E workspace/diagnostic requests during the session: ${pulls}`);
    const ms = loggedFirstDiagnostics();
    console.log(`E2E activation -> first carve diagnostic: ${ms === undefined ? 'not logged' : `${(ms / 1000).toFixed(2)} s`} (extension log); ${uiSeconds.toFixed(1)} s from opening the file to the row in Problems`);
    console.log(`E2E PASSED in ${((Date.now() - t0) / 1000).toFixed(1)} s (${shots} screenshots in ${art})`);
  } catch (err) {
    console.error('E2E FAILED:', err && err.message ? err.message : err);
    if (page) await page.screenshot({ path: path.join(art, 'failure.png') }).catch(() => undefined);
    process.exitCode = 1;
  } finally {
    await browser.close();
  }
})();
