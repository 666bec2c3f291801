-- Run by the Neovim test after init.lua, with a buggy model file open: waits for SeqLens' diagnostics,
-- asks for a hover over a tensor, and writes what Neovim received as JSON to $SEQLENS_NVIM_OUT.
local out = assert(vim.env.SEQLENS_NVIM_OUT, 'SEQLENS_NVIM_OUT is not set')
local result = { diagnostics = {}, hover = nil, errors = {} }

local ok = vim.wait(30000, function()
  return #vim.diagnostic.get(0) > 0
end, 50)
if not ok then table.insert(result.errors, 'no diagnostics within 30 s') end
for _, d in ipairs(vim.diagnostic.get(0)) do
  table.insert(result.diagnostics, {
    line = d.lnum, col = d.col, severity = d.severity, source = d.source, message = d.message,
    code = d.user_data and d.user_data.lsp and d.user_data.lsp.code or vim.NIL,
  })
end

-- Hover over `x` on the line that builds the input tensor.
local line = vim.fn.search('^x = torch.randn', 'n') - 1
local params = { textDocument = vim.lsp.util.make_text_document_params(), position = { line = line, character = 0 } }
local responses, err = vim.lsp.buf_request_sync(0, 'textDocument/hover', params, 15000)
if err then table.insert(result.errors, 'hover: ' .. tostring(err)) end
for _, response in pairs(responses or {}) do
  if response.error then table.insert(result.errors, 'hover: ' .. vim.inspect(response.error)) end
  if response.result and response.result.contents then result.hover = response.result.contents.value end
end

local file = assert(io.open(out, 'w'))
file:write(vim.fn.json_encode(result))
file:close()
vim.cmd('qa!')
