import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, closeAllEditors, openFixture } from './helpers';

// Runs first (files load in name order): nothing has opened a Python document yet.
describe('Activation', () => {
  after(closeAllEditors);

  it('stays inactive until a Python file is opened, then activates on its own', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, 'the extension is installed');
    assert.equal(extension.isActive, false, 'a workspace alone does not activate SeqLens');
    await openFixture('gru_input_size.py');
    const deadline = Date.now() + 10_000;
    while (!extension.isActive && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(extension.isActive, true);
  });
});
