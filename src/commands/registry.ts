import { helpFor } from '../messages/copy/common.ts';
import { interviewPractice } from './interview-practice.ts';
import { introRequest } from './intro-request.ts';
import { networkAdmin } from './network-admin.ts';
import { createNetworkCommand } from './network.ts';
import { offerHelp } from './offer-help.ts';
import type { CommandDefinition } from './types.ts';

/**
 * Every command the core understands, each defined once. Adapters read
 * `commands` (through src/index.ts) to register slash commands; the core routes
 * by name through the tables composed in src/routes.ts.
 */

const memberCommands: CommandDefinition[] = [offerHelp, introRequest, interviewPractice];

const network = createNetworkCommand(() => helpFor(commands.filter((c) => !c.moderatorOnly)));

export const commands: readonly CommandDefinition[] = [...memberCommands, network, networkAdmin];
