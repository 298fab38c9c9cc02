/**
 * Journey 1, next month: a file with the same columns as the loaded dataset can be added to
 * it from the mapping review; the whole dataset is rebuilt, so duplicates across files are
 * found and loaded + rejected = input still holds over all files.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { e2eSkipReason, externalRequests, REPO_ROOT, screenshot, useReadyApp, waitForReady } from './harness';

const skip = e2eSkipReason();
if (skip) console.warn(skip);

interface Win {
  __callsight: { counts: { input: number; loaded: number; rejected: number; duplicates: number; total: number } };
}

describe.skipIf(Boolean(skip))('adding a same-schema file to the loaded dataset', () => {
  const session = useReadyApp();

  it('offers "Add to the current dataset" for the demo export and appends when ticked', async () => {
    const { page } = session();
    const before = await page.evaluate(() => (window as unknown as Win).__callsight.counts);
    // calls-sample.csv: the first 2,000 rows of the demo Parquet, as CSV (same columns).
    await page.getByTestId('file-input').first().setInputFiles(path.join(REPO_ROOT, 'data/demo/calls-sample.csv'));
    const dialog = page.getByTestId('mapping-dialog');
    await dialog.waitFor({ state: 'visible', timeout: 60_000 });
    const choice = dialog.getByTestId('append-choice');
    await expect(choice.isChecked()).resolves.toBe(false);
    await choice.check();
    await screenshot(page, '15-append-choice');
    await dialog.getByRole('button', { name: 'Import with this mapping' }).click();
    await page.waitForFunction((n) => (window as unknown as Win).__callsight?.counts.input === n, before.input + 2000, { timeout: 120_000 });
    await waitForReady(page, 120_000);
    const after = await page.evaluate(() => (window as unknown as Win).__callsight.counts);
    expect(after.loaded + after.rejected).toBe(after.input);
    // Every sample row repeats a call already loaded from the Parquet file.
    expect(after.duplicates).toBe(before.duplicates + 2000);
    expect(after.total).toBe(before.total);
    await expect(page.getByTestId('dataset-name').textContent()).resolves.toContain('calls-sample.csv');
    await expect(page.getByTestId('notice').textContent()).resolves.toContain('Added calls-sample.csv to the dataset');
    await screenshot(page, '16-appended');
    expect(externalRequests(session().requests)).toEqual([]);
  }, 240_000);
});
