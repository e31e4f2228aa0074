import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ASK_FOR_PERMISSION, needsPermission } from './permission-names';

const root = join(import.meta.dirname, '..');

/** Every source file of main, renderer and shared (tests aside): where a refusal could be written by hand. */
function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name) && !/\.(test|spec)\.tsx?$/.test(e.name))
    .map((e) => relative(root, join(e.parentPath, e.name)));
}

/** A refusal for want of a permission written out by hand instead of by needsPermission: its wording, or whom to ask. */
const HAND_WRITTEN = /needs the (“|")[^”"]+(”|") (or (“|")[^”"]+(”|") )?permission|needs the \$\{|Ask an administrator for (it|the permission)/i;

describe('a permission refusal says whom to ask, from one place', () => {
  it('reads “… needs the “X” permission. Ask an administrator for it (Settings → Users).”', () => {
    expect(needsPermission('Changing product groups', 'manage:products')).toBe(
      'Changing product groups needs the “Manage products” permission. Ask an administrator for it (Settings → Users).',
    );
    expect(needsPermission('Setting up sites and products', 'manage:sites', 'manage:products')).toBe(
      `Setting up sites and products needs the “Manage sites and bins” or “Manage products” permission. ${ASK_FOR_PERMISSION}`,
    );
  });

  it('no file of main, renderer or shared words such a refusal by hand (company, setup, counts, recipes, product groups…)', () => {
    const files = ['electron', 'renderer', 'shared'].flatMap(sources).filter((f) => f !== join('shared', 'permission-names.ts'));
    expect(files.length).toBeGreaterThan(100);
    const found = files.flatMap((f) =>
      readFileSync(join(root, f), 'utf8')
        .split('\n')
        .flatMap((line, i) => (HAND_WRITTEN.test(line) ? [`${f}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(found, 'write these with needsPermission() from shared/permission-names.ts').toEqual([]);
  });
});
