// One dataset version's facts: rows, split sizes, duplicates, content hash, source files, fields with their roles and
// the split settings, and where Dovetail made it from (a review round, with a link to its results); a warning when
// inputs repeat across splits (scores on the later split may be inflated).
import { Alert, Link, Table, TableBody, TableCell, TableRow, Typography } from '@mui/material';
import type { DatasetVersion, SplitSettings } from '../../../../shared/contract';
import { sectionHref } from '../shell/useSection';
import { bytesText, dateText, shortHash } from './format';

export function VersionFacts({ version }: { version: DatasetVersion }) {
  const facts: { key: string; label: string; value: string; title?: string }[] = [
    { key: 'rows', label: 'Rows', value: version.rowCount.toLocaleString() },
    {
      key: 'splits',
      label: 'Splits',
      value: `train ${version.splits.train.toLocaleString()} · validation ${version.splits.validation.toLocaleString()} · test ${version.splits.test.toLocaleString()}`,
    },
    { key: 'split-settings', label: 'Split by', value: splitText(version.split) },
    { key: 'duplicates', label: 'Duplicate inputs', value: version.duplicateCount.toLocaleString() },
    { key: 'hash', label: 'Content hash', value: shortHash(version.contentHash), title: version.contentHash },
    {
      key: 'files',
      label: 'Source files',
      value: version.source.files
        .map(
          (f) => `${f.name} (${f.rows.toLocaleString()} rows, ${bytesText(f.bytes)}${f.split ? `, ${f.split}` : ''})`,
        )
        .join('; '),
      title: version.source.files.map((f) => `${f.path}  sha256 ${f.sha256}`).join('\n'),
    },
    {
      key: 'fields',
      label: 'Fields',
      value: version.fields.map((f) => `${f.name}: ${f.type}${f.role === 'none' ? '' : ` (${f.role})`}`).join(', '),
    },
    {
      key: 'created',
      label: 'Imported',
      value: `${dateText(version.createdAt)}${version.message ? ` · ${version.message}` : ''}`,
    },
  ];
  return (
    <>
      {version.leaks.map((leak) => (
        <Alert key={leak.splits.join('/')} severity="warning" sx={{ mb: 1 }} data-testid="dataset-leak">
          {leak.rows.toLocaleString()} row{leak.rows === 1 ? '' : 's'} in {leak.splits[1]} repeat
          {leak.rows === 1 ? 's' : ''} the input of a row in {leak.splits[0]}: scores on {leak.splits[1]} may look
          better than they are.
        </Alert>
      ))}
      <Table size="small" data-testid="dataset-facts" aria-label="Version facts">
        <TableBody>
          {facts.map((f) => (
            <TableRow key={f.key} data-testid={`dataset-fact-${f.key}`}>
              <TableCell component="th" scope="row" sx={{ color: 'text.secondary', width: 160 }}>
                {f.label}
              </TableCell>
              <TableCell title={f.title}>
                <Typography variant="body2" sx={f.key === 'hash' ? { fontFamily: 'monospace' } : undefined}>
                  {f.value}
                </Typography>
              </TableCell>
            </TableRow>
          ))}
          {version.lineage && (
            <TableRow data-testid="dataset-fact-lineage">
              <TableCell component="th" scope="row" sx={{ color: 'text.secondary', width: 160 }}>
                Lineage
              </TableCell>
              <TableCell>
                {version.lineage.kind === 'review-round' ? (
                  <Typography variant="body2">
                    From review round &quot;{version.lineage.roundName}&quot; ·{' '}
                    <Link
                      href={sectionHref('review', { round: version.lineage.roundId })}
                      data-testid="dataset-lineage-link"
                    >
                      see its results
                    </Link>
                  </Typography>
                ) : version.lineage.kind === 'robustness-probe' ? (
                  <Typography variant="body2">
                    Robustness probe variants ({version.lineage.kinds.join(', ')}) of the {version.lineage.split} split
                    of version {version.lineage.sourceVersion}
                    {version.lineage.limit === null ? '' : `, first ${version.lineage.limit} rows`}, seed{' '}
                    {version.lineage.seed}
                  </Typography>
                ) : (
                  <Typography variant="body2">
                    Redacted from version {version.lineage.sourceVersion}: {version.lineage.values} distinct value
                    {version.lineage.values === 1 ? '' : 's'} replaced {version.lineage.replacements} time
                    {version.lineage.replacements === 1 ? '' : 's'} by placeholders
                  </Typography>
                )}
              </TableCell>
            </TableRow>
          )}
        </TableBody>
      </Table>
    </>
  );
}

function splitText(split: SplitSettings): string {
  switch (split.kind) {
    case 'hash':
      return `hash of key, seed ${split.seed} (${[split.fractions.train, split.fractions.validation, split.fractions.test].map((f) => `${Math.round(f * 1000) / 10}%`).join(' / ')})`;
    case 'given':
      return 'one split per file';
    case 'column':
      return `column "${split.field}"`;
  }
}
