// A generous guard on the memory a reader takes: the largest growth of the resident set and of
// array-buffer memory seen while `run` works, sampled every few milliseconds. It catches
// gigabyte reservations, not megabytes, and has no timing in it.
export async function peakGrowthMB<T>(run: () => Promise<T>): Promise<{ result: T | undefined; error: unknown; peakMB: number }> {
  const start = process.memoryUsage();
  let peak = 0;
  const sample = () => {
    const now = process.memoryUsage();
    peak = Math.max(peak, now.rss - start.rss, now.arrayBuffers - start.arrayBuffers);
  };
  const timer = setInterval(sample, 5);
  try {
    const result = await run();
    sample();
    return { result, error: undefined, peakMB: peak / 2 ** 20 };
  } catch (error) {
    sample();
    return { result: undefined, error, peakMB: peak / 2 ** 20 };
  } finally {
    clearInterval(timer);
  }
}
