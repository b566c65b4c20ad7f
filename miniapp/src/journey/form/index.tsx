import { View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import {
  chinaToday,
  currentCountyCode,
  isCurrentNingxiaCounty,
  type ApplicationDraft,
  type FieldErrors,
  type MeView,
} from '@flexins/shared';
import { ActionButton, ErrorNotice, Loading, SectionTitle } from '../../components/controls';
import { FORM_SECTIONS } from '../../components/FormSections';
import { Page } from '../../components/Page';
import { ResumeBanner } from '../../components/ResumeBanner';
import { SaveStatusLine } from '../../components/SaveStatusLine';
import { draftNow, loadDraft, saveNow, updateDraft } from '../../services/draft';
import { checkForm, errorsAfterChange, inSection, sectionsFor, setIn } from '../../services/form';
import { ApiError, messageOf } from '../../services/http';
import { backTo, forward, pageParams, replace, resuming, ROUTES } from '../../services/nav';
import { platformFacts } from '../../services/platform-facts';
import { lastVerdict } from '../../services/session';

/** What the platform already knows goes in, so it is not typed again. */
function prefilled(draft: ApplicationDraft, me: MeView, withCard: boolean, phone?: string): ApplicationDraft {
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
    fill('card.mailingAddress.phone', phone, address?.phone);
    fill('card.mailingAddress.regionCode', residence, address?.regionCode);
    const homeInNingxia = isCurrentNingxiaCounty(me.household.regionCode);
    fill('card.mailingAddress.detail', homeInNingxia ? me.household.address : undefined, address?.detail);
  }
  return next;
}

/** The one form, prefilled, a short section at a time, saved as the citizen goes. */
export default function FormPage() {
  const verdict = lastVerdict();
  const withCard = verdict?.matters.socialSecurityCard === 'apply';
  const sections = sectionsFor(withCard);
  const params = pageParams();
  const fromReview = params.back === 'review';
  // Each step is its own page address, so the phone's Back and a reload land on it.
  const index = Math.max(
    0,
    sections.findIndex((s) => s.id === params.section),
  );
  const [resumed] = useState(resuming);
  const [draft, setDraft] = useState<ApplicationDraft>();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [loadError, setLoadError] = useState<string>();

  async function load() {
    setLoadError(undefined);
    try {
      const [saved, { me, phone }] = await Promise.all([loadDraft(), platformFacts(withCard)]);
      const filled = prefilled(saved, me, withCard, phone);
      // Only a change is saved: the next section does not write the draft again.
      setDraft(filled === saved ? saved : updateDraft(() => filled));
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
  const View_ = FORM_SECTIONS[section.id];

  function set(path: string, value: unknown) {
    const next = updateDraft((d) => setIn(d, path, value));
    setDraft(next);
    setErrors((e) => errorsAfterChange(e, path, () => inSection(checkForm(next, withCard), section)));
  }

  function next() {
    if (!draft) return;
    // The draft as last typed: a field's input event can reach us just before the tap on 下一步
    // and React render it just after, so this render's `draft` may be one keystroke behind.
    const problems = inSection(checkForm(draftNow(), withCard), section);
    setErrors(problems);
    if (Object.keys(problems).length > 0) return;
    void saveNow();
    if (fromReview) backTo(ROUTES.review);
    else if (index === sections.length - 1) forward(ROUTES.review);
    else forward(ROUTES.form, { section: sections[index + 1]!.id, from: section.id });
  }

  /** 上一步: Back, when the previous step is what Back returns to (it was the way here); else that step's page. */
  function previous() {
    const before = sections[index - 1]!;
    if (params.from === before.id) backTo(ROUTES.form, { section: before.id });
    else replace(ROUTES.form, { section: before.id });
  }

  return (
    <Page title="填写申请表">
      {loadError && <ErrorNotice message={loadError} onRetry={() => void load()} />}
      {!draft && !loadError && <Loading />}
      {draft && (
        <View>
          {resumed && <ResumeBanner />}
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
            <ActionButton kind="secondary" onTap={previous} testId="previous">
              上一步
            </ActionButton>
          )}
          <SaveStatusLine />
        </View>
      )}
    </Page>
  );
}
