import { describe, expect, it } from 'vitest';
import type { CallOutcome } from './transport';
import { parseServerFrame, ServerFrameReader } from './frame-reader';

const reply = (id: number, outcome: CallOutcome) => JSON.stringify({ kind: 'reply', id, outcome });
const event = (name: string, payload: unknown) => JSON.stringify({ kind: 'event', event: name, payload });

describe('the shared reader of server frames (browser bridge, desktop/CLI client)', () => {
  it('a reply answers its own call once and only once; a reply for no waiting call is dropped', () => {
    const answers: [string, CallOutcome][] = [];
    const reader = new ServerFrameReader<{ resolve(o: CallOutcome): void }>();
    reader.pending.set(1, { resolve: (o) => answers.push(['one', o]) });
    reader.pending.set(2, { resolve: (o) => answers.push(['two', o]) });
    reader.read(reply(2, { ok: true, result: 'B' }));
    reader.read(reply(2, { ok: true, result: 'again' }));
    reader.read(reply(7, { ok: true, result: 'nobody asked' }));
    expect(answers).toEqual([['two', { ok: true, result: 'B' }]]);
    expect([...reader.pending.keys()]).toEqual([1]);
  });

  it('an event reaches every listener of its name and every any-listener, in order; a failing listener stops none; off works', () => {
    const heard: string[] = [];
    const failures: string[] = [];
    const reader = new ServerFrameReader({ onListenerError: (name, e) => failures.push(`${name}: ${(e as Error).message}`) });
    reader.onAny((name, p) => heard.push(`any ${name} ${String(p)}`));
    reader.on('stock.changed', () => {
      throw new Error('broken window');
    });
    const off = reader.on('stock.changed', (p) => heard.push(`stock ${String(p)}`));
    reader.on('job.finished', (p) => heard.push(`job ${String(p)}`));
    reader.read(event('stock.changed', 1));
    off();
    reader.read(event('stock.changed', 2));
    expect(heard).toEqual(['any stock.changed 1', 'stock 1', 'any stock.changed 2']);
    expect(failures).toEqual(['stock.changed: broken window', 'stock.changed: broken window']);
  });

  it('text that is not a server frame is reported and changes nothing', () => {
    const bad: string[] = [];
    const answered: CallOutcome[] = [];
    const reader = new ServerFrameReader<{ resolve(o: CallOutcome): void }>({ onBadFrame: (t) => bad.push(t) });
    reader.pending.set(1, { resolve: (o) => answered.push(o) });
    for (const t of ['{not json', 'null', '42', '{"kind":"reply","id":"1","outcome":{}}', '{"kind":"reply","id":1}', '{"kind":"event"}', '{"kind":"call","id":1}']) reader.read(t);
    expect(bad).toHaveLength(7);
    expect(answered).toEqual([]);
    expect(reader.pending.size).toBe(1);
    expect(parseServerFrame(reply(1, { ok: false, error: { code: 'NOT_FOUND', message: 'x' } }))).toMatchObject({ kind: 'reply', id: 1 });
  });
});
