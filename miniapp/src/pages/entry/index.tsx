import { useEffect, useState } from 'react';
import { ErrorNotice, Loading } from '../../components/controls';
import { Page } from '../../components/Page';
import { signIn } from '../../platform/login';
import { api } from '../../services/api';
import { applyHostRequest } from '../../services/elderly';
import { messageOf } from '../../services/http';
import { pageParams, ROUTES, startAt } from '../../services/nav';
import { currentToken } from '../../services/session';

/**
 * The way in from the host app: sign in (or come back from its sign-in page
 * with a code), then go where this citizen is — an open case's progress, the
 * step they left, or the notice to start — with our home page behind it for Back.
 */
export default function Entry() {
  const [error, setError] = useState<string>();

  async function enter(params: Record<string, string | undefined>) {
    setError(undefined);
    try {
      if (!currentToken()) {
        const step = await signIn(params);
        if (step.kind === 'leaving') return;
      }
      const { application } = await api.currentCase();
      // The notice sends one who had started on to the step they left.
      if (application) startAt(ROUTES.progress, { caseNo: application.caseNo });
      else startAt(ROUTES.notice, { resume: '1' });
    } catch (err) {
      setError(messageOf(err));
    }
  }

  useEffect(() => {
    const params = pageParams();
    applyHostRequest(params);
    void enter(params);
  }, []);

  return (
    <Page title="灵活就业参保“一件事”">
      {error ? (
        // A code is good once: trying again starts a fresh sign-in.
        <ErrorNotice message={error} onRetry={() => void enter({})} />
      ) : (
        <Loading text="正在登录，请稍候…" />
      )}
    </Page>
  );
}
