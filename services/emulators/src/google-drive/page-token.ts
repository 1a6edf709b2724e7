import { createHmac, timingSafeEqual } from 'node:crypto';

/** Where the next page of a folder starts. */
export interface PagePosition {
  folderId: string;
  offset: number;
  page: number;
}

/** Opaque, tamper-evident page tokens: a token the emulator did not issue is rejected, as Drive does. */
export class PageTokens {
  constructor(private readonly secret: string) {}

  issue(position: PagePosition): string {
    const payload = Buffer.from(JSON.stringify([position.folderId, position.offset, position.page])).toString('base64url');
    return `~!!~${payload}.${this.sign(payload)}`;
  }

  /** The position a token points to, or null when it is not one of ours. */
  read(token: string): PagePosition | null {
    const [, payload = '', signature = ''] = /^~!!~([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(token) ?? [];
    const expected = Buffer.from(this.sign(payload));
    const given = Buffer.from(signature);
    if (!payload || expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    const [folderId, offset, page] = JSON.parse(Buffer.from(payload, 'base64url').toString()) as [string, number, number];
    return { folderId, offset, page };
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.secret).update(payload).digest('base64url').slice(0, 16);
  }
}
