import { LogLevel } from '@slack/bolt';
import { ErrorCode, WebClient, type WebAPIPlatformError, type WebAPIRateLimitedError } from '@slack/web-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_RATE_LIMITS, TIERS, startFakeSlackApi, type FakeSlackApi } from './index.ts';

/** The fake's external file upload: files.getUploadURLExternal → POST bytes → files.completeUploadExternal. */

const silent = { debug() {}, info() {}, warn() {}, error() {}, setLevel() {}, getLevel: () => LogLevel.ERROR, setName() {} };
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 1, 2, 3, 255]);

async function platformError(p: Promise<unknown>): Promise<WebAPIPlatformError> {
  try {
    await p;
  } catch (e) {
    return e as WebAPIPlatformError;
  }
  throw new Error('expected the call to fail');
}

describe('fake Slack file uploads', () => {
  let fake: FakeSlackApi;
  let client: WebClient;

  beforeAll(async () => {
    fake = await startFakeSlackApi({
      users: [{ id: 'U0ALICE', name: 'alice' }],
      channels: [
        { id: 'C0GENERAL', name: 'general' },
        { id: 'C0OLD', name: 'old', is_archived: true },
      ],
      unknownChannels: 'reject',
    });
    client = new WebClient(fake.token, { ...fake.clientOptions, retryConfig: { retries: 0 }, logger: silent });
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(() => {
    fake.reset();
    fake.setRateLimiting(false);
  });

  async function start(filename: string, length: number): Promise<{ upload_url: string; file_id: string }> {
    const res = await client.files.getUploadURLExternal({ filename, length });
    expect(res.ok).toBe(true);
    return { upload_url: res.upload_url!, file_id: res.file_id! };
  }

  it('records the bytes and shares the file in a channel with its comment', async () => {
    const { upload_url, file_id } = await start('chart.png', PNG.length);
    expect(file_id).toMatch(/^F[A-Z0-9]+$/);
    expect(upload_url.startsWith(`${fake.url}/upload/v1/`)).toBe(true);
    const put = await fetch(upload_url, { method: 'POST', body: PNG, headers: { 'Content-Type': 'image/png' } });
    expect(put.status).toBe(200);
    const done = await client.files.completeUploadExternal({ files: [{ id: file_id, title: 'The chart' }], channel_id: 'C0GENERAL', initial_comment: 'Here it is' });
    expect(done.files).toEqual([{ id: file_id, title: 'The chart' }]);
    const [file] = fake.filesIn('C0GENERAL');
    expect(file).toMatchObject({ id: file_id, filename: 'chart.png', title: 'The chart', completed: true, initialComment: 'Here it is', uploadContentType: 'image/png' });
    expect(file!.bytes!.equals(PNG)).toBe(true);
    expect(fake.messagesIn('C0GENERAL')).toEqual([expect.objectContaining({ text: 'Here it is', files: [file_id] })]);
  });

  it('accepts a multipart upload and a share into a DM by its channel id', async () => {
    const csv = 'week_start,introductions\n2026-01-05,3\n';
    const { upload_url, file_id } = await start('stats.csv', Buffer.byteLength(csv));
    const form = new FormData();
    form.append('file', new Blob([csv], { type: 'text/csv' }), 'stats.csv');
    expect((await fetch(upload_url, { method: 'POST', body: form })).status).toBe(200);
    const dm = (await client.conversations.open({ users: 'U0ALICE' })).channel!.id!;
    await client.files.completeUploadExternal({ files: [{ id: file_id }], channel_id: dm });
    const [file] = fake.filesIn('U0ALICE');
    expect(file!.bytes!.toString('utf8')).toBe(csv);
    expect(file!.title).toBe('stats.csv');
    expect(file!.uploadContentType).toBe('text/csv');
  });

  it("works with the SDK's own filesUploadV2", async () => {
    const res = await client.filesUploadV2({ channel_id: 'C0GENERAL', filename: 'data.json', content: '{"a":1}', initial_comment: 'data' });
    expect(res.ok).toBe(true);
    expect(fake.filesIn('C0GENERAL').map((f) => f.bytes!.toString('utf8'))).toEqual(['{"a":1}']);
  });

  it('checks files.getUploadURLExternal arguments as Slack does', async () => {
    const noName = await platformError(client.apiCall('files.getUploadURLExternal', { length: 10 }));
    expect(noName.data.error).toBe('invalid_arguments');
    expect(noName.data.response_metadata?.messages).toEqual(['[ERROR] missing required field: filename']);
    const noLength = await platformError(client.apiCall('files.getUploadURLExternal', { filename: 'a.txt' }));
    expect(noLength.data.response_metadata?.messages).toEqual(['[ERROR] missing required field: length']);
    for (const length of ['0', '-3', '1.5', 'ten']) {
      expect((await platformError(client.apiCall('files.getUploadURLExternal', { filename: 'a.txt', length }))).data.error).toBe('invalid_arguments');
    }
    const alt = await platformError(client.files.getUploadURLExternal({ filename: 'a.png', length: 3, alt_text: 'x'.repeat(1001) }));
    expect(alt.data.error).toBe('alt_txt_too_large');
    const noToken = new WebClient(undefined, { ...fake.clientOptions, retryConfig: { retries: 0 }, logger: silent });
    expect((await platformError(noToken.files.getUploadURLExternal({ filename: 'a.txt', length: 1 }))).data.error).toBe('not_authed');
    expect(fake.files).toHaveLength(0);
  });

  it('refuses uploads of the wrong length, to unknown URLs, and twice to one URL', async () => {
    const { upload_url } = await start('a.txt', 5);
    expect((await fetch(upload_url, { method: 'POST', body: 'toolong' })).status).toBe(400);
    expect((await fetch(`${fake.url}/upload/v1/FNOPE/xyz`, { method: 'POST', body: 'hello' })).status).toBe(404);
    expect((await fetch(upload_url, { method: 'POST', body: 'hello' })).status).toBe(200);
    expect((await fetch(upload_url, { method: 'POST', body: 'hello' })).status).toBe(410);
  });

  it('checks files.completeUploadExternal arguments as Slack does', async () => {
    const missing = await platformError(client.apiCall('files.completeUploadExternal', { channel_id: 'C0GENERAL' }));
    expect(missing.data.error).toBe('invalid_arguments');
    expect(missing.data.response_metadata?.messages).toEqual(['[ERROR] missing required field: files']);
    expect((await platformError(client.apiCall('files.completeUploadExternal', { files: [] }))).data.error).toBe('invalid_arguments');
    expect((await platformError(client.apiCall('files.completeUploadExternal', { files: [{ title: 'x' }] }))).data.error).toBe('invalid_arguments');
    expect((await platformError(client.apiCall('files.completeUploadExternal', { files: [{ id: 'FNOPE' }] }))).data.error).toBe('file_not_found');

    const { file_id } = await start('a.txt', 5);
    // The bytes never arrived.
    expect((await platformError(client.files.completeUploadExternal({ files: [{ id: file_id }], channel_id: 'C0GENERAL' }))).data.error).toBe('file_not_found');
    const upload = fake.files.find((f) => f.id === file_id)!;
    await fetch(upload.uploadUrl, { method: 'POST', body: 'hello' });
    expect((await platformError(client.files.completeUploadExternal({ files: [{ id: file_id }], channel_id: 'C0NOWHERE' }))).data.error).toBe('channel_not_found');
    expect((await platformError(client.files.completeUploadExternal({ files: [{ id: file_id }], channel_id: 'C0OLD' }))).data.error).toBe('is_archived');
    expect(upload.completed).toBe(false);
    // Without a channel the file is completed privately, and only once.
    await client.files.completeUploadExternal({ files: [{ id: file_id }] });
    expect(upload).toMatchObject({ completed: true, channels: [] });
    expect((await platformError(client.files.completeUploadExternal({ files: [{ id: file_id }], channel_id: 'C0GENERAL' }))).data.error).toBe('file_not_found');
    expect(fake.messages).toHaveLength(0);
  });

  it('rate-limits both methods at Tier 4 with 429 and Retry-After', async () => {
    expect(DEFAULT_RATE_LIMITS['files.getUploadURLExternal']).toEqual(TIERS.tier4);
    expect(DEFAULT_RATE_LIMITS['files.completeUploadExternal']).toEqual(TIERS.tier4);
    fake.setRateLimiting(true);
    fake.configureRateLimits({ 'files.getUploadURLExternal': { perMinute: 2 } });
    const strict = new WebClient(fake.token, { ...fake.clientOptions, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, logger: silent });
    await strict.files.getUploadURLExternal({ filename: 'a', length: 1 });
    await strict.files.getUploadURLExternal({ filename: 'b', length: 1 });
    const error = (await platformError(strict.files.getUploadURLExternal({ filename: 'c', length: 1 }))) as unknown as WebAPIRateLimitedError;
    expect(error.code).toBe(ErrorCode.RateLimitedError);
    expect(error.retryAfter).toBeGreaterThanOrEqual(1);
    fake.configureRateLimits({ 'files.getUploadURLExternal': TIERS.tier4 });
  });

  it('reset forgets files', async () => {
    await start('a.txt', 1);
    fake.reset();
    expect(fake.files).toHaveLength(0);
  });
});
