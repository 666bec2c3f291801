// The analysis core, loaded after activation rather than with the bundle: evaluating it (rule tables,
// the tree-sitter runtime) is most of the bundle's start-up cost, and activate() must stay short.
// esbuild keeps a dynamically imported module's code in the bundle but runs it only when imported.
type Core = typeof import('../analysis');

let loading: Promise<Core> | undefined;
let loaded: Core | undefined;

export function loadCore(): Promise<Core> {
  loading ??= import('../analysis').then((core) => (loaded = core));
  return loading;
}

/** The core if it has been loaded already (it has, once any document was analysed). */
export function loadedCore(): Core | undefined {
  return loaded;
}
