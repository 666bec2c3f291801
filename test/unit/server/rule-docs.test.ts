// Rule pages for editors other than VS Code: a diagnostic links to a Markdown page per rule, written
// into a folder of the server's in the background, so that no link waits for the disk.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { allRules, ruleByCode } from '../../../src/analysis';
import { fileLinks, renderRulePage } from '../../../src/server/rule-docs';

describe('Rule documentation pages (file links)', () => {
  it('links to the page of the rule in its folder', () => {
    const folder = path.join(mkdtempSync(path.join(tmpdir(), 'seqlens-rule-docs-')), 'pages');
    assert.equal(fileURLToPath(fileLinks(folder).href('SL101')), path.join(folder, 'SL101.md'));
  });

  it('writes every rule\'s rendered page once prepared', async () => {
    const folder = path.join(mkdtempSync(path.join(tmpdir(), 'seqlens-rule-docs-')), 'pages');
    const links = fileLinks(folder);
    await links.prepare!();
    for (const rule of allRules()) assert.equal(readFileSync(path.join(folder, `${rule.code}.md`), 'utf8'), renderRulePage(rule));
    assert.equal(readFileSync(fileURLToPath(links.href('SL101')), 'utf8'), renderRulePage(ruleByCode('SL101')!));
  });

  it('still gives the links when the folder cannot be written', async () => {
    const blocker = path.join(mkdtempSync(path.join(tmpdir(), 'seqlens-rule-docs-')), 'a-file');
    writeFileSync(blocker, '');
    const links = fileLinks(path.join(blocker, 'pages'));
    await links.prepare!();
    assert.match(links.href('SL101'), /SL101\.md$/);
  });
});
