// Imported first by main.ts, so that this timestamp is taken before the rest of the bundle is evaluated:
// activation time then covers loading the extension's code as well as running activate().
export const bundleLoadStart = performance.now();
