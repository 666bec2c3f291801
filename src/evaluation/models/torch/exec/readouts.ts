// How forward reads a sequence out, noted while the probe batch runs, for the model summary:
// an index on the time axis (`out[:, -1, :]`), a reduction over it (mean/max/sum pooling), or a
// layer of the final recurrent state (`h_n[-1]`, both directions joined by torch.cat).
let active: string[] | null = null;

export function startReadouts(): void {
  active = [];
}

export function stopReadouts(): string[] {
  const out = active ?? [];
  active = null;
  return [...new Set(out)];
}

export function noteReadout(text: string): void {
  active?.push(text);
}

/** torch.cat of final states of both directions: one readout instead of two. */
export function joinReadouts(parts: string[], text: string): void {
  if (!active) return;
  for (const p of parts) {
    const i = active.lastIndexOf(p);
    if (i >= 0) active.splice(i, 1);
  }
  active.push(`final states of both directions ${text}`);
}
