import type { HandlerContext, Invocation, Result } from '../handler.ts';

/** A slash command, defined once: name, help and handler. Arguments are parsed with zod inside. */
export interface CommandDefinition {
  /** Without the slash, e.g. "offer-help"; valid on Slack and Discord alike. */
  name: string;
  summary: string;
  /** Usage lines shown in help and after invalid input. */
  usage: string[];
  /** True for commands only moderators may use. */
  moderatorOnly?: boolean;
  run(ctx: HandlerContext, inv: Invocation, text: string): Promise<Result>;
}
