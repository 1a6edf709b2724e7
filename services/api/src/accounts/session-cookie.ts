import type { Request, Response } from 'express';
import { parse, serialize } from 'cookie';
import { SESSION_COOKIE } from '@importer/contracts';

/** Whether the client reached the site over https (the gateway says so in X-Forwarded-Proto): then cookies are Secure. */
function overHttps(req: Request): boolean {
  return (req.get('x-forwarded-proto')?.split(',')[0]?.trim() ?? req.protocol) === 'https';
}

/** A named cookie of the request, or undefined; a malformed Cookie header reads as none. */
export function readCookie(req: Request, name: string): string | undefined {
  const header = req.get('cookie');
  if (!header) return undefined;
  try {
    return parse(header)[name] || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Sets an HttpOnly, SameSite=Lax cookie for the whole site, Secure under https; `expires` null clears it. A later write
 * of the same cookie in one answer replaces the earlier one (the middleware's refresh, then sign-out's clearing), as
 * RFC 6265 asks for one Set-Cookie per cookie.
 */
export function writeCookie(req: Request, res: Response, name: string, value: string, expires: Date | null, path = '/'): void {
  const earlier = res.getHeader('Set-Cookie');
  const sameCookie = (c: string) => c.startsWith(`${name}=`) && c.split(';').some((part) => part.trim() === `Path=${path}`);
  const others = (earlier === undefined ? [] : [earlier].flat().map(String)).filter((c) => !sameCookie(c));
  const cookie = serialize(name, expires ? value : '', { httpOnly: true, sameSite: 'lax', secure: overHttps(req), path, expires: expires ?? new Date(0) });
  res.setHeader('Set-Cookie', [...others, cookie]);
}

export const readSessionToken = (req: Request) => readCookie(req, SESSION_COOKIE);
export const writeSessionCookie = (req: Request, res: Response, token: string, expiresAt: Date) => writeCookie(req, res, SESSION_COOKIE, token, expiresAt);
export const clearSessionCookie = (req: Request, res: Response) => writeCookie(req, res, SESSION_COOKIE, '', null);
