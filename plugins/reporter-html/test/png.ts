import { crc32, deflateSync } from 'node:zlib';

/** A minimal PNG encoder for test images: 8-bit RGB, no interlace, every row filter 0. */
export function png(width: number, height: number, pixel: (x: number, y: number) => [number, number, number]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // bit depth 8, colour type 2 (RGB), deflate, filter 0, no interlace
  const raw = Buffer.alloc(height * (1 + width * 3));
  for (let y = 0; y < height; y++) {
    raw[y * (1 + width * 3)] = 0;
    for (let x = 0; x < width; x++) raw.set(pixel(x, y), y * (1 + width * 3) + 1 + x * 3);
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** A receipt-like test picture: white paper, grey text bars, a red total line. */
export function receipt(width = 240, height = 160): Buffer {
  return png(width, height, (x, y) => {
    const margin = x > 16 && x < width - 16;
    if (margin && y > height - 40 && y < height - 30 && x < width * 0.7) return [200, 40, 40];
    if (margin && y % 18 > 10 && y % 18 < 15 && y < height - 50 && x < width - 16 - ((y * 7) % 60)) return [90, 90, 90];
    return [252, 252, 248];
  });
}
