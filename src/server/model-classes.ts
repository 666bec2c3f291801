// Model classes for the Evaluate model / Verify shapes CodeLenses: a class whose bases mention Module
// (nn.Module, torch.nn.Module, LightningModule) or keras.Model. A scan of the class headers, not an
// analysis: lenses are asked for on every scroll and must not wait for the analyzer.
export interface ModelClass {
  name: string;
  /** 0-based line of the class header. */
  line: number;
  /** A PyTorch module (not a Keras model): "Verify shapes" can rebuild it. */
  torch: boolean;
}

const CLASS_HEADER = /^[ \t]*class[ \t]+([A-Za-z_]\w*)[ \t]*\(([^)]*)\)?/gm;
const MODEL_BASE = /Module\b|\bkeras\.(?:models\.)?Model\b/;

export function findModelClasses(text: string): ModelClass[] {
  const classes: ModelClass[] = [];
  let line = 0;
  let counted = 0;
  // One pass of a multiline regex over the text; lines are counted only up to each match.
  for (const match of text.matchAll(CLASS_HEADER)) {
    for (let i = text.indexOf('\n', counted); i !== -1 && i < match.index; i = text.indexOf('\n', i + 1)) line++;
    counted = match.index;
    const bases = match[2] ?? '';
    if (MODEL_BASE.test(bases)) classes.push({ name: match[1], line, torch: /Module\b/.test(bases) });
  }
  return classes;
}
