// Compensated (Neumaier) summation. NumPy sums pairwise, with an error that grows like log n;
// a plain loop's grows like n and would drift past 1e-9 on 10 million terms. This keeps the
// error at a few ulps, so means agree with scikit-learn's to well within 1e-9.

export class CompensatedSum {
  private sum = 0;
  private compensation = 0;

  add(value: number): void {
    const t = this.sum + value;
    if (Math.abs(this.sum) >= Math.abs(value)) this.compensation += this.sum - t + value;
    else this.compensation += value - t + this.sum;
    this.sum = t;
  }

  get value(): number {
    return this.sum + this.compensation;
  }
}

export function sumOf(values: ArrayLike<number>): number {
  const total = new CompensatedSum();
  for (let i = 0; i < values.length; i++) total.add(values[i]);
  return total.value;
}

export function meanOf(values: ArrayLike<number>): number {
  return values.length === 0 ? NaN : sumOf(values) / values.length;
}
