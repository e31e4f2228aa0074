import { Button, makeStyles, tokens } from '@fluentui/react-components';
import { ArrowLeftRegular, ArrowRightRegular } from '@fluentui/react-icons';
import type { ReactNode } from 'react';

/** The look of the first-run assistant's steps. */
export const useSetupStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: '14px', padding: '20px 28px', maxWidth: '900px', width: '100%', margin: '0 auto', boxSizing: 'border-box' },
  /** The finance step's chart and rules table side by side. */
  wide: { maxWidth: '1280px' },
  top: { display: 'flex', alignItems: 'center', gap: '12px' },
  title: { margin: 0, fontSize: tokens.fontSizeBase500, fontWeight: tokens.fontWeightSemibold, lineHeight: tokens.lineHeightBase500, flexGrow: 1 },
  steps: { display: 'flex', gap: '6px', margin: 0, padding: 0, listStyle: 'none' },
  step: {
    display: 'flex',
    alignItems: 'center',
    gap: '6px',
    padding: '4px 10px',
    borderRadius: tokens.borderRadiusCircular,
    color: tokens.colorNeutralForeground3,
    backgroundColor: tokens.colorNeutralBackground3,
    fontSize: tokens.fontSizeBase200,
  },
  current: { color: tokens.colorNeutralForegroundOnBrand, backgroundColor: tokens.colorBrandBackground },
  passed: { color: tokens.colorPaletteGreenForeground1 },
  h2: { margin: 0, fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold },
  note: { color: tokens.colorNeutralForeground3 },
  actions: { display: 'flex', gap: '8px', alignItems: 'center' },
});

/** Back and Continue under a step. */
export function StepActions({ onBack, next }: { onBack: () => void; next?: ReactNode }) {
  const styles = useSetupStyles();
  return (
    <div className={styles.actions}>
      <Button icon={<ArrowLeftRegular />} onClick={onBack} data-testid="setup-back">
        Back
      </Button>
      {next}
    </div>
  );
}

/** Back and Continue (to the next step) under a step; `testId` names its Continue button. */
export function ContinueActions({ onBack, onNext, testId, disabled = false }: { onBack: () => void; onNext: () => void; testId: string; disabled?: boolean }) {
  return (
    <StepActions
      onBack={onBack}
      next={
        <Button appearance="primary" icon={<ArrowRightRegular />} iconPosition="after" disabled={disabled} onClick={onNext} data-testid={testId}>
          Continue
        </Button>
      }
    />
  );
}
