// Python source with its comments cut, for the regular-expression readings of a whole file (a Keras version's signs,
// the fields a model's forward reads) that must not take what a comment says for code.

/**
 * Each line cut at a `#` outside quotes. A string's quotes are followed within its line; a triple-quoted string that
 * spans lines is read as code.
 */
export function withoutComments(source: string): string {
  return source.split('\n').map((line) => {
    let quote: string | null = null;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (quote) {
        if (c === '\\') i++;
        else if (c === quote) quote = null;
      } else if (c === '"' || c === "'") quote = c;
      else if (c === '#') return line.slice(0, i);
    }
    return line;
  }).join('\n');
}
