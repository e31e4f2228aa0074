import { Text } from '@fluentui/react-components';
import { useCallback, useEffect, useState } from 'react';
import type { AppError } from '../../shared/contract/errors';
import type { RecipeProductRow, RecipeVersionRecord } from '../../shared/recipes';
import { toAppError } from '../app/to-app-error';
import { useClient } from '../client';
import { ErrorBar } from '../common/ErrorBar';
import { useMasterStyles } from '../masterdata/masterdata-styles';
import { ExplosionPreview } from './ExplosionPreview';
import { RecipeEditor } from './RecipeEditor';
import { RecipeHistory } from './RecipeHistory';
import { linesOf, saveInputOf, type ComponentLineDraft } from './recipe-draft';
import { fromText } from './recipe-format';
import { typedDateRefusal } from '../common/date-refusal';

/** One recipe product: its next version's editor (starting from the version in force), its history, its explosion. */
export function RecipeDetail({ recipe, canEdit, onSaved }: { recipe: RecipeProductRow; canEdit: boolean; onSaved: (v: RecipeVersionRecord) => void }) {
  const styles = useMasterStyles();
  const client = useClient();
  const [versions, setVersions] = useState<RecipeVersionRecord[] | null>(null);
  const [loadError, setLoadError] = useState<AppError | null>(null);
  const [lines, setLines] = useState<ComponentLineDraft[]>(() => linesOf(null));
  const [effectiveFrom, setEffectiveFrom] = useState('');
  /** The Takes effect from text is not a date: saving refuses rather than use the time from before the typing. */
  const [fromInvalid, setFromInvalid] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState<RecipeVersionRecord | null>(null);
  const [now, setNow] = useState(() => Date.now());

  const load = useCallback(
    (seed: boolean) =>
      client.call('recipes.versions', { recipeId: recipe.id }).then(
        (vs) => {
          const t = Date.now();
          setNow(t);
          setVersions(vs);
          setLoadError(null);
          if (seed) setLines(linesOf(vs.find((v) => v.effectiveFrom <= t && (v.effectiveTo === null || v.effectiveTo > t)) ?? vs[0] ?? null));
        },
        (e: unknown) => setLoadError(toAppError(e)),
      ),
    [client, recipe.id],
  );
  useEffect(() => void load(true), [load]);

  const save = async () => {
    if (saving || !canEdit) return;
    let input;
    try {
      if (fromInvalid) throw typedDateRefusal('Takes effect from', { at: { field: 'effectiveFrom' } });
      input = saveInputOf(recipe.id, lines, effectiveFrom);
    } catch (e) {
      setError(toAppError(e));
      return;
    }
    setSaving(true);
    try {
      const v = await client.call('recipes.save', input);
      setError(null);
      setSaved(v);
      setEffectiveFrom('');
      await load(false);
      onSaved(v);
    } catch (e) {
      setError(toAppError(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <>
      <h2 className={styles.h2}>
        {recipe.sku} — {recipe.name}
      </h2>
      <Text className={styles.note}>
        {recipe.stockType} · quantities per 1 {recipe.unit}
        {recipe.scale ? ` (sold in steps of ${(1 / 10 ** recipe.scale).toFixed(recipe.scale)} ${recipe.unit}; each component is taken in proportion, rounded to its unit)` : ''}
      </Text>
      {loadError ? <ErrorBar error={loadError} title="The recipe could not be loaded." onRetry={() => void load(true)} /> : null}
      {saved ? (
        <Text role="status" className={styles.note} data-testid="recipe-saved">
          Saved: {recipe.sku} takes {saved.components.length} component{saved.components.length === 1 ? '' : 's'} from {fromText(saved.effectiveFrom)}.
        </Text>
      ) : null}
      <RecipeEditor
        recipe={recipe}
        lines={lines}
        setLines={(f) => {
          setSaved(null);
          setLines(f);
        }}
        effectiveFrom={effectiveFrom}
        setEffectiveFrom={setEffectiveFrom}
        onEffectiveFromInvalid={setFromInvalid}
        firstVersion={(versions?.length ?? 0) === 0}
        canEdit={canEdit}
        saving={saving}
        error={error}
        onDismissError={() => setError(null)}
        onSave={() => void save()}
      />
      <h3 className={styles.h3}>Versions</h3>
      {versions ? <RecipeHistory versions={versions} now={now} onCopy={(v) => setLines(linesOf(v))} /> : null}
      {versions && versions.length > 0 ? <ExplosionPreview recipe={recipe} revision={versions.length} /> : null}
    </>
  );
}
