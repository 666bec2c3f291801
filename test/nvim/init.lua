-- A minimal Neovim (0.7+) configuration that uses SeqLens as the language server for Python files,
-- with Neovim's built-in LSP client and nothing else. The Neovim test runs it headless; the README
-- shows the same set-up for a real configuration.
--
-- SEQLENS_LSP_CMD overrides the command (a JSON array), e.g. '["node", "dist/cli.js", "lsp"]'.
local cmd = { 'seqlens', 'lsp' }
if vim.env.SEQLENS_LSP_CMD and vim.env.SEQLENS_LSP_CMD ~= '' then
  cmd = vim.fn.json_decode(vim.env.SEQLENS_LSP_CMD)
end

vim.opt.swapfile = false
vim.opt.shadafile = 'NONE'

local client_id = nil
vim.api.nvim_create_autocmd('FileType', {
  pattern = 'python',
  callback = function(args)
    -- One server for every Python buffer (vim.lsp.start does this from Neovim 0.8 on).
    client_id = client_id or vim.lsp.start_client({
      name = 'seqlens',
      cmd = cmd,
      root_dir = vim.fn.getcwd(),
      settings = { seqlens = { enable = true } },
    })
    vim.lsp.buf_attach_client(args.buf, client_id)
  end,
})
