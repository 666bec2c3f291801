import type * as A from '../parse/ast';

/** Decorators that leave a function's signature as written (the receiver is bound by the caller). */
const SIGNATURE_KEEPING = new Set(['staticmethod', 'classmethod', 'property']);

/**
 * Whether Python refuses to bind a call whose arguments are all visible, with a TypeError raised before the body runs:
 * more positional arguments than the function takes and no `*args`, a keyword that names no parameter and no
 * `**kwargs`, or a parameter given both by position and by keyword. `boundSelf`: the receiver fills the first
 * parameter. A decorator other than staticmethod/classmethod/property may change the signature, so such a function
 * is never judged; nor is one whose first parameter is variadic when a receiver is bound.
 */
export function bindingRaises(def: A.FunctionDef, args: number, kwargs: Iterable<string>, boundSelf: boolean): boolean {
  if (def.decorators?.some((d) => !SIGNATURE_KEEPING.has(d))) return false;
  let params = def.params;
  if (boundSelf) {
    if (!params.length || params[0].variadic) return false;
    params = params.slice(1);
  }
  const firstVariadic = params.findIndex((p) => p.variadic);
  const positional = (firstVariadic < 0 ? params : params.slice(0, firstVariadic)).map((p) => p.name);
  const takesArgs = params.some((p) => p.variadic && p.stars === 1);
  const takesKwargs = params.some((p) => p.variadic && p.stars === 2);
  if (!takesArgs && args > positional.length) return true;
  const named = new Set(params.filter((p) => !p.variadic).map((p) => p.name));
  for (const k of kwargs) {
    if (!named.has(k)) {
      if (!takesKwargs) return true;
      continue;
    }
    const at = positional.indexOf(k);
    if (at >= 0 && at < args) return true;
  }
  return false;
}
