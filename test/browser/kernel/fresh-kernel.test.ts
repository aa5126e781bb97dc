/**
 * A fresh kernel in real JupyterLab and Chromium: completion works from the first keystroke, before
 * any cell has run (the live objects answer while the type checker warms up in its thread), and the
 * first cell runs at once while its type errors follow into its output.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startLab, type Lab } from '../chart/lab.js';

let lab: Lab;
before(async () => {
  lab = await startLab();
});
after(() => lab?.stop());

/** A notebook with one code cell, opened in a new page once its kernel is idle, the cell focused. */
async function freshNotebook(name: string, source = ''): Promise<Page> {
  const nb = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'windowpane', display_name: 'Windowpane (TypeScript)', language: 'typescript' } },
    cells: [{ cell_type: 'code', id: 'first', execution_count: null, metadata: {}, source, outputs: [] }],
  };
  writeFileSync(join(lab.rootDir, name), JSON.stringify(nb));
  const page = await lab.open(name);
  await page.locator('.jp-StatusBar-TextItem', { hasText: /Windowpane\) \| Idle/ }).first().waitFor({ timeout: 90_000 });
  await page.locator('.jp-Cell .jp-InputArea-editor').first().click();
  return page;
}

/** Types `text` and Tab into the focused cell; the completer's items once one of them is `expected` (a screenshot if never). */
async function completerAfterTab(page: Page, text: string, expected: string, name: string): Promise<string[]> {
  mkdirSync(join(process.cwd(), 'test-results'), { recursive: true });
  try {
    await page.keyboard.type(text);
    await page.keyboard.press('Tab');
    await page.locator('.jp-Completer .jp-Completer-item', { hasText: expected }).first().waitFor({ timeout: 30_000 });
    return (await page.locator('.jp-Completer .jp-Completer-item .jp-Completer-match').allTextContents()).map((t) => t.trim());
  } catch (e) {
    await page.screenshot({ path: join(process.cwd(), 'test-results', `${name}-failure.png`) });
    throw e;
  }
}

test('Math.ma and Tab in a fresh kernel, before anything ran: the completer shows max', async () => {
  const page = await freshNotebook('complete-first.ipynb');
  assert.deepEqual(await completerAfterTab(page, 'Math.ma', 'max', 'completion-first'), ['max']);
  assert.equal((await page.locator('.jp-Cell .jp-InputPrompt').first().textContent())?.trim(), '[ ]:', 'no cell has run');
  await page.screenshot({ path: join(process.cwd(), 'test-results', 'completion-first-keystroke.png') });
  // Enter takes it
  await page.keyboard.press('Enter');
  await page.locator('.jp-Cell .cm-content', { hasText: 'Math.max' }).first().waitFor({ timeout: 10_000 });
  await page.close();
});

test('Math.m and Tab before anything ran: the completer lists max and min', async () => {
  const page = await freshNotebook('complete-list.ipynb');
  assert.deepEqual(await completerAfterTab(page, 'Math.m', 'max', 'completion-list'), ['max', 'min']);
  await page.close();
});

test("the first cell runs at once; its type error follows into the cell's output as a warning", async () => {
  const page = await freshNotebook('first-cell.ipynb', 'const n: number = "x"\nn');
  await page.keyboard.press('Shift+Enter');
  const output = page.locator('.jp-Cell .jp-OutputArea').first();
  try {
    await output.locator('.jp-OutputArea-output', { hasText: "'x'" }).first().waitFor({ timeout: 60_000 });
    await output.locator('.jp-RenderedText[data-mime-type="application/vnd.jupyter.stderr"]', { hasText: 'warning TS2322' }).first().waitFor({ timeout: 60_000 });
  } catch (e) {
    await page.screenshot({ path: join(process.cwd(), 'test-results', 'first-cell-warning-failure.png') });
    throw e;
  }
  assert.match((await output.textContent()) ?? '', /Cell \[1\], line 1:7 - warning TS2322: Type 'string' is not assignable to type 'number'\./);
  await page.close();
});
