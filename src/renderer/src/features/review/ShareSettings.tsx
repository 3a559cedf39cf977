// Where a round's reviewer links are served: one of this machine's addresses (loopback unless the organiser picks
// another, with a warning that its network can reach it), HTTPS or plain HTTP (HTTPS only off loopback), and the
// certificate fingerprint to tell reviewers, whose browsers will warn about the self-signed certificate.
import { Alert, Checkbox, FormControlLabel, MenuItem, Stack, TextField, Typography } from '@mui/material';
import { useEffect } from 'react';
import type { ShareInterface } from '../../../../shared/contract';
import { useLoad } from '../../api';
import { ErrorAlert } from '../../components/ErrorReporter';

export interface ShareTarget {
  readonly host: string;
  readonly tls: boolean;
}

export function ShareSettings({
  target,
  onChange,
  fingerprint,
}: {
  target: ShareTarget | null;
  onChange(target: ShareTarget): void;
  fingerprint: string | null;
}) {
  const interfaces = useLoad((a) => a.reviews.shareInterfaces({}), []);
  const list = interfaces.data;
  const first = list?.[0];
  useEffect(() => {
    if (target === null && first) onChange({ host: first.address, tls: !first.loopback });
  }, [target, first, onChange]);
  if (interfaces.error) return <ErrorAlert error={interfaces.error} />;
  if (!list || target === null) return null;
  const chosen = list.find((i) => i.address === target.host);
  const remote = chosen !== undefined && !chosen.loopback;
  return (
    <Stack spacing={1} sx={{ maxWidth: 640 }} data-testid="share-settings">
      <Stack direction="row" spacing={2} sx={{ alignItems: 'center' }}>
        <TextField
          select
          size="small"
          label="Share on"
          value={target.host}
          sx={{ minWidth: 320 }}
          onChange={(e) => {
            const next = list.find((i) => i.address === e.target.value);
            if (next) onChange({ host: next.address, tls: next.loopback ? target.tls : true });
          }}
          slotProps={{ select: { SelectDisplayProps: { 'data-testid': 'share-interface' } as object } }}
        >
          {list.map((i) => (
            <MenuItem
              key={`${i.name}-${i.address}`}
              value={i.address}
              data-testid="share-interface-option"
              data-address={i.address}
            >
              {label(i)}
            </MenuItem>
          ))}
        </TextField>
        <FormControlLabel
          label="HTTPS"
          disabled={remote}
          control={
            <Checkbox
              checked={target.tls}
              onChange={(e) => onChange({ ...target, tls: e.target.checked })}
              data-testid="share-https"
            />
          }
        />
      </Stack>
      {remote ? (
        <Alert severity="warning" data-testid="share-warning">
          Other machines on the network of {chosen.name} can reach {chosen.address}: anyone there who has a
          reviewer&apos;s link can judge as that reviewer until you revoke it or close the round. Links are served over
          HTTPS with this workspace&apos;s self-signed certificate, so reviewers&apos; browsers will warn before opening
          them; tell them the fingerprint below to compare.
        </Alert>
      ) : (
        <Typography variant="caption" color="text.secondary">
          Loopback: only this machine can open the links. Only the review queue and its calls answer there.
        </Typography>
      )}
      {fingerprint !== null && (
        <Typography variant="caption" component="div" data-testid="share-fingerprint-row">
          Reviewers&apos; browsers will warn that this self-signed certificate is not trusted; the SHA-256 fingerprint
          they can view there should be:{' '}
          <Typography
            component="span"
            variant="caption"
            sx={{ fontFamily: 'monospace', wordBreak: 'break-all' }}
            data-testid="share-fingerprint"
          >
            {fingerprint}
          </Typography>
        </Typography>
      )}
    </Stack>
  );
}

function label(i: ShareInterface): string {
  return i.loopback ? `${i.address} (${i.name}, this machine only)` : `${i.address} (${i.name}, ${i.family})`;
}
