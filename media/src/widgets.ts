// Small pieces several views of the panel share: a metric card, and a section's own warnings.
import { h } from './dom';
import type { PanelWarning } from './protocol';

/** A labelled value; `key` names the data attribute tests and screen readers find it by. */
export function card(label: string, value: string, title?: string, key = 'data-metric'): HTMLElement {
  return h('div', { class: 'card', title }, h('div', { class: 'card-label', text: label }), h('div', { class: 'card-value', [key]: label, text: value }));
}

/** The run's warnings with these codes, repeated where the section they concern is drawn. */
export function inlineWarnings(warnings: PanelWarning[], codes: string[]): HTMLElement[] {
  return warnings.filter((w) => codes.includes(w.code)).map((w) => h('div', { class: 'warning inline-warning', 'data-code': w.code, role: 'note' },
    h('div', { class: 'warning-title' }, h('span', { class: 'code', text: w.code }), ' ', h('strong', { text: w.name })),
    h('p', { class: 'warning-message', text: w.message }),
    w.tryThis ? h('p', { class: 'try' }, h('b', { text: 'What to try: ' }), w.tryThis) : null));
}
