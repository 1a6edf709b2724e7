export class ActorCallError extends Error {
  override readonly name = 'ActorCallError';
  constructor(readonly actorType: string, readonly method: string, readonly status: number, detail: string) {
    super(`${actorType}.${method} failed with HTTP ${status}: ${detail.slice(0, 500)}`);
  }
}

/**
 * Calls actor methods through the sidecar's actor API. A plain client instead of the SDK's proxy, which turns
 * `await` on itself into a call of a method named `then`. Arguments go as the one-element array the SDK spreads.
 */
export class ActorInvoker {
  constructor(
    private readonly sidecarUrl: string,
    /** DAPR_API_TOKEN: the sidecar's API refuses calls without it. */
    private readonly daprApiToken: string,
    private readonly timeoutMs = 30_000,
  ) {}

  async invoke<T>(actorType: string, actorId: string, method: string, argument?: unknown): Promise<T | undefined> {
    const url = `${this.sidecarUrl}/v1.0/actors/${actorType}/${encodeURIComponent(actorId)}/method/${method}`;
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'dapr-api-token': this.daprApiToken },
      body: JSON.stringify(argument === undefined ? [] : [argument]),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const text = await response.text();
    if (!response.ok) throw new ActorCallError(actorType, method, response.status, text);
    // The SDK answers a method that returned nothing with an empty body or the text "undefined".
    return text && text !== 'undefined' ? (JSON.parse(text) as T) : undefined;
  }
}
