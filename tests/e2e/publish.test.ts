/**
 * The Publish dialog in real Chromium on the demo city: fill the title and narrative (with
 * markup in them), preview, download the .zip the browser saves, unzip it here and check the
 * folder — index.html, data.js and assets — against what must never be published: no call id,
 * block address or coordinate of the demo input in any byte (scanned against the same demo
 * loaded into DuckDB in Node), and the narrative present only as escaped text.
 */
import { readFile } from 'node:fs/promises';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { publishedData, scanForLeaks } from '../unit/briefing-scan';
import { demoReady, openDemoCity } from '../unit/demo-city';
import { e2eSkipReason, screenshot, useReadyApp } from './harness';

const skip = e2eSkipReason() !== null || !demoReady;
const TITLE = 'Q3 <script>alert("t")</script> & friends';
const PARAGRAPH = 'Calls rose <b>near</b> the "Central" hub & stayed flat elsewhere; see <img src=x onerror=alert(1)>.';

describe.skipIf(skip)('Publish briefing dialog (demo city)', () => {
  const session = useReadyApp({ viewport: { width: 1440, height: 1000 }, readyMs: 120_000 });

  it('downloads a zip whose folder leaks nothing and escapes the narrative', async () => {
    const { page } = session();
    await page.getByRole('button', { name: 'Publish briefing' }).click();
    const dialog = page.getByRole('dialog', { name: 'Publish council briefing' });
    await dialog.waitFor();
    await dialog.getByLabel('Title').fill(TITLE);
    await dialog.getByLabel('Paragraph 1').fill(PARAGRAPH);
    await dialog.getByRole('button', { name: 'Preview' }).click();
    const preview = dialog.locator('.publish-preview');
    await preview.waitFor({ timeout: 120_000 });
    // The demo has no saved map in a fresh profile: the dataset's own tier map, not a suggestion.
    await expect(preview.textContent()).resolves.toContain("Tiers: the dataset's own tier map.");
    await screenshot(page, 'publish-dialog', 'dialog[open]');

    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), dialog.getByRole('button', { name: 'Download .zip' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^briefing-\d{4}-\d{2}-\d{2}\.zip$/);
    const zipped = unzipSync(new Uint8Array(await readFile((await download.path())!)));
    const folder = download.suggestedFilename().replace(/\.zip$/, '');
    expect(Object.keys(zipped).every((p) => p.startsWith(`${folder}/`))).toBe(true);
    const files = Object.fromEntries(Object.entries(zipped).map(([p, b]) => [p.slice(folder.length + 1), b]));
    expect(Object.keys(files).sort()).toEqual(['assets/briefing.css', 'assets/briefing.js', 'data.js', 'index.html']);

    const city = await openDemoCity();
    try {
      const scan = await scanForLeaks(city.db, files);
      expect(scan.scanned.ids).toBeGreaterThan(40_000);
      expect(scan.scanned.points).toBeGreaterThan(1_000);
      expect(scan.found).toEqual([]);
    } finally {
      await city.db.close();
    }

    const html = new TextDecoder().decode(files['index.html']);
    expect(html).toContain('Q3 &lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt; &amp; friends');
    expect(html).toContain('&lt;b&gt;near&lt;/b&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<b>near');
    expect(html).not.toMatch(/<img[^>]*onerror/i);
    // The reader's script gets the same text as data, never as markup it would parse.
    const data = publishedData(files) as unknown as { narrative: { title: string; paragraphs: string[] } };
    expect(data.narrative.title).toBe(TITLE);
    expect(data.narrative.paragraphs).toEqual([PARAGRAPH]);
  }, 300_000);
});
