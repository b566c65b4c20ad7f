import { fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { APPLICATION_FORM_SCHEMA, describeSchemaErrors, type ApplicationDraft } from '@flexins/shared';
import { validateApplicationForm } from '../../generated/validate-application-form';
import { FORM_SECTIONS } from '../FormSections';

/** The archive section as the form page holds it: answers kept, messages from the shared schema. */
function Archive() {
  const [draft, setDraft] = useState<ApplicationDraft>({});
  const set = (path: string, value: unknown) =>
    setDraft((d) => {
      const [, field] = path.split('.') as [string, 'location' | 'detail'];
      return { ...d, archive: { ...d.archive, [field]: value } } as ApplicationDraft;
    });
  validateApplicationForm({ archive: draft.archive });
  const errors = Object.fromEntries(
    Object.entries(describeSchemaErrors(APPLICATION_FORM_SCHEMA, validateApplicationForm.errors ?? [])).filter(([k]) =>
      k.startsWith('archive.'),
    ),
  );
  const Section = FORM_SECTIONS.archive;
  return <Section draft={draft} errors={errors} set={set} />;
}

describe('the archive section', () => {
  it('asks for the holding unit (档案保管单位) whenever a unit holds the archive, and names it in the message', () => {
    render(<Archive />);
    expect(screen.queryByLabelText('档案保管单位')).not.toBeInTheDocument();

    for (const place of [/^原工作单位/, /^人才交流中心/, /^毕业学校/, /^其他/]) {
      fireEvent.click(screen.getByRole('radio', { name: place }));
      expect(screen.getByLabelText('档案保管单位')).toBeInTheDocument();
      expect(screen.getByRole('alert')).toHaveTextContent('请填写档案保管单位');
    }

    fireEvent.change(screen.getByLabelText('档案保管单位'), { target: { value: '宁夏大学' } });
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(screen.getByLabelText('档案保管单位')).toHaveAttribute('maxlength', '60');

    for (const nothingHeld of [/^没有档案/, /^不清楚档案在哪里/]) {
      fireEvent.click(screen.getByRole('radio', { name: nothingHeld }));
      expect(screen.queryByLabelText('档案保管单位')).not.toBeInTheDocument();
    }
  });
});
