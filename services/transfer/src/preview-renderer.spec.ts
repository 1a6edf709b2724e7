import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { describe, test } from 'node:test';
import { createLogger } from '@importer/observability';
import { PreviewTimedOut } from './preview-image.js';
import { type RenderRequest, PreviewRenderer } from './preview-renderer.js';

/** A child that takes requests and answers only when told to; killing it ends it on the next turn, as a process does. */
class FakeChild extends EventEmitter {
  readonly requests: RenderRequest[] = [];
  killedWith: string | undefined;
  // No pid: the renderer then leaves the priority alone.
  readonly pid = undefined;

  send(message: RenderRequest, callback: (error: Error | null) => void): boolean {
    this.requests.push(message);
    callback(null);
    return true;
  }

  answer(id: number): void {
    this.emit('message', { id, ok: true, preview: { bytes: new Uint8Array([1, 2]), width: 2, height: 1, original: { width: 4, height: 2 } } });
  }

  kill(signal: string): boolean {
    this.killedWith = signal;
    setImmediate(() => this.emit('exit', null, signal));
    return true;
  }

  disconnect(): void {}
}

function setup(timeoutMs: number) {
  const children: FakeChild[] = [];
  const renderer = new PreviewRenderer(createLogger({ service: 'spec', write: () => {} }), {
    timeoutMs,
    spawn: () => {
      const child = new FakeChild();
      children.push(child);
      return child as unknown as ChildProcess;
    },
  });
  return { renderer, children };
}

describe('preview renderer time limit', () => {
  test('a render that does not answer in time fails with PreviewTimedOut, and its child is killed and replaced', async () => {
    const { renderer, children } = setup(30);
    const started = Date.now();
    await assert.rejects(renderer.render(Buffer.from('slow')), (e: unknown) => e instanceof PreviewTimedOut && e.message === 'preview_timeout: rendering took longer than 30 ms');
    assert.ok(Date.now() - started < 1_000);
    assert.equal(children[0]?.killedWith, 'SIGKILL');
    const next = renderer.render(Buffer.from('quick'));
    assert.equal(children.length, 2, 'the next render has a new child');
    children[1]?.answer(children[1].requests[0]?.id ?? 0);
    assert.equal((await next).width, 2);
  });

  test("the timed-out child's other render fails as a death does (retried), and one on the new child is not touched by the old one's exit", async () => {
    const { renderer, children } = setup(40);
    const slow = renderer.render(Buffer.from('slow'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const beside = renderer.render(Buffer.from('beside'));
    await assert.rejects(slow, PreviewTimedOut);
    // The old child has not exited yet: this render goes to a new one.
    const after = renderer.render(Buffer.from('after'));
    await assert.rejects(beside, /the preview process ended \(SIGKILL\)/);
    const [, fresh] = children;
    assert.ok(fresh);
    fresh.answer(fresh.requests[0]?.id ?? 0);
    assert.equal((await after).height, 1);
  });

  test('an answer in time stops the clock: nothing is killed afterwards', async () => {
    const { renderer, children } = setup(30);
    const rendering = renderer.render(Buffer.from('fine'));
    children[0]?.answer(children[0].requests[0]?.id ?? 0);
    assert.deepEqual((await rendering).original, { width: 4, height: 2 });
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.equal(children[0]?.killedWith, undefined);
  });
});
