// How many items a comprehension of several `for` clauses and no filter gives, `[f(a, i) for a in xs for i in
// range(n)]`: the product of the clauses' lengths, when no clause's iterable reads a name an earlier clause binds
// (`for row in rows for x in row` walks a row of its own each time, whose length the first row's does not tell).
import type * as A from '../parse/ast';
import { walkExpressions } from '../parse/walk';

/** Lengths beyond this are not counted: an unknown length is not wrong, an overflowing one would be. */
const MAX_COUNTED_ITEMS = 2 ** 31;

/** The number of items, or undefined when a clause has a filter, reads an earlier target, or has no known length. */
export function productOfIndependentClauses(generators: readonly A.Comprehension['generators'][number][], lengths: readonly (number | undefined)[]): number | undefined {
  if (generators.some((g) => g.ifs.length > 0)) return undefined;
  const bound = new Set<string>();
  let count = 1;
  for (let i = 0; i < generators.length; i++) {
    const g = generators[i];
    let readsBound = false;
    walkExpressions(g.iter, (e) => {
      if (e.kind === 'name' && bound.has(e.id)) readsBound = true;
    }, true);
    const n = lengths[i];
    if (readsBound || n === undefined) return undefined;
    count *= n;
    if (count > MAX_COUNTED_ITEMS) return undefined;
    walkExpressions(g.target, (e) => {
      if (e.kind === 'name') bound.add(e.id);
    });
  }
  return count;
}
