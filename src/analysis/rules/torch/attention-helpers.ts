// What the attention rules share: the holder layer's words ("TransformerEncoder (line 9), batch_first=False"),
// where batch_first is set, and the fix that sets it on the layer that owns it.
import type { Fix } from '../../findings';
import type { LayerCallEvent, RuleContext } from '../../interpret/events';
import { argOrigin } from '../../layers/layer';
import { AttentionConfig, attentionConfig, forwardArg, isAttention, isAttentionKind } from '../../layers/torch/attention';
import type { Dim } from '../../shapes/dim';
import type { TensorValue, Value } from '../../values/value';
import { fix, replace, setKeyword } from '../edits';

export { attentionConfig, forwardArg, isAttention, isAttentionKind };

/** The tensor passed as a forward argument, or undefined. */
export function tensorArg(event: LayerCallEvent, name: string): TensorValue | undefined {
  const v: Value | undefined = forwardArg(event.layer, event.args, event.kwargs, name)?.value;
  return v?.kind === 'tensor' ? v : undefined;
}

/** The expression a forward argument was written as, for ranges and edits. */
export function argExpr(event: LayerCallEvent, name: string) {
  const kw = event.call.keywords.find((k) => k.name === name);
  if (kw) return kw.value;
  const position = forwardArg(event.layer, event.args, event.kwargs, name)?.position;
  return position !== undefined ? event.call.args[position] : undefined;
}

export function batchFirstRelated(config: AttentionConfig): { range: ReturnType<typeof argOrigin>['range']; message: string }[] {
  if (!config.holder || config.batchFirst === undefined) return [];
  return [{ range: argOrigin(config.holder, 'batch_first').range, message: `batch_first is ${config.batchFirst ? 'True' : 'False'}${config.holder.args.get('batch_first')?.expr ? '' : ' (the default)'} here` }];
}

/** "Set batch_first=True" on the layer that owns the setting (the encoder layer of a TransformerEncoder). */
export function batchFirstFix(config: AttentionConfig, want: boolean, preferred = true): Fix[] {
  return config.holder ? [fix(`Set batch_first=${want ? 'True' : 'False'}`, [setKeyword(config.holder.call, 'batch_first', want ? 'True' : 'False')], preferred)] : [];
}

export function transposeFix(event: LayerCallEvent, ctx: RuleContext, name: string, title: string): Fix[] {
  const expr = argExpr(event, name);
  return expr ? [fix(title, [replace(expr.range, `${ctx.text(expr.range)}.transpose(0, 1)`)])] : [];
}

export function known(d: Dim | undefined): number | undefined {
  return d?.kind === 'int' ? d.value : undefined;
}

/** "(32, 50, 512) from torch.randn(32, 50, 512), line 4". */
export function tensorFrom(t: TensorValue): string {
  return t.origin ? ` (${t.origin.text}, line ${t.origin.range.start.line + 1})` : '';
}

export function originRelated(t: TensorValue, message: string) {
  return t.origin ? [{ range: t.origin.range, message }] : [];
}
