import type { IncomingMessage } from 'node:http';

/**
 * Reads what is left of a refused request's body and throws it away, so the answer goes back over a connection that
 * every hop has read to the end: daprd (Go) resets a connection whose upload it stopped reading, and the client then
 * sees a reset instead of the 4xx. A body past `maxBytes`, or one that takes longer than `timeoutMs`, ends the connection.
 */
export function drainRequest(req: IncomingMessage, maxBytes: number, timeoutMs = 30_000): Promise<void> {
  if (req.complete || req.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    let seen = 0;
    const finish = () => {
      clearTimeout(timer);
      req.off('data', count);
      resolve();
    };
    const giveUp = () => {
      req.destroy();
      finish();
    };
    const count = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > maxBytes) giveUp();
    };
    const timer = setTimeout(giveUp, timeoutMs);
    req.on('data', count);
    req.once('end', finish);
    req.once('close', finish);
    req.unpipe();
    req.resume();
  });
}
