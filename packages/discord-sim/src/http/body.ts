import type { IncomingMessage } from 'node:http';
import { SimApiError } from './errors.ts';
import { parseMultipart } from './multipart.ts';

const MAX_BODY_BYTES = 26 * 1024 * 1024;

export async function readRawBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) {
      throw new SimApiError(413, { message: 'Request entity too large', code: 40005 });
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * Decodes a request body the way Discord accepts it: JSON, form-encoded (OAuth2), or multipart with a
 * `payload_json` part (discord.js uses multipart when attaching files; files are recorded by name).
 */
export function parseBody(raw: Buffer, contentType: string | undefined): unknown {
  if (raw.length === 0) return undefined;
  const type = (contentType ?? '').toLowerCase();
  if (type.startsWith('application/x-www-form-urlencoded')) {
    return Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
  }
  if (type.startsWith('multipart/form-data')) {
    const parts = parseMultipart(raw, contentType ?? '');
    const payload = parts.find((part) => part.name === 'payload_json');
    const body: Record<string, unknown> = payload
      ? (JSON.parse(payload.data.toString('utf8')) as Record<string, unknown>)
      : {};
    const files = parts.flatMap((part) => (part.filename === null ? [] : [part.filename]));
    if (files.length > 0) body.__files = files;
    return body;
  }
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    throw new SimApiError(400, { message: '400: Bad Request', code: 50109 });
  }
}
