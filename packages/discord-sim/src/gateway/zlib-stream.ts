import { constants, createDeflate } from 'node:zlib';
import type { Deflate } from 'node:zlib';

/**
 * Discord's `compress=zlib-stream` transport: one zlib context for the whole connection, each payload
 * flushed with Z_SYNC_FLUSH so it ends in 00 00 ff ff.
 */
export class ZlibStreamEncoder {
  readonly #deflate: Deflate = createDeflate();
  #chunks: Buffer[] = [];

  constructor() {
    this.#deflate.on('data', (chunk: Buffer) => this.#chunks.push(chunk));
  }

  encode(text: string): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      this.#deflate.write(text, (error) => {
        if (error) reject(error);
      });
      this.#deflate.flush(constants.Z_SYNC_FLUSH, () => {
        const out = Buffer.concat(this.#chunks);
        this.#chunks = [];
        resolve(out);
      });
    });
  }

  close(): void {
    this.#deflate.close();
  }
}
