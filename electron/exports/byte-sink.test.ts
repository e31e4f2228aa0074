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
        // with the comma after it as a byte of its own, or as the same call's `then`
        if (scale % 2) sink.fixed(v, scale, 44);
        else {
          sink.fixed(v, scale);
          sink.byte(44);
        }
        want += `${decimal(v, scale)},`;
      }
      sink.int(v, 59);
      want += `${String(v)};`;
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
    sink.ascii(String(45_994.123_456_789));
    sink.ascii('z'.repeat(90));
    expect(sink.text()).toBe(`Crème brûlée £4,${long}${'x'.repeat(70)}Ω45994.123456789${'z'.repeat(90)}`);
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

  it('writes a time of day from its second as HH:MM:SS, as a Date writes it in UTC, across spills', () => {
    const sink = new CollectSink(20);
    let want = '';
    for (const second of [0, 1, 59, 60, 3599, 3600, 43_199, 43_200, 86_399, ...Array.from({ length: 50 }, (_, i) => (i * 7_919) % 86_400)]) {
      sink.timeOfDay(second, 44);
      want += `${new Date(second * 1000).toISOString().slice(11, 19)},`;
    }
    expect(sink.text()).toBe(want);
  });
});
