import { describe, expectTypeOf, it } from 'vitest';
import type { Awaitable } from './steps';
import type { AnsweredLater, AnsweredNow } from './store-answers';

/** A store interface's three kinds of answer: given now or later (Awaitable), later on every store, now on every store. */
interface Probe {
  either(x: number): Awaitable<string>;
  later(): Promise<number>;
  now(): boolean;
}

describe('a store interface as one store answers it (checked by tsc)', () => {
  it('answered now: an Awaitable answer without its promise; a promise on every store stays one', () => {
    expectTypeOf<AnsweredNow<Probe>['either']>().toEqualTypeOf<(x: number) => string>();
    expectTypeOf<AnsweredNow<Probe>['later']>().toEqualTypeOf<() => Promise<number>>();
    expectTypeOf<AnsweredNow<Probe>['now']>().toEqualTypeOf<() => boolean>();
  });

  it('answered later: an Awaitable answer as a promise; an answer never a promise stays as it is', () => {
    expectTypeOf<AnsweredLater<Probe>['either']>().toEqualTypeOf<(x: number) => Promise<string>>();
    expectTypeOf<AnsweredLater<Probe>['later']>().toEqualTypeOf<() => Promise<number>>();
    expectTypeOf<AnsweredLater<Probe>['now']>().toEqualTypeOf<() => boolean>();
  });

  it('a store class answers its interface as its store does, and is held as that', () => {
    class NowStore implements Probe {
      either = (x: number) => String(x);
      later = () => Promise.resolve(1);
      now = () => true;
    }
    expectTypeOf<NowStore>().toMatchTypeOf<AnsweredNow<Probe>>();
    expectTypeOf<NowStore>().not.toMatchTypeOf<AnsweredLater<Probe>>();
  });
});
