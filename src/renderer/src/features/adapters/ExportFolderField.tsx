// Where an adapter or a training job is exported: a new folder (or .zip) under ~/Dovetail exports by default, typed or
// put inside a folder picked with Browse on the desktop. One field for every export dialog of this section.
import { FolderField } from '../../components/FolderField';
import type { Submit } from '../../components/useSubmit';

/** The default place of an export named `name` (characters no file system takes become '-'). */
export function exportFolderFor(name: string, suffix = ''): string {
  return `~/Dovetail exports/${name.replace(/[\\/:*?"<>|]+/g, '-')}${suffix}`;
}

export function ExportFolderField(p: {
  label: string;
  value: string;
  onChange(value: string): void;
  disabled: boolean;
  /** The dialog's action: a picker that fails shows its error there. */
  submit: Submit;
  testId: string;
}) {
  const name =
    p.value
      .split(/[\\/]/)
      .filter((part) => part !== '' && part !== '~')
      .pop() ?? 'export';
  return (
    <FolderField
      label={p.label}
      value={p.value}
      onChange={p.onChange}
      error={undefined}
      pickerTitle="Export into"
      newName={name}
      onError={p.submit.fail}
      disabled={p.disabled}
      testId={p.testId}
      browseTestId={`${p.testId}-browse`}
    />
  );
}
