import { describe, expect, it } from 'vitest';
import { methods } from '../../shared/contract/methods';
import { actionOf } from './invalid-request';

/**
 * Refusals are sentences built from a method's description ("jo may not count the movements unposted up to a date: that
 * needs …", "Could not save the chart …: …"), so every description starts with what the user asked to do, an imperative
 * verb: a description such as "How many movements are unposted" made "jo may not how many movements are unposted".
 */
const VERBS = new Set([
  'Add', 'Ask', 'Attach', 'Back', 'Cancel', 'Change', 'Check', 'Choose', 'Complete', 'Correct', 'Count', 'Create', 'Delete',
  'Despatch', 'Disable', 'Export', 'Generate', 'Get', 'Import', 'List', 'Lock', 'Look', 'Move', 'Open', 'Post', 'Preview',
  'Print', 'Read', 'Rebuild', 'Receive', 'Record', 'Refund', 'Remove', 'Replace', 'Restore', 'Reverse', 'Review', 'Save',
  'Search', 'Set', 'Show', 'Sign', 'Start', 'Submit', 'Transfer', 'Write',
]);

describe('contract method descriptions', () => {
  it('each starts with an imperative verb, so the refusals built from it read as sentences', () => {
    const notVerbs = Object.entries(methods)
      .map(([name, def]) => [name, def.description.split(/\s/)[0]!] as const)
      .filter(([, first]) => !VERBS.has(first));
    expect(notVerbs).toEqual([]);
    expect(actionOf(methods['posting.preview'].description)).toBe('count the movements unposted up to a date');
  });
});
