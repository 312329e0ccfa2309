import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createSlackPort, type SlackPort } from '../../../adapters/slack/port.ts';
import { message, p } from '../../../src/messages/build.ts';
import type { Message, MessageFile } from '../../../src/messages/model.ts';
import { DeliveryError } from '../../../src/platform.ts';
import { startFakeSlackApi, type FakeSlackApi } from '../../fakes/slack/index.ts';
import { silentLogger } from './harness.ts';

/**
 * Files through the Slack port (the outbox's path): bytes up first, the message,
 * then the files shared in the same conversation. A failure before the share
 * leaves nothing visible.
 */

const team = 'T0FAKETEAM1';
const ANN = 'U0ANN0001';
const BEN = 'U0BEN0001';
const csv = 'room,email,name\nRoom 1,,Ann\nRoom 1,,Ben\n';
const file = (name: string, mimeType: string, content: string | Buffer): MessageFile => ({ name, mimeType, base64: Buffer.from(content).toString('base64') });
const withFiles = (text: string, ...files: MessageFile[]): Message => ({ ...message(p(text)), files });

describe('Slack port files', () => {
  let fake: FakeSlackApi;
  let port: SlackPort;

  beforeAll(async () => {
    fake = await startFakeSlackApi({ users: [{ id: ANN, name: 'ann' }, { id: BEN, name: 'ben' }], rateLimits: false, channels: [{ id: 'C0GENERAL1', name: 'general' }] });
    port = createSlackPort({ log: silentLogger(), botToken: fake.token, apiUrl: fake.apiUrl, timeoutMs: 2000 });
  });
  afterAll(async () => fake?.close());
  beforeEach(() => fake.reset());

  test('a DM with a file: the message, then the file shared in the same DM with its bytes', async () => {
    const receipt = await port.sendPrivate(team, ANN, withFiles('Your breakout rooms', file('rooms.csv', 'text/csv', csv)));
    const dm = fake.dmChannelFor(ANN);
    expect(receipt.channelId).toBe(dm);
    const [shared] = fake.filesIn(ANN);
    expect(shared).toMatchObject({ filename: 'rooms.csv', title: 'rooms.csv', channels: [dm], uploadContentType: 'text/csv' });
    expect(shared!.bytes!.toString('utf8')).toBe(csv);
    const methods = fake.calls.map((c) => c.method).filter((m) => m !== 'users.info');
    expect(methods).toEqual(['files.getUploadURLExternal', 'chat.postMessage', 'files.completeUploadExternal']);
    // The receipt names the text message, so it can be updated later.
    expect(fake.messagesIn(ANN).find((m) => m.ts === receipt.messageId)?.text).toContain('Your breakout rooms');
  });

  test('channel posts and group conversations carry their files too; binary bytes survive', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 255, 128]);
    await port.postToChannel(team, 'C0GENERAL1', withFiles('Chart', file('chart.png', 'image/png', png), file('data.csv', 'text/csv', csv)));
    expect(fake.filesIn('C0GENERAL1').map((f) => f.filename)).toEqual(['chart.png', 'data.csv']);
    expect(fake.filesIn('C0GENERAL1')[0]!.bytes!.equals(png)).toBe(true);
    const receipt = await port.openConversation(team, [ANN, BEN], 'Intro', withFiles('Hello both', file('notes.txt', 'text/plain', 'hi')));
    expect(fake.filesIn(receipt.channelId).map((f) => f.filename)).toEqual(['notes.txt']);
  });

  test('a message of files alone goes to the DM without an empty text message', async () => {
    const receipt = await port.sendPrivate(team, BEN, { blocks: [], files: [file('only.csv', 'text/csv', csv)] });
    expect(receipt.channelId).toBe(fake.dmChannelFor(BEN));
    expect(fake.callsTo('chat.postMessage')).toHaveLength(0);
    expect(fake.filesIn(BEN).map((f) => f.filename)).toEqual(['only.csv']);
  });

  test('a failed upload fails the delivery, retryably, before anything is posted', async () => {
    fake.failNext('files.getUploadURLExternal', { status: 503 });
    const error = await port.sendPrivate(team, ANN, withFiles('x', file('a.csv', 'text/csv', csv))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect((error as DeliveryError).options).toMatchObject({ retryable: true, code: 'http_503' });
    expect(fake.callsTo('chat.postMessage')).toHaveLength(0);
  });

  test('refused uploads and disabled file uploads are permanent', async () => {
    fake.failNext('files.getUploadURLExternal', { error: 'file_uploads_disabled' });
    const disabled = (await port.postToChannel(team, 'C0GENERAL1', withFiles('x', file('a.csv', 'text/csv', csv))).catch((e: unknown) => e)) as DeliveryError;
    expect(disabled.options).toMatchObject({ retryable: false, code: 'file_uploads_disabled' });
    // The upload URL refuses the bytes (here: it expects a different length).
    fake.override('files.getUploadURLExternal', () => {
      fake.override('files.getUploadURLExternal', undefined);
      return { ok: true, upload_url: `${fake.url}/upload/v1/FNOPE/x`, file_id: 'FNOPE' };
    });
    const refused = (await port.postToChannel(team, 'C0GENERAL1', withFiles('x', file('a.csv', 'text/csv', csv))).catch((e: unknown) => e)) as DeliveryError;
    expect(refused.options).toMatchObject({ retryable: false, code: 'upload_http_404' });
    expect(fake.callsTo('chat.postMessage')).toHaveLength(0);
  });
});
