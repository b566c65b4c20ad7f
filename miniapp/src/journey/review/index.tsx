import { View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import {
  APPLICATION_FORM_SCHEMA,
  ARCHIVE_LOCATION_LABELS,
  archiveHeldSomewhere,
  addressText,
  describeRegion,
  EMPLOYMENT_TYPE_LABELS,
  estimatedPremium,
  formatYuan,
  HRSS_CARD_BANKS,
  monthlyPremium,
  PAYMENT_MONTH_LABELS,
  type ApplicationDraft,
  type ApplicationForm,
  type FieldErrors,
  type PostageView,
  type SubmissionCheckView,
} from '@flexins/shared';
import { ActionButton, ErrorNotice, Loading, Pairs } from '../../components/controls';
import { Page } from '../../components/Page';
import { ResumeBanner } from '../../components/ResumeBanner';
import { PremiumCover } from '../../components/PremiumCover';
import { SubmissionChecks } from '../../components/SubmissionChecks';
import { paymentReturn, payPostage } from '../../platform/payment';
import { askSubscribeConsent } from '../../platform/subscribe';
import { api } from '../../services/api';
import { forgetDraft, loadDraft, saveNow, updateDraft } from '../../services/draft';
import { asForm, checkForm, chineseMonth, sectionsFor, type SectionId } from '../../services/form';
import { ApiError, messageOf } from '../../services/http';
import { forward, pageParams, replace, resuming, ROUTES, startAt } from '../../services/nav';
import { lastVerdict, submitDone, submitKey } from '../../services/session';

const POSTAGE_FEN = 580;

/** Refusals that a lapsed or missing check causes: the check card then shows what to redo. */
function isCheckRefusal(code: string | undefined): boolean {
  return ['ELIGIBILITY_REQUIRED', 'NOT_ELIGIBLE', 'FACE_CHECK_REQUIRED', 'FACE_CHECK_FAILED'].includes(code ?? '');
}

function answers(draft: ApplicationDraft, id: SectionId): { label: string; value: string }[] {
  const P = APPLICATION_FORM_SCHEMA.properties;
  const dash = '（未填写）';
  switch (id) {
    case 'employment':
      return [
        { label: '就业形式', value: draft.employment?.type ? EMPLOYMENT_TYPE_LABELS[draft.employment.type] : dash },
        { label: P.employment.properties.startDate.title, value: draft.employment?.startDate ?? dash },
        {
          label: '居住地',
          value: draft.residenceRegionCode ? (describeRegion(draft.residenceRegionCode) ?? dash) : dash,
        },
      ];
    case 'archive':
      return [
        {
          label: '档案在哪里',
          value: draft.archive?.location ? ARCHIVE_LOCATION_LABELS[draft.archive.location] : dash,
        },
        ...(archiveHeldSomewhere(draft.archive?.location)
          ? [
              {
                label: APPLICATION_FORM_SCHEMA.properties.archive.properties.detail.title,
                value: draft.archive?.detail || dash,
              },
            ]
          : []),
      ];
    case 'pension': {
      const grade = draft.pension?.baseGradePercent;
      return [
        {
          label: '缴费档次',
          value: grade ? `全区平均工资的${grade}%，每月约 ${formatYuan(monthlyPremium(grade).totalFen)} 元` : dash,
        },
      ];
    }
    case 'card': {
      const a = draft.card?.mailingAddress;
      return [
        {
          label: '开户银行',
          value: HRSS_CARD_BANKS.find((b) => b.code === draft.card?.issuingBank)?.name ?? dash,
        },
        { label: '邮寄地址', value: a?.regionCode ? addressText(a) : dash },
        { label: '收件人', value: a?.recipient ?? dash },
        { label: '收件人手机', value: a?.phone ?? dash },
      ];
    }
    case 'payment':
      return [
        { label: '从哪个月开始缴', value: draft.payment?.periodStart ? chineseMonth(draft.payment.periodStart) : dash },
        { label: '一次缴几个月', value: draft.payment?.months ? PAYMENT_MONTH_LABELS[draft.payment.months] : dash },
      ];
  }
}

/** Check your answers, each with a way to change it; pay the postage; submit once. */
export default function ReviewPage() {
  const verdict = lastVerdict();
  const withCard = verdict?.matters.socialSecurityCard === 'apply';
  const [draft, setDraft] = useState<ApplicationDraft>();
  const [postage, setPostage] = useState<PostageView>();
  const [checks, setChecks] = useState<SubmissionCheckView>();
  const [returned, setReturned] = useState<string>();
  const [error, setError] = useState<{ message: string; retry?: () => void }>();
  const [serverFields, setServerFields] = useState<FieldErrors>({});
  const [busy, setBusy] = useState<'load' | 'pay' | 'submit' | undefined>('load');
  const [resumed] = useState(resuming);

  function failed(err: unknown, retry?: () => void) {
    if (err instanceof ApiError && err.kind === 'signedOut') return replace(ROUTES.entry);
    setError({ message: messageOf(err), retry: err instanceof ApiError && !err.retryable ? undefined : retry });
  }

  async function load() {
    setBusy('load');
    setError(undefined);
    try {
      let saved = await loadDraft();
      setChecks(await api.submissionCheck());
      // Back from the cashier with ?orderId=…&status=…: the order says whether it was paid.
      const back = pageParams();
      const orderId = back.orderId ?? saved.postageOrderId;
      if (withCard && orderId) {
        const order = await api.postageOrder(orderId);
        setPostage(order);
        if (back.orderId) setReturned(paymentReturn(back.status, order.status === 'paid'));
        if (order.status === 'paid' && saved.postageOrderId !== order.orderId) {
          saved = updateDraft((d) => ({ ...d, postageOrderId: order.orderId }));
          void saveNow();
        }
      }
      setDraft(saved);
    } catch (err) {
      failed(err, () => void load());
    } finally {
      setBusy(undefined);
    }
  }

  useEffect(() => {
    if (!verdict) replace(ROUTES.eligibility);
    else void load();
  }, []);

  async function pay() {
    setBusy('pay');
    setError(undefined);
    try {
      const step = await payPostage();
      if (step.kind === 'paid') {
        setPostage(step.order);
        setDraft(updateDraft((d) => ({ ...d, postageOrderId: step.order.orderId })));
        void saveNow();
      }
      if (step.kind === 'leaving') return;
      if (step.kind === 'cancelled') setReturned(paymentReturn('cancelled', false));
    } catch (err) {
      // A check that lapsed meanwhile: show it with its own button, not only a message.
      if (err instanceof ApiError && isCheckRefusal(err.code)) await recheck();
      failed(err, () => void pay());
    }
    setBusy(undefined);
  }

  async function recheck() {
    try {
      setChecks(await api.submissionCheck());
    } catch {
      // The refusal's own message is on screen already.
    }
  }

  /** The face check redone on this page: the paid postage and every answer stay as they are. */
  function faceChecked(checkId: string) {
    setDraft(updateDraft((d) => ({ ...d, faceCheckId: checkId })));
    void saveNow();
    setError(undefined);
    setServerFields({});
    void recheck();
  }

  async function submit(form: ApplicationForm) {
    // In the mini-program, within the tap: may the host app send the progress as subscription messages?
    askSubscribeConsent();
    setBusy('submit');
    setError(undefined);
    try {
      const created = await api.submit(form, submitKey());
      submitDone();
      forgetDraft();
      startAt(ROUTES.progress, { caseNo: created.caseNo });
      return;
    } catch (err) {
      if (err instanceof ApiError && err.code === 'OPEN_CASE_EXISTS' && typeof err.details?.caseNo === 'string') {
        submitDone();
        forgetDraft();
        startAt(ROUTES.progress, { caseNo: err.details.caseNo });
        return;
      }
      if (err instanceof ApiError && err.fields) setServerFields(err.fields);
      if (err instanceof ApiError && isCheckRefusal(err.code)) {
        await recheck();
        setBusy(undefined);
        return;
      }
      // The same key goes with the retry: a submission whose reply was lost is found, not made twice.
      failed(err, () => void submit(form));
    }
    setBusy(undefined);
  }

  if (!draft) {
    return (
      <Page title="核对并提交">
        {busy === 'load' && <Loading />}
        {error && <ErrorNotice message={error.message} onRetry={error.retry} />}
      </Page>
    );
  }

  const paid = postage?.status === 'paid';
  const problems = { ...checkForm(draft, withCard), ...serverFields };
  // The postage is paid on this page, and the checks have their own card with their own buttons.
  const { postageOrderId: _postage, faceCheckId: _face, ...toFix } = problems;
  const notReady = Object.entries(toFix);
  const checksStand = checks?.ready === true;
  const grade = draft.pension?.baseGradePercent;
  const due =
    grade && draft.payment?.periodStart && draft.payment.months
      ? estimatedPremium(grade, draft.payment.periodStart, draft.payment.months)
      : undefined;

  return (
    <Page title="核对并提交">
      {resumed && <ResumeBanner text="您上次已经填完了申请表，核对后就可以提交。" />}
      <View className="text">请核对您填写的信息，不对的可以点“修改”。</View>
      {sectionsFor(withCard).map((section) => {
        const sectionProblems = notReady.filter(([path]) =>
          section.paths.some((p) => path === p || path.startsWith(`${p}.`)),
        );
        return (
          <View
            key={section.id}
            className={`card${sectionProblems.length ? ' card--bad' : ''}`}
            data-section={section.id}
          >
            <View className="card__title">{section.title}</View>
            <Pairs rows={answers(draft, section.id)} />
            {sectionProblems.map(([path, message]) => (
              <View key={path} className="field__error" role="alert">
                ⚠ {message}
              </View>
            ))}
            <ActionButton
              small
              kind="secondary"
              label={`修改${section.title}`}
              onTap={() => forward(ROUTES.form, { section: section.id, back: 'review' })}
            >
              修改
            </ActionButton>
          </View>
        );
      })}
      {notReady
        .filter(([path]) => path.startsWith('consent'))
        .map(([path, message]) => (
          <View key={path} className="notice" role="alert">
            <View className="notice__text">⚠ {message}</View>
            <ActionButton small kind="secondary" onTap={() => replace(ROUTES.notice)}>
              去完成
            </ActionButton>
          </View>
        ))}

      {checks && <SubmissionChecks checks={checks} onFaceChecked={faceChecked} />}

      {due && (
        <View className="card" data-testid="premium-due">
          <View className="card__title">提交后还要缴的社会保险费（约 {formatYuan(due.totalFen)} 元）</View>
          <View className="text">
            按您选的缴费档次估算。提交后由税务部门核定金额，您在“办理进度”页面核对金额和月份、确认后再支付，现在不扣款。
          </View>
          <PremiumCover cover={due} />
        </View>
      )}

      {withCard && (
        <View className={`card${paid ? ' card--good' : ' card--attention'}`} data-testid="postage">
          <View className="card__title">社保卡邮寄费 {formatYuan(postage?.amountFen ?? POSTAGE_FEN)} 元</View>
          {returned && (
            <View className="text" role="status" data-testid="payment-return">
              {returned}
            </View>
          )}
          {paid ? (
            <View className="text" role="status">
              ✓ 已支付
            </View>
          ) : (
            <View>
              <View className="text">社保卡只邮寄，提交前请先支付邮寄费。如果社保卡没有办成，邮寄费会退回。</View>
              {!checksStand && <View className="status-line">请先完成上面的核验再支付，以免付款后不能提交。</View>}
              <ActionButton onTap={() => void pay()} busy={busy === 'pay'} disabled={!checksStand} testId="pay-postage">
                支付邮寄费 {formatYuan(POSTAGE_FEN)} 元
              </ActionButton>
            </View>
          )}
        </View>
      )}

      {error && <ErrorNotice message={error.message} onRetry={error.retry} />}
      <ActionButton
        onTap={() => void submit(asForm(draft, withCard) as unknown as ApplicationForm)}
        disabled={notReady.length > 0 || !checksStand || (withCard && !paid)}
        busy={busy === 'submit'}
        testId="submit"
      >
        {busy === 'submit' ? '正在提交…' : '确认无误，提交申请'}
      </ActionButton>
      {withCard && !paid && <View className="status-line">支付邮寄费后才能提交。</View>}
    </Page>
  );
}
