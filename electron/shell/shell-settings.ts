import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { updateSettingsSchema } from '../../shared/contract/exports.schemas';
import type { DesktopUpdateSettings } from '../../shared/desktop';

export const UPDATES_OFF: DesktopUpdateSettings = { enabled: false, url: '' };

/** The desktop's update settings in a small JSON file in app data; missing or damaged means off. */
export function updateSettingsFile(file: string): { load(): DesktopUpdateSettings; save(s: DesktopUpdateSettings): void } {
  return {
    load: () => {
      try {
        const parsed = updateSettingsSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
        return parsed.success ? parsed.data : { ...UPDATES_OFF };
      } catch {
        return { ...UPDATES_OFF };
      }
    },
    save: (s) => {
      const valid = updateSettingsSchema.parse(s);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(`${file}.tmp`, JSON.stringify(valid));
      renameSync(`${file}.tmp`, file);
    },
  };
}
