import http2, { type ClientHttp2Session, type IncomingHttpHeaders } from 'node:http2';

/** Where the sidecar's gRPC API listens and the DAPR_API_TOKEN it asks for. */
export interface SidecarGrpcAddress {
  daprHost: string;
  daprGrpcPort: number;
  daprApiToken: string | undefined;
}

export interface UnaryCallOptions {
  /** The call fails, and daprd is told to give up (grpc-timeout), after this long. */
  timeoutMs: number;
  /** Cancels the call (RST_STREAM CANCEL), so the sidecar stops working on it. */
  signal?: AbortSignal;
}

/** A call that ended without an answer: a gRPC status other than OK, a broken stream, the deadline or an abort. */
export class GrpcCallError extends Error {
  override readonly name = 'GrpcCallError';
  constructor(
    message: string,
    /** The gRPC status code when the sidecar sent one (4 for the deadline); undefined for a broken connection. */
    readonly code: number | undefined,
  ) {
    super(message);
  }
}

/** gRPC's status names, for messages a person reads. */
const STATUS_NAMES = ['OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS', 'PERMISSION_DENIED', 'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE', 'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS', 'UNAUTHENTICATED'];

const DEADLINE_EXCEEDED = 4;

/** Room for the uploads of every transfer slot at once: a limit on what nghttp2 holds, not memory taken up front. */
const SESSION_MEMORY_MB = 1024;

function statusError(headers: IncomingHttpHeaders): GrpcCallError | undefined {
  const code = Number(headers['grpc-status']);
  if (code === 0) return undefined;
  const raw = headers['grpc-message'];
  let message = typeof raw === 'string' ? raw : '';
  try {
    message = decodeURIComponent(message);
  } catch {
    // Not percent-encoded as the protocol asks: shown as it came.
  }
  return new GrpcCallError(`${STATUS_NAMES[code] ?? `status ${code}`}: ${message || 'no message'}`, Number.isInteger(code) ? code : undefined);
}

/** The 5-byte gRPC frame header of an uncompressed message of `length` bytes. */
function framePrefix(length: number): Buffer {
  const prefix = Buffer.alloc(5);
  prefix.writeUInt32BE(length, 1);
  return prefix;
}

/** The message of a unary answer, from its gRPC frame. */
function unframe(body: Buffer): Buffer {
  if (body.length === 0) return body;
  if (body.length < 5 || body[0] !== 0) throw new GrpcCallError('the sidecar answered a malformed or compressed gRPC frame', undefined);
  const length = body.readUInt32BE(1);
  if (body.length < 5 + length) throw new GrpcCallError('the sidecar answered a truncated gRPC frame', undefined);
  return body.subarray(5, 5 + length);
}

/**
 * Unary calls to the sidecar's gRPC API over one HTTP/2 connection, opened again when it closes. For the hot path
 * only (one S3 upload per file): the SDK's client costs about 1 ms of CPU more per call, measured with 64 KB
 * payloads. The request is written as given, in parts, so an image's bytes are never copied into a message buffer.
 */
export class SidecarGrpcClient {
  private readonly authority: string;
  private session: ClientHttp2Session | undefined;

  constructor(private readonly address: SidecarGrpcAddress) {
    this.authority = `http://${address.daprHost}:${address.daprGrpcPort}`;
  }

  /** Calls `method` (`/dapr.proto.runtime.v1.Dapr/InvokeBinding`) with a serialized request given in parts; answers the serialized response. */
  unary(method: string, requestParts: readonly Uint8Array[], { timeoutMs, signal }: UnaryCallOptions): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(new GrpcCallError(`cancelled: ${String(signal.reason)}`, 1));
      const length = requestParts.reduce((sum, part) => sum + part.byteLength, 0);
      const session = this.connection();
      const stream = session.request({
        ':method': 'POST',
        ':path': method,
        'content-type': 'application/grpc',
        te: 'trailers',
        'grpc-timeout': `${Math.max(1, Math.ceil(timeoutMs))}m`,
        ...(this.address.daprApiToken ? { 'dapr-api-token': this.address.daprApiToken } : {}),
      });
      const chunks: Buffer[] = [];
      let httpFailure: GrpcCallError | undefined;
      // The headers or trailers that carry the call's grpc-status.
      let statusHeaders: IncomingHttpHeaders | undefined;
      let settled = false;
      const finish = (error: GrpcCallError | undefined) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (error) return reject(error);
        try {
          resolve(unframe(Buffer.concat(chunks)));
        } catch (unframing) {
          reject(unframing as Error);
        }
      };
      const cancel = (error: GrpcCallError) => {
        finish(error);
        stream.close(http2.constants.NGHTTP2_CANCEL);
      };
      const timer = setTimeout(() => cancel(new GrpcCallError(`no answer within ${timeoutMs} ms`, DEADLINE_EXCEEDED)), timeoutMs);
      const onAbort = () => cancel(new GrpcCallError(`cancelled: ${String(signal?.reason)}`, 1));
      signal?.addEventListener('abort', onAbort, { once: true });

      stream.on('response', (headers) => {
        const status = headers[':status'];
        if (status !== 200) httpFailure = new GrpcCallError(`the sidecar answered HTTP ${status}`, undefined);
        // A trailers-only answer (an error, mostly) carries its status in the headers.
        else if (headers['grpc-status'] !== undefined) statusHeaders = headers;
      });
      stream.on('trailers', (trailers) => {
        statusHeaders ??= trailers;
      });
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', (error: Error) => {
        // A connection that failed a call (over its memory, say: NGHTTP2_ENHANCE_YOUR_CALM) takes no new ones.
        this.retire(session);
        finish(new GrpcCallError(`the call to the sidecar broke: ${error.message}`, undefined));
      });
      stream.on('close', () => {
        if (httpFailure) return finish(httpFailure);
        if (statusHeaders) return finish(statusError(statusHeaders));
        const reset = stream.rstCode !== undefined && stream.rstCode !== http2.constants.NGHTTP2_NO_ERROR;
        finish(new GrpcCallError(reset ? `the sidecar reset the call (HTTP/2 code ${stream.rstCode})` : 'the sidecar ended the call without a gRPC status', undefined));
      });

      stream.write(framePrefix(length));
      const last = requestParts.length - 1;
      requestParts.forEach((part, i) => (i === last ? stream.end(part) : stream.write(part)));
      if (last < 0) stream.end();
    });
  }

  /** Closes the connection; calls in flight finish first. */
  close(): void {
    this.session?.close();
    this.session = undefined;
  }

  private connection(): ClientHttp2Session {
    if (this.session && !this.session.closed && !this.session.destroyed) return this.session;
    // Node's default cap of 10 MB per connection refuses new calls while a few large uploads are queued.
    const session = http2.connect(this.authority, { maxSessionMemory: SESSION_MEMORY_MB });
    // A broken connection fails its calls (each stream errors); the next call opens a new one.
    const forget = () => this.retire(session);
    session.on('error', forget);
    session.on('goaway', forget);
    session.on('close', forget);
    this.session = session;
    return session;
  }

  /** New calls open a new connection; the calls still on this one finish on it. */
  private retire(session: ClientHttp2Session): void {
    if (this.session !== session) return;
    this.session = undefined;
    if (!session.closed && !session.destroyed) session.close();
  }
}
