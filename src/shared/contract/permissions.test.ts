// The permission table covers the contract exactly: every method of every service has an entry (a new method cannot
// be added without saying who may call it) and no entry names a method that does not exist.
import { describe, expect, it } from 'vitest';
import { contract } from './index';
import { PERMISSIONS } from './permissions';
import { REVIEWER_METHODS } from './reviews';

const table = PERMISSIONS as unknown as Record<
  string,
  Record<string, { access: { who: string; roles?: string[] }; mutates: boolean }>
>;

describe('the permission table', () => {
  it('has exactly one entry per contract method', () => {
    const methods = Object.entries(contract)
      .flatMap(([service, spec]) => Object.keys(spec.methods).map((m) => `${service}.${m}`))
      .sort();
    const entries = Object.entries(table)
      .flatMap(([service, ms]) => Object.keys(ms).map((m) => `${service}.${m}`))
      .sort();
    expect(entries).toEqual(methods);
    expect(methods.length).toBeGreaterThan(80);
  });

  it('lets review links reach only the reviewer methods, and keeps user management for admins', () => {
    const linkable = Object.entries(table).flatMap(([service, ms]) =>
      Object.entries(ms)
        .filter(([, p]) => p.access.who === 'reviewer')
        .map(([m]) => `${service}.${m}`),
    );
    expect(linkable.sort()).toEqual(REVIEWER_METHODS.map((m) => `reviews.${m}`).sort());
    expect(table.users?.create?.access).toEqual({ who: 'roles', roles: ['admin'] });
    expect(table.users?.setRole?.access).toEqual({ who: 'roles', roles: ['admin'] });
  });

  it('marks reads as not state-changing and every create, save, run or remove as state-changing', () => {
    for (const [service, ms] of Object.entries(table)) {
      for (const [method, p] of Object.entries(ms)) {
        if (
          /^(list|get|current|recent|status|info|versions|version|rows|results|outputs|jobs|job|queue|item|limits|bundled|lastChecks|verify|retention|previewRetention)$/.test(
            method,
          )
        ) {
          expect(p.mutates, `${service}.${method}`).toBe(false);
        }
        if (
          /^(create|save|import|remove|start|startTraining|run|update|vote|undo|close|share|revokeShare|setRole|setPassphrase|setStatus|setRetention|applyRetention)$/.test(
            method,
          )
        ) {
          expect(p.mutates, `${service}.${method}`).toBe(true);
        }
      }
    }
  });
});
