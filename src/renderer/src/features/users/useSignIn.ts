// Signing in to a profile from a list: at once for an open profile, through the passphrase dialog for a protected one.
import { createElement, useState, type ReactNode } from 'react';
import type { User } from '../../../../shared/contract';
import { useApi } from '../../api';
import { useReportError } from '../../components/ErrorReporter';
import { SignInDialog } from './PassphraseDialog';

export function useSignIn(onSignedIn: (user: User) => void): { choose(user: User): void; dialog: ReactNode } {
  const api = useApi();
  const report = useReportError();
  const [asking, setAsking] = useState<User | null>(null);
  const choose = (user: User) => {
    if (user.protected) {
      setAsking(user);
      return;
    }
    api.users.setCurrent({ id: user.id }).then(onSignedIn, report);
  };
  const dialog =
    asking === null
      ? null
      : createElement(SignInDialog, {
          user: asking,
          onClose: () => setAsking(null),
          onSubmit: async (passphrase: string) => {
            const user = await api.users.setCurrent({ id: asking.id, passphrase });
            setAsking(null);
            onSignedIn(user);
          },
        });
  return { choose, dialog };
}
