import { describe, expect, it } from 'vitest';
import { decimal } from '../enquiry/movement-export';
import { CollectSink } from './collect-sink';

describe('ByteSink', () => {
  it('writes integers and fixed-point decimals as decimal() and String() write them, across spills', () => {
    const values = [0, -0, 1, -1, 9, 10, 99, 100, 12_500, -12_500, 123_456_789, -987_654_321, 2 ** 31, 2 ** 53 - 1, -(2 ** 53 - 1), 1e15, 9_999, 10_001];
    for (let i = 0; i < 200; i++) values.push(Math.round((Math.random() - 0.5) * 10 ** (1 + (i % 15))));
    const sink = new CollectSink();
    let want = '';
    for (const v of values) {
      sink.int(v);
      sink.byte(32);
      want += `${String(v)} `;
      for (let scale = 0; scale <= 4; scale++) {
        sink.fixed(v, scale);
        sink.byte(44);
        want += `${decimal(v, scale)},`;
      }
      sink.padded(Math.abs(v) % 100, 2);
      want += String(Math.abs(v) % 100).padStart(2, '0');
    }
    expect(sink.text()).toBe(want);
  });

  it('writes text as UTF-8 and bytes made once, including pieces larger than its buffer', () => {
    const sink = new CollectSink();
    const name = Buffer.from('Crème brûlée £4,', 'utf8');
    const long = 'é'.repeat(100);
    sink.bytes(name);
    sink.write(long);
    sink.bytes(Buffer.from('x'.repeat(70)));
    sink.write('Ω');
    expect(sink.text()).toBe(`Crème brûlée £4,${long}${'x'.repeat(70)}Ω`);
  });

  it('writes the first n bytes of a scratch buffer only, short or longer than its copy loop', () => {
    const sink = new CollectSink();
    const scratch = Buffer.from('1234567890');
    sink.bytes(scratch, 3);
    sink.byte(44);
    const long = Buffer.from('y'.repeat(60) + 'NOT THIS');
    sink.bytes(long, 60);
    sink.bytes(scratch, 0);
    expect(sink.text()).toBe(`123,${'y'.repeat(60)}`);
  });
});
