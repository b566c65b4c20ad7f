// The form's checks as the citizen meets them while answering.
import type { ApplicationDraft } from '@flexins/shared';
import { checkForm, errorsAfterChange, inSection, SECTIONS, setIn } from '../form';

const archive = SECTIONS.find((s) => s.id === 'archive')!;

describe('the messages shown while the citizen answers (errorsAfterChange)', () => {
  it('drops the answered field’s message, and one the answer made moot, and adds none', () => {
    const unanswered: ApplicationDraft = { archive: { location: 'previousEmployer' } };
    const shown = inSection(checkForm(unanswered, false), archive);
    expect(shown).toEqual({ 'archive.detail': '请填写档案保管单位' });

    // choosing 没有档案 makes the holding unit moot: its message goes too
    const none = setIn(unanswered, 'archive.location', 'none');
    expect(errorsAfterChange(shown, 'archive.location', () => inSection(checkForm(none, false), archive))).toEqual({});

    // typing in the field itself: its message goes while typing, and nothing new appears
    const typing = setIn(unanswered, 'archive.detail', '银');
    expect(errorsAfterChange(shown, 'archive.detail', () => inSection(checkForm(typing, false), archive))).toEqual({});
  });

  it('keeps other fields’ messages, said as they stand now', () => {
    const shown = { 'archive.location': '请选择人事档案现在在哪里', 'pension.baseGradePercent': 'old' };
    const now = () => ({ 'pension.baseGradePercent': '请选择养老保险缴费档次' });
    expect(errorsAfterChange(shown, 'archive.location', now)).toEqual({
      'pension.baseGradePercent': '请选择养老保险缴费档次',
    });
  });

  it('does no check at all when nothing is shown', () => {
    const now = jest.fn(() => ({}));
    expect(errorsAfterChange({}, 'archive.location', now)).toEqual({});
    expect(now).not.toHaveBeenCalled();
  });
});
