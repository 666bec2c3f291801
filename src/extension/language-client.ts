// vscode-languageclient, bundled on its own (dist/language-client.js) and loaded when the server starts:
// evaluating it is most of what a bundle containing it costs, and activation must stay short.
export { LanguageClient, TransportKind } from 'vscode-languageclient/node';
export type { LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';
