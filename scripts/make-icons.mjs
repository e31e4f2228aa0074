// Draws the Stockbook icon (stacked stock boxes on a blue tile) into build/icon.png and build/icon.ico.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

function crc32(buf) {
  let c, crc = 0xffffffff;
  for (let n = 0; n < buf.length; n++) {
    c = (crc ^ buf[n]) & 0xff;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crc = (crc >>> 8) ^ c;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
function png(size) {
  const px = Buffer.alloc(size * (size * 4 + 1));
  const r = size * 0.18;
  const inside = (x, y) => {
    const cx = Math.min(Math.max(x, r), size - r), cy = Math.min(Math.max(y, r), size - r);
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
  };
  const boxes = [
    [0.2, 0.55, 0.3, 0.25], [0.5, 0.55, 0.3, 0.25], [0.35, 0.3, 0.3, 0.25],
  ].map(([x, y, w, h]) => [x * size, y * size, w * size, h * size]);
  for (let y = 0; y < size; y++) {
    px[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const o = y * (size * 4 + 1) + 1 + x * 4;
      let rgba = [0, 0, 0, 0];
      if (inside(x, y)) {
        rgba = [15, 108, 189, 255];
        for (const [bx, by, bw, bh] of boxes) {
          const m = size * 0.02;
          if (x >= bx + m && x < bx + bw - m && y >= by + m && y < by + bh - m) {
            rgba = Math.abs(y - (by + bh * 0.35)) < size * 0.012 ? [15, 108, 189, 255] : [255, 255, 255, 255];
          }
        }
      }
      px.set(rgba, o);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0); ihdr.writeUInt32BE(size, 4); ihdr[8] = 8; ihdr[9] = 6;
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(px)), chunk('IEND', Buffer.alloc(0))]);
}
const big = png(512);
writeFileSync('build/icon.png', big);
const sizes = [16, 32, 48, 256];
const images = sizes.map((s) => png(s));
const header = Buffer.alloc(6); header.writeUInt16LE(0, 0); header.writeUInt16LE(1, 2); header.writeUInt16LE(sizes.length, 4);
let offset = 6 + 16 * sizes.length;
const entries = sizes.map((s, i) => {
  const e = Buffer.alloc(16);
  e[0] = s === 256 ? 0 : s; e[1] = s === 256 ? 0 : s; e.writeUInt16LE(1, 4); e.writeUInt16LE(32, 6);
  e.writeUInt32LE(images[i].length, 8); e.writeUInt32LE(offset, 12); offset += images[i].length;
  return e;
});
writeFileSync('build/icon.ico', Buffer.concat([header, ...entries, ...images]));
console.log('build/icon.png and build/icon.ico written');
