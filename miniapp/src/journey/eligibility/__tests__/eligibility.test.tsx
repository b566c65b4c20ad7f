import { fireEvent, render, screen } from '@testing-library/react';
import {
  EMPLOYMENT_TYPE_LABELS,
  evaluateEligibility,
  MATTERS,
  type EligibilityVerdict,
  type LastEligibility,
} from '@flexins/shared';
import { taroDouble } from '../../../../test/taro';
import { MATTER_VERDICT_LABELS } from '../../../text';
import EligibilityPage from '../index';

const VERDICT = {
  eligible: true,
  rules: [
    {
      id: 'age',
      status: 'passed',
      reason: '您已满 16 周岁，未到法定退休年龄',
      policy: { document: '宁夏灵活就业参保“一件事”工作方案' },
    },
  ],
  matters: Object.fromEntries(MATTERS.map((m) => [m.id, 'apply'])),
  offline: [],
  medicalRegistrationKind: 'new',
  pending: [],
} as unknown as EligibilityVerdict;

const LAST: LastEligibility = {
  answers: { employmentType: 'flexible', wantsBackPayment: false, wantsSpecialPayment: false },
  verdict: VERDICT,
  // 2026-11-29 09:05 Beijing time
  checkedAt: '2026-11-29T01:05:00.000Z',
  validUntil: '2026-11-29T02:05:00.000Z',
};

function serve(last: LastEligibility | null, verdict: EligibilityVerdict = VERDICT) {
  const posted: unknown[] = [];
  taroDouble.respondWith(({ url, method, data }) => {
    if (url === '/api/eligibility' && method === 'GET') return { statusCode: 200, data: { eligibility: last } };
    if (url === '/api/eligibility' && method === 'POST') {
      posted.push(data);
      return { statusCode: 200, data: verdict };
    }
    if (url === '/api/drafts/current') return { statusCode: 200, data: { draft: null } };
    return { statusCode: 404, data: { error: { code: 'NOT_FOUND', message: '没有找到' } } };
  });
  return posted;
}

describe('the eligibility page', () => {
  it('shows a check made within the hour (on another phone) instead of asking again', async () => {
    const posted = serve(LAST);
    render(<EligibilityPage />);

    expect(await screen.findByTestId('checked-at')).toHaveTextContent('2026-11-29 09:05 核验的结果，一小时内有效');
    expect(screen.getByText('✓ 您可以通过本服务办理')).toBeInTheDocument();
    expect(screen.getByTestId('next')).toBeInTheDocument();
    expect(screen.getByRole('radio', { name: `${EMPLOYMENT_TYPE_LABELS.flexible}（已选）` })).toHaveAttribute(
      'aria-checked',
      'true',
    );
    expect(posted).toEqual([]);

    // A changed answer: the old result no longer stands, and the check is asked again.
    fireEvent.click(screen.getByRole('radio', { name: EMPLOYMENT_TYPE_LABELS.partTime }));
    expect(screen.queryByTestId('checked-at')).not.toBeInTheDocument();
    expect(screen.queryByTestId('next')).not.toBeInTheDocument();
    fireEvent.click(screen.getByTestId('check'));
    expect(await screen.findByTestId('next')).toBeInTheDocument();
    expect(posted).toEqual([{ employmentType: 'partTime', wantsBackPayment: false, wantsSpecialPayment: false }]);
    expect(screen.queryByTestId('checked-at')).not.toBeInTheDocument();
  });

  it('asks the questions when there is no check standing', async () => {
    serve(null);
    render(<EligibilityPage />);
    expect(await screen.findByTestId('check')).toBeInTheDocument();
    expect(screen.queryByTestId('checked-at')).not.toBeInTheDocument();
    expect(screen.queryByTestId('next')).not.toBeInTheDocument();
  });

  it('shows an existing Ningxia card as nothing to do, not as a failed check (no ✗, not red)', async () => {
    // The engine's own verdict for a card holder: rule 4 comes back failed with the effect 'matterNotNeeded'.
    const verdict = evaluateEligibility(
      {
        answers: LAST.answers,
        person: { birthDate: '1990-05-01', sex: 'male', household: { regionCode: '640104' } },
        enrollments: [],
        holdsNingxiaCard: true,
        businesses: [],
      },
      '2026-11-29',
    );
    expect(verdict.matters.socialSecurityCard).toBe('notNeeded');
    serve({ ...LAST, verdict });
    render(<EligibilityPage />);

    expect(await screen.findByText('✓ 您可以通过本服务办理')).toBeInTheDocument();
    const rule = document.querySelector('[data-rule="firstNingxiaCard"]')!;
    expect(rule).toHaveTextContent('－ 不用再办');
    expect(rule).toHaveTextContent('您已经有宁夏社会保障卡，不用再申领');
    expect(rule).not.toHaveTextContent('✗');
    expect(rule).not.toHaveClass('card--bad');
    expect(rule).toHaveAttribute('data-status', 'notNeeded');
    expect(document.querySelectorAll('[data-status="failed"]')).toHaveLength(0);
    expect(screen.queryByText(/不符合/)).not.toBeInTheDocument();
    // the other matters stay to be done
    for (const m of MATTERS.filter((x) => x.id !== 'socialSecurityCard')) {
      expect(screen.getByText(`✓ ${m.name}：${MATTER_VERDICT_LABELS.apply}`)).toBeInTheDocument();
    }
    expect(screen.getByTestId('next')).toBeInTheDocument();
  });
});
