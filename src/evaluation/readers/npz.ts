// NumPy .npz archives (np.savez and np.savez_compressed): a zip of .npy members, each a
// column or a (rows × classes) block. Members are streamed through the shared zip reader,
// inflating on the fly; each member's .npy header is checked against the member's declared
// size before any data is read, so a header cannot claim more rows than the archive holds.
import { InputError } from '../errors';
import { ZipArchive, ZipMember } from '../zip';
import type { ColumnPlanner } from './index';
import { checkTableBudget } from './limits';
import { checkNpyFits, feedNpyData, npyHeaderLimit, NpyLayout, parseNpyHeader, sinksForLayout } from './npy';

export async function readNpz(path: string, planner: ColumnPlanner): Promise<number> {
  const zip = await ZipArchive.open(path);
  try {
    const arrays = zip.members.filter((m) => m.name.endsWith('.npy'));
    if (arrays.length === 0) throw new InputError(path, null, 'the archive holds no .npy arrays');
    const layouts: { member: ZipMember; array: string; layout: NpyLayout }[] = [];
    for (const member of arrays) {
      const array = member.name.replace(/\.npy$/, '');
      const where = `${path}[${array}]`;
      const layout = await readMemberHeader(zip, member, array, where);
      checkNpyFits(layout, member.size - layout.dataOffset, where, 'the member');
      layouts.push({ member, array, layout });
    }
    const rows = layouts[0].layout.rows;
    for (const { array, layout } of layouts) {
      if (layout.rows !== rows) {
        throw new InputError(path, null, `unequal lengths: '${layouts[0].array}' has ${rows} rows but '${array}' has ${layout.rows}`);
      }
    }
    if (rows === 0) throw new InputError(path, null, 'the arrays are empty');
    const builder = planner(layouts.flatMap(({ layout }) => layout.fields.map((f) => f.name)));
    const planned = layouts.map(({ member, array, layout }) => ({ member, array, layout, sinks: sinksForLayout(layout, builder, `${path}[${array}]`) }));
    const kept = planned.reduce((sum, { sinks }) => sum + sinks.filter((s) => s !== null).length, 0);
    checkTableBudget(path, rows, kept, zip.fileSize);
    for (const { sinks } of planned) for (const sink of sinks) sink?.reserve(rows);
    for (const { member, array, layout, sinks } of planned) {
      if (sinks.every((s) => s === null)) continue;
      await feedNpyData(zip.stream(member), layout, sinks, `${path}[${array}]`, layout.dataOffset);
    }
    return rows;
  } finally {
    zip.close();
  }
}

async function readMemberHeader(zip: ZipArchive, member: ZipMember, array: string, where: string): Promise<NpyLayout> {
  let head = Buffer.alloc(0);
  const stream = zip.stream(member);
  try {
    for await (const chunk of stream) {
      head = Buffer.concat([head, chunk.subarray(0, npyHeaderLimit + 16 - head.length)]);
      const layout = parseNpyHeader(head, array, where);
      if (layout !== null) return layout;
      if (head.length >= npyHeaderLimit + 16) break;
    }
  } finally {
    await stream.return(undefined);
  }
  throw new InputError(where, null, member.size === 0 ? 'the member is empty (0 bytes), not a .npy array' : 'the member ends inside its .npy header');
}
