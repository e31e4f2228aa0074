import { Field, Input, Text, makeStyles, tokens } from '@fluentui/react-components';
import { AddRegular, DeleteRegular, SaveRegular } from '@fluentui/react-icons';
import { useEffect, useRef, type KeyboardEvent } from 'react';
import type { AppError } from '../../shared/contract/errors';
import type { RecipeProductRef } from '../../shared/recipes';
import { ErrorBar } from '../common/ErrorBar';
import { PermissionButton } from '../common/PermissionButton';
import { useMasterStyles } from '../masterdata/masterdata-styles';
import { ProductPicker } from '../operations/ProductPicker';
import { blankLine, errorField, lineOfField, type ComponentLineDraft } from './recipe-draft';
import { DateTimeField } from '../common/DateTimeField';
import { needsPermission } from '../../shared/permission-names';

const useStyles = makeStyles({
  line: { display: 'grid', gridTemplateColumns: 'minmax(0, 1fr) 130px 32px', gap: '6px', alignItems: 'start', '& > *': { minWidth: 0 } },
  qty: { minWidth: 0, width: '100%' },
  bad: { outline: `2px solid ${tokens.colorPaletteRedBorder2}`, borderRadius: tokens.borderRadiusMedium },
});

interface RecipeEditorProps {
  recipe: RecipeProductRef;
  lines: ComponentLineDraft[];
  setLines: (f: (lines: ComponentLineDraft[]) => ComponentLineDraft[]) => void;
  effectiveFrom: string;
  setEffectiveFrom: (v: string) => void;
  /** The field's text is (true) or is again (false) not a date: saving must refuse until it reads. */
  onEffectiveFromInvalid: (invalid: boolean) => void;
  firstVersion: boolean;
  canEdit: boolean;
  saving: boolean;
  error: AppError | null;
  onDismissError: () => void;
  onSave: () => void;
}

/**
 * The next version's component lines, keyboard first: Tab moves picker → quantity → next line; Enter in the last
 * quantity adds a line; Ctrl+Enter or Ctrl+S saves. The line and field main refused are marked with its message.
 */
export function RecipeEditor(props: RecipeEditorProps) {
  const { recipe, lines, setLines, effectiveFrom, setEffectiveFrom, onEffectiveFromInvalid, firstVersion, canEdit, saving, error, onDismissError, onSave } = props;
  const refusal = canEdit ? null : needsPermission('You may look but not change recipes: that', 'manage:products');
  const styles = useMasterStyles();
  const own = useStyles();
  const field = errorField(error);
  const badLine = lineOfField(field, lines);
  const lineField = field?.split('.')[2] ?? null;
  /** The line whose product picker takes the focus after the next render (a line just added, or the next one). */
  const focusLine = useRef<number | null>(null);
  const root = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (focusLine.current === null) return;
    root.current?.querySelector<HTMLInputElement>(`[data-testid="component-product-${focusLine.current}"] input`)?.focus();
    focusLine.current = null;
  });
  const setFocusLine = (i: number) => {
    focusLine.current = i;
    if (i < lines.length) root.current?.querySelector<HTMLInputElement>(`[data-testid="component-product-${i}"] input`)?.focus();
  };

  const update = (i: number, patch: Partial<ComponentLineDraft>) => setLines((ls) => ls.map((l, k) => (k === i ? { ...l, ...patch } : l)));
  const addLine = () => {
    setLines((ls) => [...ls, blankLine()]);
    setFocusLine(lines.length);
  };
  const onQtyKey = (i: number, e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key !== 'Enter' || e.ctrlKey) return;
    e.preventDefault();
    if (i === lines.length - 1) addLine();
    else setFocusLine(i + 1);
  };
  const mark = (name: string) => (field === name ? { validationState: 'error' as const, validationMessage: error?.message } : {});

  return (
    <form
      ref={root}
      className={styles.form}
      aria-label={`Recipe of ${recipe.sku}`}
      data-testid="recipe-editor"
      onSubmit={(e) => {
        e.preventDefault();
        onSave();
      }}
      onKeyDown={(e) => {
        if ((e.ctrlKey && e.key === 'Enter') || (e.ctrlKey && e.key.toLowerCase() === 's')) {
          e.preventDefault();
          onSave();
        }
      }}
    >
      <h3 className={styles.h3}>
        New version — components per 1 {recipe.unit} of {recipe.sku}
      </h3>
      {error && (field === null || field === 'recipeId') ? <ErrorBar error={error} multiline onDismiss={onDismissError} /> : null}
      {field === 'components' ? (
        <Text role="alert" style={{ color: tokens.colorPaletteRedForeground1 }} data-testid="components-error">
          {error?.message}
        </Text>
      ) : null}
      {lines.map((l, i) => {
        const bad = badLine === i;
        return (
          <div key={l.key} className={own.line} data-testid={`component-line-${i}`} data-invalid={bad ? 'true' : undefined}>
            <Field
              label={i === 0 ? 'Component' : undefined}
              {...(bad && lineField === 'productId' ? { validationState: 'error' as const, validationMessage: error?.message } : {})}
            >
              <div className={bad && lineField === 'productId' ? own.bad : undefined} data-testid={`component-product-${i}`}>
                <ProductPicker value={l.product} onChange={(p) => update(i, { product: p })} label={`Component ${i + 1}`} />
              </div>
            </Field>
            <Field
              label={i === 0 ? 'Quantity' : undefined}
              {...(bad && lineField === 'qtyPerUnit' ? { validationState: 'error' as const, validationMessage: error?.message } : {})}
            >
              <Input
                size="small"
                className={own.qty}
                value={l.qty}
                onChange={(_, d) => update(i, { qty: d.value })}
                onKeyDown={(e) => onQtyKey(i, e)}
                contentAfter={<Text size={200}>{l.product?.unit ?? ''}</Text>}
                inputMode="decimal"
                aria-label={`Quantity of component ${i + 1}`}
                disabled={!canEdit}
                data-testid={`component-qty-${i}`}
              />
            </Field>
            <PermissionButton
              refusal={refusal}
              size="small"
              appearance="subtle"
              icon={<DeleteRegular />}
              aria-label={`Remove component ${i + 1}`}
              style={i === 0 ? { marginTop: '22px' } : undefined}
              onClick={() => setLines((ls) => (ls.length > 1 ? ls.filter((_, k) => k !== i) : [blankLine()]))}
            />
          </div>
        );
      })}
      <div className={styles.actions}>
        <PermissionButton refusal={refusal} size="small" icon={<AddRegular />} onClick={addLine} data-testid="component-add">
          Add component
        </PermissionButton>
      </div>
      <Field
        label="Takes effect from"
        hint={effectiveFrom ? 'Sales dated from this time on use this version.' : firstVersion ? 'Empty: from the beginning (every sale, even backdated).' : 'Empty: from now.'}
        {...mark('effectiveFrom')}
      >
        <DateTimeField mode="datetime" value={effectiveFrom} onChange={setEffectiveFrom} onInvalidChange={onEffectiveFromInvalid} disabled={!canEdit} data-testid="recipe-effective-from" />
      </Field>
      <div className={styles.actions}>
        <PermissionButton refusal={refusal} appearance="primary" type="submit" icon={<SaveRegular />} disabled={saving} title="Save version (Ctrl+Enter)" data-testid="recipe-save">
          Save version
        </PermissionButton>
        {refusal !== null ? <Text className={styles.note}>{refusal}</Text> : null}
      </div>
    </form>
  );
}
