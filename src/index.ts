/**
 * The core's public API: everything an adapter (adapters/**) or the entry
 * point (bin/) may use. Adapters import from this module only, never from
 * src/db, src/commands, src/flows or other internals; eslint enforces it
 * (eslint.config.js, `boundaries/dependencies`). Add to this list rather than
 * reaching past it.
 */

// Composition root, the core and what adapters hand it.
export { createApp, type App, type AppHealth, type AppOptions } from './app.ts';
export type { Actor, Core, Reply } from './core.ts';
export type { PlatformUser } from './db/members.ts';
export { MigrationError } from './db/migrate.ts';

// Configuration, logging, time, ids.
export { ConfigError, loadConfig, type Config } from './config.ts';
export { createLogger, scrubSecrets, serializeError, type Logger } from './logger.ts';
export { ManualClock, parseDuration, systemClock, type Clock } from './clock.ts';
export { useSeededIds } from './ids.ts';
export { WEEKDAYS } from './settings.ts';

// The message model and how to render it.
export type { Block, Button, DeliveryReceipt, Destination, Form, FormField, FormFieldKind, Message, MessageFile, Span } from './messages/model.ts';
export { b, buttonsOf, foldSpans, list, mentionedUsers, message, p, plainText, type SpanStyle } from './messages/build.ts';
export { unexpected } from './messages/copy/common.ts';

// Delivery: the port each platform implements, its errors and rate limits.
export { DeliveryError, type PlatformPort, type SendOptions } from './platform.ts';
export { CONVERSATION_UNAVAILABLE, MEMBERS_GONE } from './outbox/dispatcher.ts';
export { RateLimiter, type LaneRule } from './outbox/rate-limiter.ts';

// The command catalogue, for platforms that declare commands up front (Discord's slash
// commands) and for the console's key=value grammar. Until commands are typed values
// (issue 13, section 1) the Discord adapter reads their forms and vocabularies from here.
export { commands } from './commands/registry.ts';
export { interviewPractice } from './commands/interview-practice.ts';
export { introForm, introRequest } from './commands/intro-request.ts';
export { MEETUP_SIZES, networkAdmin, setupSchema } from './commands/network-admin.ts';
export { offerForm, offerHelp } from './commands/offer-help.ts';
export { parseKeyValues } from './commands/text.ts';
export { AVAILABILITY_WORDS } from './commands/vocab.ts';
export { BUILTIN_TOPICS } from './matching/topics.ts';
export { CAREER_STAGES, ROLE_FOCUSES } from './matching/types.ts';
export { ROLE_LABELS } from './messages/copy/practice.ts';
export type { PromptTheme } from './messages/prompts.ts';
