/** One progress line per step, with how long it took, so a slow first run shows where the time goes. */
export async function step<T>(what: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const result = await work();
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`[platform] ${what}: ${typeof result === 'string' ? result : 'ok'} (${seconds}s)`);
  return result;
}
