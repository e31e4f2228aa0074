import { Button, MessageBar, MessageBarActions, MessageBarBody, makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { COMPANY_RECORD_ID } from '../../shared/company';
import { ErrorBar } from '../common/ErrorBar';
import { HistoryList } from '../masterdata/HistoryList';
import { useCompany } from './company-context';
import { CompanyForm } from './CompanyForm';
import { Waiting } from '../common/Waiting';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: '12px', padding: '16px 20px', maxWidth: '760px' },
  title: { margin: 0, fontSize: tokens.fontSizeBase500, fontWeight: tokens.fontWeightSemibold, lineHeight: tokens.lineHeightBase500 },
  note: { margin: 0, color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
});

/** The Company window: name, base currency, business time zone, locale and financial year. */
export function CompanyPage() {
  const styles = useStyles();
  const { info, error, reload, resumeAssistant } = useCompany();
  const [saved, setSaved] = useState(false);
  const [showHistory, setShowHistory] = useState(false);
  // Fresh on opening: whether the currency is still free depends on movements recorded since.
  useEffect(() => {
    void reload();
  }, [reload]);

  return (
    <section className={styles.root} aria-labelledby="company-title" data-testid="company-page">
      <h2 id="company-title" className={styles.title}>
        Company
      </h2>
      <p className={styles.note}>
        Money is kept in the base currency; every business day, report and export is taken in the business time zone; numbers and
        dates are written in the chosen locale.
      </p>
      {info?.setup.open ? (
        <MessageBar intent="info" data-testid="setup-unfinished">
          <MessageBarBody>Setting up Stockbook is not finished yet.</MessageBarBody>
          <MessageBarActions>
            <Button size="small" onClick={resumeAssistant} data-testid="setup-resume">
              Continue setting up
            </Button>
          </MessageBarActions>
        </MessageBar>
      ) : null}
      {error ? <ErrorBar error={error} title="The company settings could not be read." onRetry={() => void reload()} /> : null}
      {saved ? (
        <MessageBar intent="success" data-testid="company-saved">
          <MessageBarBody>Company settings saved.</MessageBarBody>
        </MessageBar>
      ) : null}
      {info ? <CompanyForm key={info.saved ? 'saved' : 'new'} submitLabel="Save" onSaved={() => setSaved(true)} /> : error ? null : <Waiting label="Loading the company settings…" />}
      {info?.saved ? (
        <div>
          <Button appearance="subtle" onClick={() => setShowHistory((v) => !v)} aria-expanded={showHistory} data-testid="company-history-toggle">
            {showHistory ? 'Hide the history' : 'History'}
          </Button>
          {showHistory ? <HistoryList record="company" id={COMPANY_RECORD_ID} /> : null}
        </div>
      ) : null}
    </section>
  );
}
