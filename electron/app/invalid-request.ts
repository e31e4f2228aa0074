import type { z } from 'zod';
import type { WireError } from '../../shared/contract/errors';
import { fieldLabel } from '../../shared/contract/field-labels';

/** zod's own wording (as opposed to a schema's message such as "must be more than zero"), which names types and keys. */
const ZOD_WORDING = /^(Invalid|Too (small|big)|Unrecognized|Expected|Required)/;

const count = (n: number | bigint, one: string) => `${n} ${one}${Number(n) === 1 ? '' : 's'}`;

/** One refused field's problem in plain words: the schema's own message, or zod's said without its internal terms. */
export function plainProblem(issue: z.core.$ZodIssue): string {
  if (!ZOD_WORDING.test(issue.message)) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      if (/received undefined/.test(issue.message)) return 'is missing';
      return issue.expected === 'number' || issue.expected === 'int' ? 'must be a number' : issue.expected === 'string' ? 'must be text' : 'has the wrong kind of value';
    case 'too_small':
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? 'must not be empty' : `must be at least ${count(issue.minimum, 'character')}`;
      if (issue.origin === 'array' || issue.origin === 'set') return Number(issue.minimum) <= 1 ? 'needs at least one entry' : `needs at least ${issue.minimum} entries`;
      return issue.inclusive ? `must be at least ${issue.minimum}` : `must be more than ${issue.minimum}`;
    case 'too_big':
      if (issue.origin === 'string') return `must be at most ${count(issue.maximum, 'character')}`;
      if (issue.origin === 'array' || issue.origin === 'set') return `may have at most ${issue.maximum} entries`;
      return issue.inclusive ? `must be at most ${issue.maximum}` : `must be less than ${issue.maximum}`;
    case 'invalid_format':
      return 'is not written in a form Stockbook reads';
    case 'invalid_value':
    case 'invalid_union':
      return 'is not one of the allowed choices';
    case 'not_multiple_of':
      return 'must be a whole number of steps';
    case 'unrecognized_keys':
      return `has ${count(issue.keys.length, 'field')} this version of Stockbook does not know (update Stockbook)`;
    default:
      return 'is not valid';
  }
}

/**
 * Explains a refused request in the words of the form it came from: what was being done, each field by its label
 * ("Line 1 quantity must be more than zero") and what to do. Method names and contract paths stay in `details`
 * (the forms use `details.issues[].path` to mark and focus the field).
 */
export function describeInvalid(description: string, error: z.ZodError): WireError {
  const issues = error.issues.slice(0, 10).map((i) => ({ path: i.path.join('.') || '(input)', label: fieldLabel(i.path), message: plainProblem(i) }));
  const list = issues.map((i) => `${i.label ?? 'The request'}${/^(must|is|has|needs|may)\b/.test(i.message) ? ' ' : ': '}${i.message}`).join('; ');
  return {
    code: 'VALIDATION',
    message: `Could not ${actionOf(description)}: ${list}. Correct ${issues.length === 1 ? 'this field' : 'these fields'} and try again; nothing was changed.`,
    details: { issues },
  };
}

/** A contract method's description as the action in a sentence: "Create a user" → "create a user" (asides dropped). */
export function actionOf(description: string): string {
  const plain = description.replace(/\s*\([^)]*\)\s*$/, '');
  return plain.charAt(0).toLowerCase() + plain.slice(1);
}
