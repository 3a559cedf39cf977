// Local users of a workspace: named profiles with one role each, and the profile signed in on this app instance,
// which the service in main keeps per workspace. A profile may have a passphrase (admins and editors, who approve,
// must): signing in to it asks for it. Creating users and changing roles is for admins (see permissions.ts).
import { z } from 'zod';
import { defineService, method } from './define';

export const USER_ROLES = ['editor', 'reviewer', 'analyst', 'admin'] as const;
export const UserRole = z.enum(USER_ROLES);
export type UserRole = z.infer<typeof UserRole>;

/** Roles whose profiles must have a passphrase: admins manage users, editors approve template versions. */
export const PROTECTED_ROLES: readonly UserRole[] = ['admin', 'editor'];

export const MIN_PASSPHRASE = 8;
export const Passphrase = z
  .string()
  .min(MIN_PASSPHRASE, `A passphrase has at least ${MIN_PASSPHRASE} characters`)
  .max(1024);

export const User = z.object({
  id: z.string(),
  name: z.string(),
  role: UserRole,
  /** Whether signing in to this profile asks for a passphrase. */
  protected: z.boolean(),
  createdAt: z.string(),
});
export type User = z.infer<typeof User>;

export const CreateUser = z
  .object({
    name: z.string().trim().min(1, 'A name is required').max(80, 'Names are limited to 80 characters'),
    role: UserRole,
    /** Required for admins and editors. */
    passphrase: Passphrase.optional(),
  })
  .strict();

const Id = z.string().min(1).max(64);

export const usersContract = defineService(
  'users',
  {
    /** Every profile of the open workspace, oldest first (the first is the "Owner" admin made on first use). */
    list: method(z.object({}).strict(), z.array(User)),
    create: method(CreateUser, User),
    /** The profile signed in on this app instance in the open workspace (null: none, choose one to sign in). */
    current: method(z.object({}).strict(), User.nullable()),
    /** Signs in to a profile; a protected one needs its passphrase (wrong ones are throttled). */
    setCurrent: method(z.object({ id: Id, passphrase: z.string().max(1024).optional() }).strict(), User),
    /** Leaves the current profile: the app asks who is there next. */
    signOut: method(z.object({}).strict(), z.null()),
    /**
     * Sets (or changes) a profile's passphrase: one's own with the current passphrase when there is one, or an admin
     * for another profile (a forgotten passphrase).
     */
    setPassphrase: method(
      z.object({ id: Id, current: z.string().max(1024).optional(), next: Passphrase }).strict(),
      User,
    ),
    /** Admins only; promoting to admin or editor needs the profile to have a passphrase; the last admin stays. */
    setRole: method(z.object({ id: Id, role: UserRole }).strict(), User),
  },
  { onChanged: z.object({ currentId: z.string().nullable() }) },
);
