// The sections of the one form (一表申请), used by the citizen's form page and
// by the window clerk's page (一窗受理): the same fields, labels from the shared
// schema, messages beside the fields.
import { View } from '@tarojs/components';
import {
  APPLICATION_FORM_SCHEMA,
  ARCHIVE_LOCATION_LABELS,
  archiveHeldSomewhere,
  chinaToday,
  CURRENT_POLICY,
  EMPLOYMENT_TYPE_LABELS,
  FORM_EMPLOYMENT_TYPES,
  HRSS_CARD_BANKS,
  monthlyPremium,
  formatYuan,
  PAYMENT_MONTH_LABELS,
  type ApplicationDraft,
  type ArchiveLocation,
  type FieldErrors,
  type PaymentMonths,
} from '@flexins/shared';
import { addMonths, chineseMonth, type SectionId } from '../services/form';
import { ChoiceGroup, TextField } from './controls';
import { PremiumCalculator } from './PremiumCalculator';
import { RegionPicker } from './RegionPicker';

const P = APPLICATION_FORM_SCHEMA.properties;
const ADDRESS = P.card.properties.mailingAddress.properties;
const GRADES = CURRENT_POLICY.pension.value.grades;

export interface SectionProps {
  draft: ApplicationDraft;
  errors: FieldErrors;
  set: (path: string, value: unknown) => void;
  /** At the window the clerk reads the form: the words speak of 申请人, not 您. */
  forClerk?: boolean;
}

function EmploymentSection({ draft, errors, set, forClerk }: SectionProps) {
  return (
    <View>
      <ChoiceGroup
        id="employment-type"
        label={forClerk ? '申请人现在是怎么工作的' : P.employment.properties.type.title}
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

function ArchiveSection({ draft, errors, set, forClerk }: SectionProps) {
  return (
    <View>
      <ChoiceGroup
        id="archive-location"
        label={P.archive.properties.location.title}
        hint={`档案转递由人社部门办理，${forClerk ? '申请人' : '您'}不用自己去取。`}
        options={(Object.keys(ARCHIVE_LOCATION_LABELS) as ArchiveLocation[]).map((v) => ({
          value: v,
          label: ARCHIVE_LOCATION_LABELS[v],
        }))}
        value={draft.archive?.location}
        onChange={(v) => set('archive.location', v)}
        error={errors['archive.location']}
      />
      {archiveHeldSomewhere(draft.archive?.location) && (
        <TextField
          id="archive-detail"
          label={P.archive.properties.detail.title}
          hint={P.archive.properties.detail['x-format-hint']}
          value={draft.archive?.detail ?? ''}
          maxLength={P.archive.properties.detail.maxLength}
          onChange={(v) => set('archive.detail', v)}
          error={errors['archive.detail']}
        />
      )}
    </View>
  );
}

function PensionSection({ draft, errors, set, forClerk }: SectionProps) {
  const labels = P.pension.properties.baseGradePercent['x-enum-labels'] as Record<string, string>;
  return (
    <View>
      <View className="text">
        养老保险按{forClerk ? '申请人' : '您'}
        选的档次交，档次越高，每月交得越多，将来领的养老金也越多。医疗保险按规定标准交。
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

function CardSection({ draft, errors, set, forClerk }: SectionProps) {
  const address = draft.card?.mailingAddress;
  return (
    <View>
      <View className="text">
        {forClerk
          ? '社保卡办好后邮寄给申请人（不能现场领取），邮寄费 5.80 元已在上一步由申请人支付。'
          : '社保卡办好后邮寄给您（不能现场领取），邮寄费 5.80 元，提交前在线支付。'}
      </View>
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

/** Each section of the one form, by its id (services/form.ts says which and in what order). */
export const FORM_SECTIONS: Record<SectionId, (props: SectionProps) => JSX.Element> = {
  employment: EmploymentSection,
  archive: ArchiveSection,
  pension: PensionSection,
  card: CardSection,
  payment: PaymentSection,
};
