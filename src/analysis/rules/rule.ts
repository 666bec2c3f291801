// What every rule declares about itself. This one entry drives the diagnostic, the hover,
// the README's rule table, `seqlens explain` and the rule's tests.
import type { Severity } from '../findings';
import type { RuleHooks } from '../interpret/events';

export interface RuleDocs {
  /** What it does: one paragraph. */
  whatItDoes: string;
  /** Why is this bad? What happens at run time (the real error message where there is one). */
  whyIsThisBad: string;
  /** Example: Python code with the bug. */
  example: string;
  /** Use instead: the corrected code. */
  useInstead: string;
  references: string[];
}

export interface RuleInfo {
  /** Stable, never reused: SL1xx for PyTorch, SL2xx for Keras. */
  code: string;
  /** Kebab-case name, e.g. `rnn-input-size-mismatch`. */
  name: string;
  severity: Severity;
  framework: 'torch' | 'keras';
  /** One line for tables and the hover's title. */
  summary: string;
  docs: RuleDocs;
  /** Titles of the quick fixes the rule can offer, for documentation. */
  fixTitles: string[];
  /**
   * Keras rules: the Keras versions the finding holds for, e.g. `tf.keras 2.x and Keras 3`. A message that names no
   * version gets it appended, so every Keras finding says which version it assumed.
   */
  kerasVersions?: string;
}

export interface Rule extends RuleInfo {
  hooks: RuleHooks;
}
