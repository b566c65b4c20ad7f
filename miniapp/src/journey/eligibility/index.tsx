import { View } from '@tarojs/components';
import { useEffect, useRef, useState } from 'react';
import {
  describeSchemaErrors,
  ELIGIBILITY_ANSWERS_SCHEMA,
  EMPLOYMENT_TYPE_LABELS,
  FORM_EMPLOYMENT_TYPES,
  MATTERS,
  ruleTone,
  rulesInOrder,
  RULE_TONE_SIGNS,
  type EligibilityAnswers,
  type EligibilityVerdict,
  type EmploymentType,
  type FieldErrors,
} from '@flexins/shared';
import { ActionButton, ChoiceGroup, ErrorNotice, SectionTitle } from '../../components/controls';
import { HelpLine } from '../../components/HelpLine';
import { Page } from '../../components/Page';
import { ResumeBanner } from '../../components/ResumeBanner';
import { validateEligibilityAnswers } from '../../generated/validate-eligibility-answers';
import { api } from '../../services/api';
import { chinaDateTime } from '../../services/format';
import { draftNow, loadDraft, updateDraft } from '../../services/draft';
import { ApiError, messageOf } from '../../services/http';
import { forward, replace, resuming, ROUTES } from '../../services/nav';
import { keepVerdict } from '../../services/session';
import { MATTER_VERDICT_LABELS } from '../../text';

const EMPLOYMENT_CHOICES = (Object.keys(EMPLOYMENT_TYPE_LABELS) as EligibilityAnswers['employmentType'][]).map(
  (value) => ({
    value,
    label: EMPLOYMENT_TYPE_LABELS[value],
  }),
);

const YES_NO = [
  { value: 'no', label: '不需要' },
  { value: 'yes', label: '需要' },
] as const;

function Verdict({ verdict }: { verdict: EligibilityVerdict }) {
  const failed = verdict.rules.filter((r) => ruleTone(r) === 'failed');
  return (
    <View>
      <View className={`card ${verdict.eligible ? 'card--good' : 'card--bad'}`} role="status">
        <View className="card__title">{verdict.eligible ? '✓ 您可以通过本服务办理' : '✗ 暂时不能通过本服务办理'}</View>
        {!verdict.eligible && <View className="text">原因和可以怎么办写在下面。</View>}
      </View>

      <SectionTitle>六个事项</SectionTitle>
      {MATTERS.map((m) => (
        <View key={m.id} className="text">
          {verdict.matters[m.id] === 'apply' ? '✓' : verdict.matters[m.id] === 'notNeeded' ? '－' : '✗'} {m.name}：
          {MATTER_VERDICT_LABELS[verdict.matters[m.id]]}
        </View>
      ))}
      {verdict.offline.map((note) => (
        <View key={note.what} className="card card--attention">
          <View className="card__title">需要到窗口办理：{note.what}</View>
          <View className="text">地点：{note.where}</View>
          <View className="text">时间：{note.hours}</View>
          <View className="text">咨询电话：{note.phone}</View>
        </View>
      ))}

      <SectionTitle>逐条核验结果</SectionTitle>
      <View role="list">
        {rulesInOrder(verdict).map((rule) => {
          const tone = ruleTone(rule);
          return (
            <View
              key={rule.id}
              className={`card${tone === 'failed' ? ' card--bad' : ''}`}
              role="listitem"
              data-rule={rule.id}
              data-status={tone}
            >
              <View className="card__title">{RULE_TONE_SIGNS[tone]}</View>
              <View className="text">{rule.reason}</View>
              {rule.whatToDo && <View className="text">怎么办：{rule.whatToDo}</View>}
              <View className="text text--muted">依据：{rule.policy.document}</View>
            </View>
          );
        })}
      </View>
      {failed.length > 0 && <HelpLine />}
    </View>
  );
}

/** The way of working answered here is the form's 就业形式 too: not asked twice, and never out of step. */
function carryIntoForm(employmentType: EligibilityAnswers['employmentType']): void {
  if (!(FORM_EMPLOYMENT_TYPES as readonly string[]).includes(employmentType)) return;
  if (draftNow().employment?.type === employmentType) return;
  updateDraft((d) => ({ ...d, employment: { ...d.employment, type: employmentType as EmploymentType } }));
}

/** A few plain questions, then the departments' checks, rule by rule. */
export default function EligibilityPage() {
  const [employmentType, setEmploymentType] = useState<EligibilityAnswers['employmentType']>();
  const [backPayment, setBackPayment] = useState<'yes' | 'no'>();
  const [specialPayment, setSpecialPayment] = useState<'yes' | 'no'>();
  const [fields, setFields] = useState<FieldErrors>({});
  const [verdict, setVerdict] = useState<EligibilityVerdict>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const [checkedAt, setCheckedAt] = useState<string>();
  const [resumed] = useState(resuming);

  // The draft is written only once it is loaded: a copy kept on the server must not be overwritten.
  const drafted = useRef<Promise<void>>(Promise.resolve());

  useEffect(() => {
    drafted.current = loadDraft()
      .then((draft) => setEmploymentType((t) => t ?? draft.employment?.type))
      .catch(() => setEmploymentType((t) => t ?? draftNow().employment?.type));
    // Checked within the hour, on this phone or another: the answers and the result stand.
    api
      .lastEligibility()
      .then(({ eligibility: last }) => {
        if (!last) return;
        setEmploymentType(last.answers.employmentType);
        setBackPayment(last.answers.wantsBackPayment ? 'yes' : 'no');
        setSpecialPayment(last.answers.wantsSpecialPayment ? 'yes' : 'no');
        keepVerdict(last.verdict);
        void drafted.current.then(() => carryIntoForm(last.answers.employmentType));
        setVerdict((v) => v ?? last.verdict);
        setCheckedAt(last.checkedAt);
      })
      .catch(() => {
        // Nothing kept, or the network is poor: the questions are there to answer.
      });
  }, []);

  /** An answer changed: the result no longer stands, and the question is no longer unanswered. */
  const answerChanged = (question: keyof EligibilityAnswers) => {
    setVerdict(undefined);
    setCheckedAt(undefined);
    setFields(({ [question]: _answered, ...rest }) => rest);
  };

  async function check() {
    const answers = {
      employmentType,
      wantsBackPayment: backPayment === undefined ? undefined : backPayment === 'yes',
      wantsSpecialPayment: specialPayment === undefined ? undefined : specialPayment === 'yes',
    };
    if (!validateEligibilityAnswers(answers)) {
      setFields(describeSchemaErrors(ELIGIBILITY_ANSWERS_SCHEMA, validateEligibilityAnswers.errors ?? []));
      return;
    }
    setFields({});
    setBusy(true);
    setError(undefined);
    try {
      const result = await api.eligibility(answers as EligibilityAnswers);
      keepVerdict(result);
      setVerdict(result);
      setCheckedAt(undefined);
      await drafted.current;
      carryIntoForm(answers.employmentType!);
    } catch (err) {
      if (err instanceof ApiError && err.kind === 'signedOut') return replace(ROUTES.entry);
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  const titleOf = (key: keyof typeof ELIGIBILITY_ANSWERS_SCHEMA.properties) =>
    ELIGIBILITY_ANSWERS_SCHEMA.properties[key].title;

  return (
    <Page title="看看您能不能办">
      {resumed && (
        <ResumeBanner text="您已经同意过一次告知，上次填写的内容都保存着。核验结果一小时内有效，过期了请再核验一次。" />
      )}
      <View className="text">回答三个问题，系统会同时到人社、医保部门核对您的参保情况。</View>
      <ChoiceGroup
        id="employmentType"
        label={titleOf('employmentType')}
        options={EMPLOYMENT_CHOICES}
        value={employmentType}
        onChange={(v) => {
          setEmploymentType(v);
          answerChanged('employmentType');
        }}
        error={fields.employmentType}
      />
      <ChoiceGroup
        id="wantsBackPayment"
        label={titleOf('wantsBackPayment')}
        options={YES_NO}
        value={backPayment}
        onChange={(v) => {
          setBackPayment(v);
          answerChanged('wantsBackPayment');
        }}
        error={fields.wantsBackPayment}
      />
      <ChoiceGroup
        id="wantsSpecialPayment"
        label={titleOf('wantsSpecialPayment')}
        options={YES_NO}
        value={specialPayment}
        onChange={(v) => {
          setSpecialPayment(v);
          answerChanged('wantsSpecialPayment');
        }}
        error={fields.wantsSpecialPayment}
      />
      {error && <ErrorNotice message={error} onRetry={() => void check()} />}
      {!verdict && (
        <ActionButton onTap={() => void check()} busy={busy} testId="check">
          {busy ? '正在核验…' : '开始核验'}
        </ActionButton>
      )}
      {verdict && checkedAt && (
        <View className="text" data-testid="checked-at">
          这是您 {chinaDateTime(checkedAt)} 核验的结果，一小时内有效；改动上面的回答会重新核验。
        </View>
      )}
      {verdict && <Verdict verdict={verdict} />}
      {verdict?.eligible && (
        <ActionButton onTap={() => forward(ROUTES.identity)} testId="next">
          下一步：核对身份
        </ActionButton>
      )}
    </Page>
  );
}
