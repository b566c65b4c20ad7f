import { View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import {
  APPLICATION_FORM_SCHEMA,
  ARCHIVE_LOCATION_LABELS,
  chinaToday,
  CURRENT_POLICY,
  currentCountyCode,
  EMPLOYMENT_TYPE_LABELS,
  FORM_EMPLOYMENT_TYPES,
  HRSS_CARD_BANKS,
  isCurrentNingxiaCounty,
  monthlyPremium,
  formatYuan,
  PAYMENT_MONTH_LABELS,
  type ApplicationDraft,
  type ArchiveLocation,
  type FieldErrors,
  type PaymentMonths,
} from '@flexins/shared';
import { ActionButton, ChoiceGroup, ErrorNotice, Loading, SectionTitle, TextField } from '../../components/controls';
import { Page } from '../../components/Page';
import { PremiumCalculator } from '../../components/PremiumCalculator';
import { RegionPicker } from '../../components/RegionPicker';
import { SaveStatusLine } from '../../components/SaveStatusLine';
import { api } from '../../services/api';
import { loadDraft, saveNow, updateDraft } from '../../services/draft';
import { addMonths, checkForm, chineseMonth, inSection, sectionsFor, setIn, type SectionId } from '../../services/form';
import { ApiError, messageOf } from '../../services/http';
import { pageParams, replace, ROUTES } from '../../services/nav';
import { lastVerdict } from '../../services/session';
import type { Me } from '../../services/types';

const P = APPLICATION_FORM_SCHEMA.properties;
const ADDRESS = P.card.properties.mailingAddress.properties;
const GRADES = CURRENT_POLICY.pension.value.grades;

/** What the platform already knows goes in, so it is not typed again. */
function prefilled(draft: ApplicationDraft, me: Me, withCard: boolean): ApplicationDraft {
  const today = chinaToday();
  const residence =
    currentCountyCode(me.household.regionCode) ??
    (me.residencePermit ? currentCountyCode(me.residencePermit.regionCode) : undefined);
  let next = draft;
  const fill = (path: string, value: unknown, present: unknown) => {
    if (present === undefined && value !== undefined) next = setIn(next, path, value);
  };
  fill('employment.startDate', today, draft.employment?.startDate);
  fill('residenceRegionCode', residence, draft.residenceRegionCode);
  fill('payment.periodStart', today.slice(0, 7), draft.payment?.periodStart);
  fill('payment.months', 1, draft.payment?.months);
  if (withCard) {
    const address = draft.card?.mailingAddress;
    fill('card.mailingAddress.recipient', me.name, address?.recipient);
    fill('card.mailingAddress.regionCode', residence, address?.regionCode);
    const homeInNingxia = isCurrentNingxiaCounty(me.household.regionCode);
    fill('card.mailingAddress.detail', homeInNingxia ? me.household.address : undefined, address?.detail);
  }
  return next;
}

interface SectionProps {
  draft: ApplicationDraft;
  errors: FieldErrors;
  set: (path: string, value: unknown) => void;
}

function EmploymentSection({ draft, errors, set }: SectionProps) {
  return (
    <View>
      <ChoiceGroup
        id="employment-type"
        label={P.employment.properties.type.title}
        options={FORM_EMPLOYMENT_TYPES.map((t) => ({ value: t, label: EMPLOYMENT_TYPE_LABELS[t] }))}
        value={draft.employment?.type}
        onChange={(v) => set('employment.type', v)}
        error={errors['employment.type']}
      />
      <TextField
        id="employment-startDate"
        type="date"
        label={P.employment.properties.startDate.title}
        hint="已按今天填好，不对可以改"
        value={draft.employment?.startDate ?? ''}
        onChange={(v) => set('employment.startDate', v)}
        error={errors['employment.startDate']}
      />
      <RegionPicker
        id="residence"
        label={P.residenceRegionCode.title}
        value={draft.residenceRegionCode}
        onChange={(v) => set('residenceRegionCode', v)}
        error={errors.residenceRegionCode}
      />
    </View>
  );
}

function ArchiveSection({ draft, errors, set }: SectionProps) {
  return (
    <View>
      <ChoiceGroup
        id="archive-location"
        label={P.archive.properties.location.title}
        hint="档案转递由人社部门办理，您不用自己去取。"
        options={(Object.keys(ARCHIVE_LOCATION_LABELS) as ArchiveLocation[]).map((v) => ({
          value: v,
          label: ARCHIVE_LOCATION_LABELS[v],
        }))}
        value={draft.archive?.location}
        onChange={(v) => set('archive.location', v)}
        error={errors['archive.location']}
      />
      {draft.archive?.location === 'other' && (
        <TextField
          id="archive-detail"
          label={P.archive.properties.detail.title}
          value={draft.archive?.detail ?? ''}
          maxLength={60}
          onChange={(v) => set('archive.detail', v)}
          error={errors['archive.detail']}
        />
      )}
    </View>
  );
}

function PensionSection({ draft, errors, set }: SectionProps) {
  const labels = P.pension.properties.baseGradePercent['x-enum-labels'] as Record<string, string>;
  return (
    <View>
      <View className="text">
        养老保险按您选的档次交，档次越高，每月交得越多，将来领的养老金也越多。医疗保险按规定标准交。
      </View>
      <ChoiceGroup
        id="pension-grade"
        label={P.pension.properties.baseGradePercent.title}
        options={GRADES.map((g) => ({
          value: g,
          label: labels[String(g)] ?? `${g}%`,
          note: `每月约 ${formatYuan(monthlyPremium(g).totalFen)} 元（养老加医疗）`,
        }))}
        value={draft.pension?.baseGradePercent}
        onChange={(v) => set('pension.baseGradePercent', v)}
        error={errors['pension.baseGradePercent']}
      />
      <PremiumCalculator grade={draft.pension?.baseGradePercent} months={draft.payment?.months} />
    </View>
  );
}

function CardSection({ draft, errors, set }: SectionProps) {
  const address = draft.card?.mailingAddress;
  return (
    <View>
      <View className="text">社保卡办好后邮寄给您（不能现场领取），邮寄费 5.80 元，提交前在线支付。</View>
      <ChoiceGroup
        id="card-bank"
        label={P.card.properties.issuingBank.title}
        options={HRSS_CARD_BANKS.map((b) => ({ value: b.code, label: b.name }))}
        value={draft.card?.issuingBank}
        onChange={(v) => set('card.issuingBank', v)}
        error={errors['card.issuingBank']}
      />
      <RegionPicker
        id="mailing-region"
        label={ADDRESS.regionCode.title}
        value={address?.regionCode}
        onChange={(v) => set('card.mailingAddress.regionCode', v)}
        error={errors['card.mailingAddress.regionCode']}
      />
      <TextField
        id="mailing-detail"
        type="textarea"
        label={ADDRESS.detail.title}
        hint="街道、小区、楼号、单元、门牌号"
        value={address?.detail ?? ''}
        maxLength={100}
        onChange={(v) => set('card.mailingAddress.detail', v)}
        error={errors['card.mailingAddress.detail'] ?? errors['card.mailingAddress']}
      />
      <TextField
        id="mailing-recipient"
        label={ADDRESS.recipient.title}
        value={address?.recipient ?? ''}
        maxLength={20}
        onChange={(v) => set('card.mailingAddress.recipient', v)}
        error={errors['card.mailingAddress.recipient']}
      />
      <TextField
        id="mailing-phone"
        type="tel"
        label={ADDRESS.phone.title}
        hint="快递员送卡时打这个电话"
        value={address?.phone ?? ''}
        maxLength={11}
        onChange={(v) => set('card.mailingAddress.phone', v)}
        error={errors['card.mailingAddress.phone']}
      />
    </View>
  );
}

function PaymentSection({ draft, errors, set }: SectionProps) {
  const thisMonth = chinaToday().slice(0, 7);
  const months = [0, 1, 2].map((n) => addMonths(thisMonth, n));
  return (
    <View>
      <ChoiceGroup
        id="payment-start"
        label={P.payment.properties.periodStart.title}
        hint="网上只办理本月起的正常缴费；以前的月份要补缴，请到人社窗口办理。"
        options={months.map((m, i) => ({ value: m, label: `${chineseMonth(m)}${i === 0 ? '（本月）' : ''}` }))}
        value={draft.payment?.periodStart}
        onChange={(v) => set('payment.periodStart', v)}
        error={errors['payment.periodStart']}
      />
      <ChoiceGroup
        id="payment-months"
        label={P.payment.properties.months.title}
        options={([1, 3, 6, 12] as PaymentMonths[]).map((m) => ({ value: m, label: PAYMENT_MONTH_LABELS[m] }))}
        value={draft.payment?.months}
        onChange={(v) => set('payment.months', v)}
        error={errors['payment.months']}
      />
      <PremiumCalculator grade={draft.pension?.baseGradePercent} months={draft.payment?.months} />
    </View>
  );
}

const SECTION_VIEWS: Record<SectionId, (props: SectionProps) => JSX.Element> = {
  employment: EmploymentSection,
  archive: ArchiveSection,
  pension: PensionSection,
  card: CardSection,
  payment: PaymentSection,
};

/** The one form, prefilled, a short section at a time, saved as the citizen goes. */
export default function FormPage() {
  const verdict = lastVerdict();
  const withCard = verdict?.matters.socialSecurityCard === 'apply';
  const sections = sectionsFor(withCard);
  const params = pageParams();
  const fromReview = params.back === 'review';
  const [index, setIndex] = useState(() =>
    Math.max(
      0,
      sections.findIndex((s) => s.id === params.section),
    ),
  );
  const [draft, setDraft] = useState<ApplicationDraft>();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [loadError, setLoadError] = useState<string>();

  async function load() {
    setLoadError(undefined);
    try {
      const [saved, me] = await Promise.all([loadDraft(), api.me()]);
      setDraft(updateDraft(() => prefilled(saved, me, withCard)));
    } catch (err) {
      if (err instanceof ApiError && err.kind === 'signedOut') return replace(ROUTES.entry);
      setLoadError(messageOf(err));
    }
  }

  useEffect(() => {
    if (!verdict) replace(ROUTES.eligibility);
    else void load();
  }, []);

  const section = sections[index]!;
  const View_ = SECTION_VIEWS[section.id];

  function set(path: string, value: unknown) {
    setDraft(updateDraft((d) => setIn(d, path, value)));
    setErrors((e) => {
      const { [path]: _gone, ...rest } = e;
      return rest;
    });
  }

  function next() {
    if (!draft) return;
    const problems = inSection(checkForm(draft, withCard), section);
    setErrors(problems);
    if (Object.keys(problems).length > 0) return;
    void saveNow();
    if (fromReview || index === sections.length - 1) replace(ROUTES.review);
    else setIndex(index + 1);
  }

  return (
    <Page title="填写申请表">
      {loadError && <ErrorNotice message={loadError} onRetry={() => void load()} />}
      {!draft && !loadError && <Loading />}
      {draft && (
        <View>
          <View className="status-line">
            第 {index + 1} 步，共 {sections.length} 步
          </View>
          <SectionTitle>{section.title}</SectionTitle>
          <View_ draft={draft} errors={errors} set={set} />
          {Object.keys(errors).length > 0 && (
            <View className="notice" role="alert">
              <View className="notice__text">⚠ 有 {Object.keys(errors).length} 处需要修改，请看上面标出的地方。</View>
            </View>
          )}
          <ActionButton onTap={next} testId="next">
            {fromReview ? '改好了，回到核对页' : index === sections.length - 1 ? '下一步：核对信息' : '下一步'}
          </ActionButton>
          {index > 0 && !fromReview && (
            <ActionButton kind="secondary" onTap={() => setIndex(index - 1)}>
              上一步
            </ActionButton>
          )}
          <SaveStatusLine />
        </View>
      )}
    </Page>
  );
}
