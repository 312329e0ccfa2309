/**
 * Expected failures carry a stable code and a message written for the member;
 * the command runner turns them into a private reply. Anything else is a bug:
 * logged with context, answered with a generic apology, and the process stays up.
 */
export type UserErrorCode =
  | 'invalid_input'
  | 'not_found'
  | 'not_allowed'
  | 'limit_reached'
  | 'conflict'
  | 'unknown_command';

export class UserError extends Error {
  override readonly name = 'UserError';

  constructor(
    readonly code: UserErrorCode,
    message: string,
    /** Field-level problems for forms, keyed by field name. */
    readonly fieldErrors: Record<string, string> = {},
  ) {
    super(message);
  }
}
