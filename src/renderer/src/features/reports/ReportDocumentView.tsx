// A report document shown in the app as the exported files show it: its text, tables, charts (the same SVG as the
// HTML and PDF, as images) and examples, then the lineage with every content hash.
import {
  Box,
  Paper,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import type { SxProps, Theme } from '@mui/material';
import type { ReportBlock, ReportDocument } from '../../../../shared/report';
import { LINEAGE_COLUMNS, lineageRows, madeLine } from '../../../../shared/lineage-table';
import { intervalsSvg, linesSvg } from '../../../../shared/report-charts';

/** Numbers and short labels stay on one line (the table scrolls sideways); long text wraps anywhere. */
const cellSx = (value: string | number | null): SxProps<Theme> =>
  String(value ?? '').length <= 24 ? { whiteSpace: 'nowrap' } : { overflowWrap: 'anywhere', minWidth: 160 };

function SimpleTable({
  columns,
  rows,
  label,
}: {
  columns: readonly string[];
  rows: readonly (readonly (string | number | null)[])[];
  label: string;
}) {
  return (
    <TableContainer component={Paper} variant="outlined" sx={{ my: 1 }}>
      <Table size="small" aria-label={label}>
        <TableHead>
          <TableRow>
            {columns.map((c) => (
              <TableCell key={c}>{c}</TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.map((r, i) => (
            <TableRow key={i}>
              {columns.map((c, j) => (
                <TableCell key={c} sx={cellSx(r[j] ?? null)}>
                  {r[j] ?? '—'}
                </TableCell>
              ))}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}

const svgImage = (svg: string) => `data:image/svg+xml;base64,${btoa(unescape(encodeURIComponent(svg)))}`;

function Block({ block }: { block: ReportBlock }) {
  switch (block.type) {
    case 'text':
      return (
        <Box sx={{ my: 1.5 }}>
          {block.title !== null && <Typography variant="h6">{block.title}</Typography>}
          <Box component="ul" sx={{ my: 0.5, pl: 3 }}>
            {block.lines.map((l, i) => (
              <Typography component="li" key={i} variant="body2">
                {l}
              </Typography>
            ))}
          </Box>
        </Box>
      );
    case 'table':
      return (
        <Box sx={{ my: 1.5 }}>
          <Typography variant="h6">{block.title}</Typography>
          <SimpleTable columns={block.columns} rows={block.rows} label={block.title} />
          {block.note !== null && (
            <Typography variant="caption" color="text.secondary">
              {block.note}
            </Typography>
          )}
        </Box>
      );
    case 'intervals':
    case 'lines':
      return (
        <Box sx={{ my: 1.5 }}>
          <Typography variant="h6">{block.title}</Typography>
          <img
            src={svgImage(block.type === 'lines' ? linesSvg(block) : intervalsSvg(block))}
            alt={block.title}
            style={{ maxWidth: '100%' }}
            data-testid="report-chart"
          />
        </Box>
      );
    case 'examples':
      return (
        <Box sx={{ my: 1.5 }}>
          <Typography variant="h6">{block.title}</Typography>
          {block.items.map((item, i) => (
            <Box key={i} sx={{ my: 1 }}>
              <Typography variant="subtitle2">{item.title}</Typography>
              {item.expected !== null && (
                <Typography variant="body2" color="text.secondary">
                  Expected: {item.expected}
                </Typography>
              )}
              <SimpleTable
                columns={['Configuration', 'Output', 'Score']}
                rows={item.outputs.map((o) => [
                  o.label,
                  o.text ?? '(none)',
                  o.score === null ? null : o.score.toFixed(2),
                ])}
                label={item.title}
              />
            </Box>
          ))}
        </Box>
      );
  }
}

export function ReportDocumentView({ document: doc }: { document: ReportDocument }) {
  return (
    <Box data-testid="report-document">
      <Typography variant="h5" component="h2">
        {doc.title}
      </Typography>
      {doc.subtitle !== null && <Typography color="text.secondary">{doc.subtitle}</Typography>}
      {doc.blocks.map((b, i) => (
        <Block key={i} block={b} />
      ))}
      <Typography variant="h6" sx={{ mt: 2 }}>
        Lineage
      </Typography>
      <Typography variant="body2" color="text.secondary">
        {madeLine(doc.lineage)}
      </Typography>
      <SimpleTable label="Lineage" columns={LINEAGE_COLUMNS} rows={lineageRows(doc.lineage)} />
    </Box>
  );
}
