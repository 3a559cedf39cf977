// Local users of a workspace (issue 7; review rounds extend it): named profiles with one role each, and the current
// user of this app instance, which the service in main keeps per workspace. Template versions record their author
// and status changes their actor by it; the approver of a template version must be someone other than its author.
import { z } from 'zod';
import { defineService, method } from './define';

export const USER_ROLES = ['editor', 'reviewer', 'analyst', 'admin'] as const;
export const UserRole = z.enum(USER_ROLES);
export type UserRole = z.infer<typeof UserRole>;

export const User = z.object({
  id: z.string(),
  name: z.string(),
  role: UserRole,
  createdAt: z.string(),
});
export type User = z.infer<typeof User>;

export const CreateUser = z.object({
  name: z.string().trim().min(1, 'A name is required').max(80, 'Names are limited to 80 characters'),
  role: UserRole,
}).strict();

export const usersContract = defineService(
  'users',
  {
    /** Every profile of the open workspace, oldest first (the first is the "Owner" admin made on first use). */
    list: method(z.object({}).strict(), z.array(User)),
    create: method(CreateUser, User),
    /** The current user of this app instance in the open workspace. */
    current: method(z.object({}).strict(), User),
    setCurrent: method(z.object({ id: z.string().min(1) }).strict(), User),
  },
  { onChanged: z.object({ currentId: z.string() }) },
);
