import type { webApi } from '@slack/bolt';
import type { MessageFile } from '../../src/index.ts';

type WebClient = webApi.WebClient;

/**
 * Files on Slack through the external upload flow (files.upload is retired):
 * `files.getUploadURLExternal` (name, length) → POST the bytes to the returned
 * `upload_url` → `files.completeUploadExternal` (ids and titles, channel). The
 * first two steps leave nothing visible, so callers prepare uploads before they
 * post anything and share them last: a failure before the share changes nothing
 * a member can see.
 */

/** An upload whose bytes Slack holds, waiting to be shared. */
export interface PreparedFile {
  id: string;
  title: string;
}

export interface UploadOptions {
  /** A token for this call (the outbox's client has none of its own). */
  token?: string;
  /** Runs before each Web API call, e.g. to pace it. */
  beforeCall?: (method: string) => Promise<void>;
  /** Timeout for the POST of the bytes. */
  timeoutMs?: number;
}

/** The upload URL refused the bytes: a network failure or a non-200 answer. */
export class FileUploadError extends Error {
  override readonly name = 'FileUploadError';

  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** Asks Slack for an upload URL per file and sends each file's bytes there. */
export async function prepareFiles(client: WebClient, files: readonly MessageFile[], options: UploadOptions = {}): Promise<PreparedFile[]> {
  const prepared: PreparedFile[] = [];
  for (const file of files) {
    const bytes = Buffer.from(file.base64, 'base64');
    await options.beforeCall?.('files.getUploadURLExternal');
    const res = await client.files.getUploadURLExternal({
      filename: file.name,
      length: bytes.length,
      ...(options.token ? { token: options.token } : {}),
    });
    if (!res.upload_url || !res.file_id) throw new FileUploadError(`files.getUploadURLExternal gave no upload_url for ${file.name}`);
    let status: number;
    try {
      const answer = await fetch(res.upload_url, {
        method: 'POST',
        body: bytes,
        headers: { 'Content-Type': file.mimeType || 'application/octet-stream' },
        signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
      });
      status = answer.status;
      await answer.arrayBuffer().catch(() => undefined);
    } catch (error) {
      throw new FileUploadError(`upload of ${file.name} failed: ${(error as Error).message}`);
    }
    if (status !== 200) throw new FileUploadError(`upload of ${file.name} answered HTTP ${status}`, status);
    prepared.push({ id: res.file_id, title: file.name });
  }
  return prepared;
}

/** Shares prepared uploads in a channel (a C…, G… or D… id), introduced by an optional comment. */
export async function shareFiles(
  client: WebClient,
  channelId: string,
  prepared: readonly PreparedFile[],
  options: UploadOptions & { initialComment?: string } = {},
): Promise<void> {
  if (prepared.length === 0) return;
  await options.beforeCall?.('files.completeUploadExternal');
  await client.files.completeUploadExternal({
    files: prepared.map((f) => ({ id: f.id, title: f.title })) as [PreparedFile, ...PreparedFile[]],
    channel_id: channelId,
    ...(options.initialComment ? { initial_comment: options.initialComment } : {}),
    ...(options.token ? { token: options.token } : {}),
  });
}

/** The bot's DM channel (D…) with a user, for sharing files privately. */
export async function dmChannel(client: WebClient, userId: string, options: UploadOptions = {}): Promise<string> {
  await options.beforeCall?.('conversations.open');
  const res = await client.conversations.open({ users: userId, ...(options.token ? { token: options.token } : {}) });
  const id = (res.channel as { id?: string } | undefined)?.id;
  if (!id) throw new FileUploadError('conversations.open gave no channel');
  return id;
}
