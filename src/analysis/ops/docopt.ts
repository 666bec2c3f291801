// docopt: `args = docopt(__doc__)` reads the command line against the usage text, and an option the command line
// leaves out takes the `[default: …]` its description gives, as a string (`float(args['--dropout'])`). As with
// argparse's parse_args(), the analysis follows the run given no command line: each option with a default holds it.
// Every other key (positionals, commands, flags, options without a default, which a usage pattern may require) is
// unknown, and so is everything when the call gives a command line of its own.
import { Value, setEntry, strValue } from '../values/value';

/** The docstring's sections whose heading line names `options:`, each with the indented lines under it (docopt 0.6's parse_section). */
function optionSections(doc: string): string[] {
  const sections: string[] = [];
  const lines = doc.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!/options:/i.test(lines[i])) continue;
    const section = [lines[i].slice(lines[i].toLowerCase().indexOf('options:') + 'options:'.length)];
    while (i + 1 < lines.length && /^[ \t]/.test(lines[i + 1])) section.push(lines[++i]);
    sections.push(section.join('\n'));
  }
  return sections;
}

/**
 * The defaults an option description list gives: for each description (a line starting with `-`, with the lines
 * after it up to the next), its long name (or short) and, when it takes an argument, the text of `[default: …]`.
 */
export function docoptDefaults(doc: string): Map<string, string> {
  const defaults = new Map<string, string>();
  for (const section of optionSections(doc)) {
    const parts = ('\n' + section).split(/\n[ \t]*(?=-\S)/).slice(1);
    for (const part of parts) {
      const text = part.trim();
      const gap = text.indexOf('  ');
      const names = (gap === -1 ? text : text.slice(0, gap)).replace(/,/g, ' ').replace(/=/g, ' ').split(/\s+/).filter(Boolean);
      const description = gap === -1 ? '' : text.slice(gap);
      const long = names.find((n) => n.startsWith('--'));
      const short = names.find((n) => n.startsWith('-') && !n.startsWith('--'));
      const takesArgument = names.some((n) => !n.startsWith('-'));
      const name = long ?? short;
      if (!name || !takesArgument) continue;
      const matched = /\[default: (.*)\]/i.exec(description);
      if (matched) defaults.set(name, matched[1]);
    }
  }
  return defaults;
}

/**
 * `docopt(doc, argv=None, help=True, version=None, options_first=False)`: a dict in which each option with a default
 * holds it, when the usage text is known and no command line is given; every other key is unknown.
 */
export function docoptCall(args: Value[], kwargs: Map<string, Value>): Value {
  const doc = args[0] ?? kwargs.get('doc');
  const argv = args[1] ?? kwargs.get('argv');
  const dict: Extract<Value, { kind: 'dict' }> = { kind: 'dict', entries: new Map(), partial: true };
  if (doc?.kind === 'str' && (argv === undefined || argv.kind === 'none')) {
    for (const [name, value] of docoptDefaults(doc.value)) setEntry(dict, name, strValue(value));
  }
  return dict;
}
