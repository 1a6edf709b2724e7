import { connect } from 'node:net';

/** Sends `bytes` to host:port and resolves with the first reply, or rejects on error or timeout. */
function exchange(host: string, port: number, bytes: Buffer, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port }, () => socket.write(bytes));
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      reject(new Error(`no answer from ${host}:${port} within ${timeoutMs} ms`));
    });
    socket.once('data', (reply) => {
      socket.destroy();
      resolve(reply);
    });
    socket.once('error', reject);
  });
}

/** Redis answers PING with +PONG (or -NOAUTH when it wants a password, which still proves it runs). */
export async function probeRedis(host: string, port: number, timeoutMs = 2_000): Promise<void> {
  const reply = (await exchange(host, port, Buffer.from('PING\r\n'), timeoutMs)).toString('latin1');
  if (!reply.startsWith('+PONG') && !reply.startsWith('-NOAUTH')) throw new Error(`unexpected reply to PING: ${reply.trim()}`);
}

/** An AMQP 0-9-1 broker answers the protocol header with a Connection.Start method frame (type 1). */
export async function probeAmqp(host: string, port: number, timeoutMs = 2_000): Promise<void> {
  const reply = await exchange(host, port, Buffer.from('AMQP\x00\x00\x09\x01', 'latin1'), timeoutMs);
  if (reply[0] !== 1) throw new Error('the server did not answer as an AMQP 0-9-1 broker');
}
