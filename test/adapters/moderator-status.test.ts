import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createDiscordPort } from '../../adapters/discord/port.ts';
import { createSlackPort } from '../../adapters/slack/port.ts';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord/server.ts';
import { FAKE_TEAM, startFakeSlackApi, type FakeSlackApi } from '../fakes/slack/index.ts';

/**
 * How each platform answers "is this person still a moderator?", which the core
 * asks every few minutes about the moderators it remembers (Core.recheckModerators):
 * yes, no, or "cannot tell", never a guess.
 */
const log = pino({ level: 'silent' });

describe('moderator status on Discord', () => {
  let fake: FakeDiscord | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  it('the owner and members whose roles grant Manage Server moderate; others, and members who left, do not', async () => {
    fake = await startFakeDiscord();
    const port = createDiscordPort({ log, options: { token: fake.token, applicationId: fake.applicationId, apiUrl: fake.restBase } });
    const guild = fake.guild().id;
    const id = (name: string) => fake!.user(name).id;
    expect(await port.moderatorStatus(guild, id('owner'))).toBe(true);
    expect(await port.moderatorStatus(guild, id('mod'))).toBe(true);
    expect(await port.moderatorStatus(guild, id('alice'))).toBe(false);
    fake.memberLeave(guild, 'mod');
    expect(await port.moderatorStatus(guild, id('mod'))).toBe(false);
    // An unknown server is a question nobody answered: no change either way.
    expect(await port.moderatorStatus('999999999999999999', id('alice'))).toBeUndefined();
  });

  it('the configured moderator role counts too, without Manage Server', async () => {
    fake = await startFakeDiscord({
      users: [{ username: 'owner' }, { username: 'helen' }, { username: 'hal' }],
      guilds: [
        {
          name: 'Role test',
          owner: 'owner',
          roles: [{ name: 'Circle keepers', permissions: 0n }],
          channels: [{ name: 'general' }],
          members: [{ user: 'owner' }, { user: 'helen', roles: ['Circle keepers'] }, { user: 'hal' }],
        },
      ],
    });
    const guild = fake.guild();
    const keepers = guild.roles.find((r) => r.name === 'Circle keepers')!.id;
    const options = { token: fake.token, applicationId: fake.applicationId, apiUrl: fake.restBase };
    const plain = createDiscordPort({ log, options });
    const withRole = createDiscordPort({ log, options: { ...options, moderatorRoleId: keepers } });
    expect(await plain.moderatorStatus(guild.id, fake.user('helen').id)).toBe(false);
    expect(await withRole.moderatorStatus(guild.id, fake.user('helen').id)).toBe(true);
    expect(await withRole.moderatorStatus(guild.id, fake.user('hal').id)).toBe(false);
  });
});

describe('moderator status on Slack', () => {
  let fake: FakeSlackApi | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  it('workspace admins and owners moderate; members and deactivated admins do not; a failed lookup tells nothing', async () => {
    fake = await startFakeSlackApi({
      users: [
        { id: 'U0ADMIN', name: 'ada', is_admin: true },
        { id: 'U0OWNER', name: 'oli', is_owner: true },
        { id: 'U0MEMBER', name: 'mel' },
        { id: 'U0GONE', name: 'gus', is_admin: true, deleted: true },
      ],
      rateLimits: false,
    });
    const port = createSlackPort({ log, botToken: fake.token, apiUrl: fake.apiUrl });
    expect(await port.moderatorStatus(FAKE_TEAM.id, 'U0ADMIN')).toBe(true);
    expect(await port.moderatorStatus(FAKE_TEAM.id, 'U0OWNER')).toBe(true);
    expect(await port.moderatorStatus(FAKE_TEAM.id, 'U0MEMBER')).toBe(false);
    expect(await port.moderatorStatus(FAKE_TEAM.id, 'U0GONE')).toBe(false);
    expect(await port.moderatorStatus(FAKE_TEAM.id, 'U0NOBODY')).toBe(false);
    // Asked again within five minutes: the cached answer stands; the failure is seen on a fresh question.
    fake.failNext('users.info', { status: 503 });
    const fresh = createSlackPort({ log, botToken: fake.token, apiUrl: fake.apiUrl });
    expect(await fresh.moderatorStatus(FAKE_TEAM.id, 'U0ADMIN')).toBeUndefined();
  });
});
