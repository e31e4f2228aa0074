import { Button, Text, mergeClasses } from '@fluentui/react-components';
import { ArrowRightRegular, CheckmarkCircleFilled, DismissRegular } from '@fluentui/react-icons';
import { useState, type ReactNode } from 'react';
import type { AppError } from '../../shared/contract/errors';
import type { SetupStep } from '../../shared/company';
import { useAppInfo } from '../app/app-info-context';
import { hrefFor } from '../app/routes';
import { toAppError } from '../app/to-app-error';
import { useClient } from '../client';
import { ErrorBar } from '../common/ErrorBar';
import { useCompany } from './company-context';
import { CompanyForm } from './CompanyForm';
import { SetupFinanceStep } from './SetupFinanceStep';
import { SetupPeopleStep } from './SetupPeopleStep';
import { SetupProductsStep } from './SetupProductsStep';
import { SetupSiteStep } from './SetupSiteStep';
import { useSetupStyles } from './setup-parts';


const STEPS: [Exclude<SetupStep, 'done'>, string][] = [
  ['company', '1 Company'],
  ['site', '2 First site and bins'],
  ['people', '3 People and sign-in'],
  ['finance', '4 Finance accounts'],
  ['products', '5 Products'],
];

/**
 * The first-run assistant: company settings, the first site and its bins, who signs in, the finance accounts posting
 * writes to, then how to add products. Each step is
 * saved in main as it is reached, so "Finish later" (or closing the app) resumes at the same step; choosing how to
 * add products finishes it for good.
 */
export function SetupAssistant() {
  const styles = useSetupStyles();
  const client = useClient();
  const { info, apply, leaveAssistant } = useCompany();
  const [error, setError] = useState<AppError | null>(null);
  const step = info?.setup.step ?? 'company';
  const index = STEPS.findIndex(([id]) => id === step);

  const go = async (next: SetupStep, then?: () => void) => {
    try {
      apply(await client.call('company.setupStep', { step: next }));
      setError(null);
      then?.();
    } catch (e) {
      setError(toAppError(e));
    }
  };

  let body: ReactNode;
  if (step === 'company') body = <CompanyStep />;
  else if (step === 'site') body = <SetupSiteStep onBack={() => void go('company')} onNext={() => void go('people')} />;
  else if (step === 'people') body = <SetupPeopleStep onBack={() => void go('site')} onNext={() => void go('finance')} />;
  else if (step === 'finance') body = <SetupFinanceStep onBack={() => void go('people')} onNext={() => void go('products')} />;
  else body = <SetupProductsStep onBack={() => void go('finance')} onChoose={(href) => void go('done', () => (location.hash = href))} />;

  return (
    <section className={mergeClasses(styles.root, step === 'finance' && styles.wide)} aria-labelledby="setup-title" data-testid="setup-assistant">
      <div className={styles.top}>
        <h2 id="setup-title" className={styles.title}>
          Set up Stockbook
        </h2>
        <Button appearance="subtle" icon={<DismissRegular />} onClick={leaveAssistant} data-testid="setup-leave">
          Finish later
        </Button>
      </div>
      <ol className={styles.steps} aria-label="Steps">
        {STEPS.map(([id, label], i) => (
          <li key={id} className={mergeClasses(styles.step, i === index && styles.current, i < index && styles.passed)} aria-current={i === index ? 'step' : undefined}>
            {i < index ? <CheckmarkCircleFilled aria-hidden /> : null}
            {label}
          </li>
        ))}
      </ol>
      {error ? <ErrorBar error={error} onDismiss={() => setError(null)} /> : null}
      {body}
    </section>
  );
}

function CompanyStep() {
  const styles = useSetupStyles();
  const { info: appInfo } = useAppInfo();
  const { info, leaveAssistant } = useCompany();
  // Demo data loads only into an empty ledger, so it is offered only before anything is saved.
  const empty = !info?.saved && appInfo?.productCount === 0 && appInfo.movementCount === 0;
  return (
    <>
      <h2 className={styles.h2}>Your company</h2>
      <Text className={styles.note}>
        The base currency holds every cost and value; the time zone decides where a business day starts and ends; the locale decides
        how numbers and dates are written. All of them can be changed later in the Company window (the currency only until stock
        movements carry values).
      </Text>
      <CompanyForm submitLabel="Save and continue" setupStep="site" />
      {empty ? (
        <div className={styles.actions}>
          <Text className={styles.note}>Just looking around?</Text>
          <Button
            appearance="transparent"
            icon={<ArrowRightRegular />}
            iconPosition="after"
            onClick={() => {
              leaveAssistant();
              location.hash = hrefFor('stock');
            }}
            data-testid="setup-demo-instead"
          >
            Load demo data instead
          </Button>
        </div>
      ) : null}
    </>
  );
}
