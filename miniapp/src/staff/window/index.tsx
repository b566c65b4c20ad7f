import { View } from '@tarojs/components';
import { useEffect, useRef, useState } from 'react';
import {
  chinaDateTime,
  chinaToday,
  currentCountyCode,
  EMPLOYMENT_TYPE_LABELS,
  FORM_EMPLOYMENT_TYPES,
  formatYuan,
  isValidIdNumber,
  MATTERS,
  NOTICE,
  type ApplicationDraft,
  type ApplicationForm,
  type EligibilityAnswers,
  type EligibilityVerdict,
  type EmploymentType,
  type FieldErrors,
  type FaceCheckView,
  type PostageView,
  type StaffCaseView,
  type WindowVisitView,
} from '@flexins/shared';
import {
  ActionButton,
  CheckBox,
  ChoiceGroup,
  ErrorNotice,
  Pairs,
  SectionTitle,
  TextField,
} from '../../components/controls';
import { NoticeBody } from '../../components/NoticeBody';
import { QrCode } from '../../components/QrCode';
import { asForm, checkForm, errorsAfterChange, sectionsFor, setIn } from '../../services/form';
import { FORM_SECTIONS } from '../../components/FormSections';
import { randomKey } from '../../services/session';
import { ROUTES, urlOf } from '../../services/nav';
import { MATTER_VERDICT_LABELS } from '../../text';
import { StaffPage } from '../components/StaffPage';
import { WindowSteps, type WindowStep } from '../components/WindowSteps';
import { staffApi } from '../services/api';
import { staffMessageOf } from '../services/http';
import { STAFF_ROUTES } from '../services/nav';

const POSTAGE_POLL_MS = 3_000;

const YES_NO = [
  { value: 'no', label: '不需要' },
  { value: 'yes', label: '需要' },
] as const;

/** The form as far as the window knows it: today, the household county, this month. */
function startingDraft(visit: WindowVisitView, employmentType: string, withCard: boolean): ApplicationDraft {
  const county =
    currentCountyCode(visit.person.household.regionCode) ??
    (visit.person.residencePermit ? currentCountyCode(visit.person.residencePermit.regionCode) : undefined);
  const today = chinaToday();
  const draft: ApplicationDraft = {
    employment: {
      ...((FORM_EMPLOYMENT_TYPES as readonly string[]).includes(employmentType)
        ? { type: employmentType as EmploymentType }
        : {}),
      startDate: today,
    },
    ...(county ? { residenceRegionCode: county } : {}),
    payment: { periodStart: today.slice(0, 7), months: 1 },
  };
  return withCard && county ? setIn(draft, 'card.mailingAddress.regionCode', county) : draft;
}

function VerdictView({ verdict }: { verdict: EligibilityVerdict }) {
  return (
    <View data-testid="window-verdict" data-eligible={String(verdict.eligible)}>
      <View className={`card ${verdict.eligible ? 'card--good' : 'card--bad'}`} role="status">
        <View className="card__title">
          {verdict.eligible ? '✓ 符合条件，可以办理' : '✗ 不符合条件，不能通过本服务办理'}
        </View>
      </View>
      {MATTERS.map((m) => (
        <View key={m.id} className="text">
          {m.name}：{MATTER_VERDICT_LABELS[verdict.matters[m.id]]}
        </View>
      ))}
      {verdict.rules
        .filter((r) => r.status === 'failed')
        .map((r) => (
          <View key={r.id} className="card card--bad">
            <View className="text">{r.reason}</View>
            {r.whatToDo && <View className="text">怎么办：{r.whatToDo}</View>}
          </View>
        ))}
      {verdict.offline.map((note) => (
        <View key={note.what} className="card card--attention">
          需要另到窗口办理：{note.what}（{note.where}，{note.phone}）
        </View>
      ))}
    </View>
  );
}

/** The one form, all its sections at once: the very sections the citizen fills in the app. */
function FormFields({
  draft,
  errors,
  set,
  withCard,
}: {
  draft: ApplicationDraft;
  errors: FieldErrors;
  set: (path: string, value: unknown) => void;
  withCard: boolean;
}) {
  return (
    <View>
      {sectionsFor(withCard).map((section) => {
        const Section = FORM_SECTIONS[section.id];
        return (
          <View key={section.id}>
            <SectionTitle>{section.title}</SectionTitle>
            <Section draft={draft} errors={errors} set={set} forClerk />
          </View>
        );
      })}
    </View>
  );
}

/**
 * 受理回执: what the clerk prints or shows the citizen once the case is in —
 * its number, what is being done, what is still theirs to do (the first
 * premium, paid in the app), and where to follow it. Masked like every staff view.
 */
function AcceptanceSlip({ submitted, withCard }: { submitted: StaffCaseView; withCard: boolean }) {
  const progress = urlOf(ROUTES.progress, { caseNo: submitted.caseNo });
  const progressUrl = process.env.TARO_ENV === 'h5' ? `${window.location.origin}${progress}` : undefined;
  return (
    <View className="slip" data-testid="window-slip" aria-label="受理回执">
      <View className="slip__title">灵活就业参保“一件事”受理回执</View>
      <Pairs
        rows={[
          { label: '办件编号', value: submitted.caseNo },
          { label: '申请人', value: submitted.applicantName },
          { label: '身份证号', value: submitted.idNumber },
          { label: '受理时间', value: chinaDateTime(submitted.createdAt) },
          {
            label: '受理窗口',
            value: `${submitted.regionName}${submitted.clerkName ? `，经办人 ${submitted.clerkName}` : ''}`,
          },
        ]}
      />
      <View className="slip__section">正在办理的事项</View>
      {submitted.matters.map((m) => (
        <View key={m.id} className="text">
          · {m.name}（{m.department}）：{m.stateLabel}
        </View>
      ))}
      {withCard && (
        <View className="text">社保卡办好后邮寄到申请表上的地址，邮寄费 5.80 元已支付，不用来窗口领取。</View>
      )}
      <View className="slip__section">还要您做的事</View>
      <View className="text" data-testid="window-slip-premium">
        首期社会保险费还没有缴纳：税务部门核定金额后，请在“我的宁夏”App
        的灵活就业参保“一件事”里查看金额并缴费，窗口不收费。
      </View>
      <View className="text">办理进度和结果：在“我的宁夏”里查看，或扫下面的二维码；咨询电话 12333。</View>
      {progressUrl && <QrCode text={progressUrl} label="扫码查看办理进度" />}
    </View>
  );
}

/** 一窗受理: the same one form, for a citizen who is present, step by step. */
export default function WindowPage() {
  const [step, setStep] = useState<WindowStep>('identity');
  const [idNumber, setIdNumber] = useState('');
  const [idError, setIdError] = useState<string>();
  const [visit, setVisit] = useState<WindowVisitView>();
  const [employmentType, setEmploymentType] = useState<EligibilityAnswers['employmentType']>();
  const [backPayment, setBackPayment] = useState<'yes' | 'no'>();
  const [specialPayment, setSpecialPayment] = useState<'yes' | 'no'>();
  const [answerErrors, setAnswerErrors] = useState<Record<string, string>>({});
  const [verdict, setVerdict] = useState<EligibilityVerdict>();
  const [face, setFace] = useState<FaceCheckView>();
  const [faceKey, setFaceKey] = useState(() => randomKey());
  const [order, setOrder] = useState<PostageView>();
  const [draft, showDraft] = useState<ApplicationDraft>({});
  // The form as last typed, ahead of what is rendered: two input events before a render, or a
  // tap on 提交 right after typing, must not work on an older copy.
  const latest = useRef<ApplicationDraft>({});
  const setDraft = (next: ApplicationDraft) => {
    latest.current = next;
    showDraft(next);
  };
  const [consent, setConsent] = useState(false);
  const [showNotice, setShowNotice] = useState(false);
  const [formErrors, setFormErrors] = useState<FieldErrors>({});
  const [submitKey, setSubmitKey] = useState(() => randomKey());
  const [submitted, setSubmitted] = useState<StaffCaseView>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const withCard = verdict?.matters.socialSecurityCard === 'apply';

  async function run(action: () => Promise<void>) {
    setBusy(true);
    setError(undefined);
    try {
      await action();
    } catch (err) {
      setError(staffMessageOf(err));
    } finally {
      setBusy(false);
    }
  }

  function readCard() {
    const value = idNumber.replace(/\s+/g, '').toUpperCase();
    if (!/^\d{17}[\dX]$/.test(value)) return setIdError('身份证号应为 18 位，最后一位是数字或 X');
    if (!isValidIdNumber(value)) return setIdError('身份证号的校验位不对，请核对');
    setIdError(undefined);
    void run(async () => {
      setVisit(await staffApi.openVisit(value));
      setStep('eligibility');
    });
  }

  function checkEligibility() {
    const missing = {
      ...(employmentType ? {} : { employmentType: '请选择就业形式' }),
      ...(backPayment ? {} : { backPayment: '请选择是否要补缴' }),
      ...(specialPayment ? {} : { specialPayment: '请选择是否要办理特殊缴费' }),
    };
    setAnswerErrors(missing);
    if (Object.keys(missing).length > 0 || !visit) return;
    void run(async () => {
      const result = await staffApi.eligibility(visit.visitId, {
        employmentType: employmentType!,
        wantsBackPayment: backPayment === 'yes',
        wantsSpecialPayment: specialPayment === 'yes',
      });
      setVerdict(result);
      setDraft(startingDraft(visit, employmentType!, result.matters.socialSecurityCard === 'apply'));
    });
  }

  function checkFace() {
    if (!visit) return;
    void run(async () => {
      const result = await staffApi.faceCheck(visit.visitId, faceKey);
      setFace(result);
      if (!result.passed) setFaceKey(randomKey());
    });
  }

  function orderPostage() {
    if (!visit) return;
    void run(async () => setOrder(await staffApi.orderPostage(visit.visitId)));
  }

  async function refreshPostage() {
    if (!visit || !order) return;
    try {
      setOrder(await staffApi.postageOrder(visit.visitId, order.orderId));
    } catch (err) {
      setError(staffMessageOf(err));
    }
  }

  // While the citizen pays on their phone, look at the order now and then.
  useEffect(() => {
    if (step !== 'postage' || !order || order.status !== 'created') return undefined;
    const timer = setTimeout(() => void refreshPostage(), POSTAGE_POLL_MS);
    return () => clearTimeout(timer);
  }, [step, order]);

  function set(path: string, value: unknown) {
    const next = setIn(latest.current, path, value);
    setDraft(next);
    // The consent box is not part of the form: its message stays until it is ticked.
    setFormErrors(({ consent: consentError, ...shown }) => ({
      ...errorsAfterChange(shown, path, () => checkForm(next, withCard)),
      ...(consentError ? { consent: consentError } : {}),
    }));
  }

  function submit() {
    if (!visit || !face) return;
    const form = {
      ...asForm(latest.current, withCard),
      consent: { noticeVersion: NOTICE.version, agreed: true },
      faceCheckId: face.checkId,
      ...(withCard && order ? { postageOrderId: order.orderId } : {}),
    } as ApplicationDraft;
    const problems = {
      ...checkForm(form, withCard),
      ...(consent ? {} : { consent: '请先向申请人展示一次告知，申请人同意数据共享后再勾选' }),
    };
    setFormErrors(problems);
    if (Object.keys(problems).length > 0) return;
    void run(async () => {
      setSubmitted(await staffApi.submit(visit.visitId, form as ApplicationForm, submitKey));
      setStep('done');
    });
  }

  function startOver() {
    setStep('identity');
    setIdNumber('');
    setVisit(undefined);
    setEmploymentType(undefined);
    setBackPayment(undefined);
    setSpecialPayment(undefined);
    setVerdict(undefined);
    setFace(undefined);
    setFaceKey(randomKey());
    setOrder(undefined);
    setDraft({});
    setConsent(false);
    setShowNotice(false);
    setFormErrors({});
    setSubmitKey(randomKey());
    setSubmitted(undefined);
    setError(undefined);
  }

  return (
    <StaffPage title="窗口受理" roles={['windowClerk']} current={STAFF_ROUTES.window}>
      {() => (
        <View data-testid="window" data-step={step}>
          <WindowSteps current={step} withCard={withCard} />
          {visit && step !== 'done' && (
            <View className="panel" data-testid="window-person">
              <Pairs
                rows={[
                  { label: '姓名', value: visit.person.name },
                  { label: '身份证号', value: visit.person.idNumber },
                  { label: '手机号', value: visit.person.phone },
                  { label: '户籍地', value: visit.person.household.regionName ?? visit.person.household.regionCode },
                  ...(visit.training ? [{ label: '培训', value: '培训受理，不计入统计' }] : []),
                ]}
              />
            </View>
          )}
          {error && <ErrorNotice message={error} />}

          {step === 'identity' && (
            <View className="panel">
              <View className="text">请申请人出示身份证，在读卡器上读取（这里输入身份证号代替读卡）。</View>
              <TextField
                id="window-id-number"
                label="身份证号"
                value={idNumber}
                onChange={setIdNumber}
                error={idError}
                maxLength={18}
              />
              <ActionButton onTap={readCard} busy={busy} testId="window-read">
                读取身份信息
              </ActionButton>
            </View>
          )}

          {step === 'eligibility' && (
            <View className="panel">
              <ChoiceGroup
                id="window-employment"
                label="申请人现在是怎么工作的"
                options={(Object.keys(EMPLOYMENT_TYPE_LABELS) as EligibilityAnswers['employmentType'][]).map((v) => ({
                  value: v,
                  label: EMPLOYMENT_TYPE_LABELS[v],
                }))}
                value={employmentType}
                onChange={setEmploymentType}
                error={answerErrors.employmentType}
              />
              <ChoiceGroup
                id="window-back-payment"
                label="是否要补缴以前月份的保险费"
                options={YES_NO}
                value={backPayment}
                onChange={setBackPayment}
                error={answerErrors.backPayment}
              />
              <ChoiceGroup
                id="window-special-payment"
                label="是否要办理特殊缴费"
                options={YES_NO}
                value={specialPayment}
                onChange={setSpecialPayment}
                error={answerErrors.specialPayment}
              />
              <ActionButton onTap={checkEligibility} busy={busy} testId="window-check">
                核验申报条件
              </ActionButton>
              {verdict && <VerdictView verdict={verdict} />}
              {verdict?.eligible && (
                <ActionButton onTap={() => setStep('face')} testId="window-next">
                  下一步：人脸核验
                </ActionButton>
              )}
            </View>
          )}

          {step === 'face' && (
            <View className="panel">
              <View className="text">请申请人面对窗口摄像头，点“开始人脸核验”。</View>
              <ActionButton onTap={checkFace} busy={busy} testId="window-face">
                开始人脸核验
              </ActionButton>
              {face && (
                <View
                  className={`card ${face.passed ? 'card--good' : 'card--bad'}`}
                  role="status"
                  data-testid="window-face-result"
                >
                  {face.passed ? '✓ 人脸核验已通过' : `✗ 人脸核验没有通过：${face.reason ?? '请重试'}`}
                </View>
              )}
              {face?.passed && (
                <ActionButton onTap={() => setStep(withCard ? 'postage' : 'form')} testId="window-next">
                  {withCard ? '下一步：邮寄费' : '下一步：填写申请表'}
                </ActionButton>
              )}
            </View>
          )}

          {step === 'postage' && (
            <View className="panel">
              <View className="text">社保卡只能邮寄，邮寄费 5.80 元。下单后请申请人用手机扫二维码支付。</View>
              {!order && (
                <ActionButton onTap={orderPostage} busy={busy} testId="window-order-postage">
                  生成邮寄费付款码
                </ActionButton>
              )}
              {order && (
                <View data-testid="window-postage" data-status={order.status}>
                  {order.status === 'created' && (
                    <View>
                      <QrCode text={order.cashierUrl} label="邮寄费付款二维码，请申请人用手机扫码支付" />
                      <View className="text">
                        金额 {formatYuan(order.amountFen)} 元，等待申请人支付…（每 3 秒自动查看一次）
                      </View>
                      {process.env.TARO_ENV === 'h5' && (
                        <View className="text text--muted">
                          申请人扫不了码时，可以用窗口的自助设备打开
                          <a href={order.cashierUrl} target="_blank" rel="noreferrer" data-testid="window-cashier-link">
                            付款页面
                          </a>
                          。
                        </View>
                      )}
                      <ActionButton
                        small
                        kind="secondary"
                        onTap={() => void refreshPostage()}
                        testId="window-postage-refresh"
                      >
                        查看支付状态
                      </ActionButton>
                    </View>
                  )}
                  {order.status === 'paid' && <View className="card card--good">✓ 邮寄费已支付</View>}
                  {(order.status === 'closed' || order.status === 'refunded') && (
                    <View className="card card--bad">
                      这笔订单已{order.status === 'closed' ? '关闭' : '退款'}，请重新生成付款码。
                      <ActionButton small onTap={() => setOrder(undefined)}>
                        重新生成
                      </ActionButton>
                    </View>
                  )}
                </View>
              )}
              {order?.status === 'paid' && (
                <ActionButton onTap={() => setStep('form')} testId="window-next">
                  下一步：填写申请表
                </ActionButton>
              )}
            </View>
          )}

          {step === 'form' && (
            <View className="panel">
              <FormFields draft={draft} errors={formErrors} set={set} withCard={withCard} />
              <SectionTitle>一次告知和数据共享</SectionTitle>
              <View className="text">提交前请把屏幕转向申请人，请申请人读完一次告知，问清是否同意各部门共享信息。</View>
              <ActionButton small kind="secondary" onTap={() => setShowNotice((on) => !on)} testId="window-show-notice">
                {showNotice ? '收起一次告知' : '给申请人看一次告知'}
              </ActionButton>
              {showNotice && (
                <View className="panel" data-testid="window-notice" aria-label="一次告知">
                  <NoticeBody notice={NOTICE} />
                </View>
              )}
              <CheckBox
                id="window-consent"
                label={`申请人已阅读一次告知（${NOTICE.version} 版），同意各部门共享办理所需的信息`}
                checked={consent}
                onChange={(on) => {
                  setConsent(on);
                  setFormErrors(({ consent: _ticked, ...rest }) => rest);
                }}
                error={formErrors.consent}
              />
              {Object.keys(formErrors).length > 0 && (
                <View className="notice" role="alert">
                  <View className="notice__text">
                    ⚠ 有 {Object.keys(formErrors).length} 处需要修改，请看上面标出的地方。
                  </View>
                </View>
              )}
              <ActionButton onTap={submit} busy={busy} testId="window-submit">
                提交申请
              </ActionButton>
            </View>
          )}

          {step === 'done' && submitted && (
            <View>
              <View className="card card--good" role="status" data-testid="window-done">
                <View className="card__title">✓ 已提交，办件编号 {submitted.caseNo}</View>
                <View className="text">六个事项正在由各部门系统自动办理。</View>
                <View className="text">
                  请告诉申请人：首期社会保险费要在“我的宁夏”里缴纳（税务核定金额后），窗口不收费。请打印回执或让申请人拍下回执。
                </View>
                <View className="row">
                  {process.env.TARO_ENV === 'h5' && (
                    <ActionButton small kind="secondary" onTap={() => window.print()} testId="window-print">
                      打印回执
                    </ActionButton>
                  )}
                  <ActionButton small onTap={startOver} testId="window-again">
                    受理下一位
                  </ActionButton>
                </View>
              </View>
              <AcceptanceSlip submitted={submitted} withCard={withCard} />
            </View>
          )}
        </View>
      )}
    </StaffPage>
  );
}
