/**
 * Files, through Slack's external upload flow: files.getUploadURLExternal hands out an upload
 * URL, the bytes are POSTed there ({@link handleUpload}), and files.completeUploadExternal shares
 * the finished upload. The three steps live together because each checks what the others left.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BLOCK_KIT_LIMITS } from '../block-kit.ts';
import { ApiError, invalidArguments, missing, nonEmpty, str, type MethodTable, type SlackState } from '../state.ts';

export function fileMethods(s: SlackState): MethodTable {
  return {
    'files.getUploadURLExternal': (args, at) => {
      const filename = nonEmpty(args.filename);
      if (filename === undefined) throw missing('filename');
      const rawLength = str(args.length);
      if (rawLength === undefined || rawLength === '') throw missing('length');
      if (!/^\d+$/.test(rawLength.trim()) || Number(rawLength) < 1) {
        throw invalidArguments([`invalid value for length: must be a positive integer [json-pointer:/length]`]);
      }
      const altText = str(args.alt_txt) ?? str(args.alt_text);
      if (altText !== undefined && altText.length > 1000) throw new ApiError('alt_txt_too_large');
      const id = s.nextId('F');
      const uploadUrl = `${s.url}/upload/v1/${id}/${Math.random().toString(36).slice(2, 12)}`;
      const snippetType = nonEmpty(args.snippet_type);
      s.files.push({
        id,
        filename,
        length: Number(rawLength),
        ...(altText !== undefined ? { altText } : {}),
        ...(snippetType !== undefined ? { snippetType } : {}),
        uploadUrl,
        completed: false,
        channels: [],
        createdAt: at,
      });
      return { ok: true, upload_url: uploadUrl, file_id: id };
    },

    'files.completeUploadExternal': (args, at) => {
      const list = args.files;
      if (list === undefined || list === '') throw missing('files');
      if (!Array.isArray(list) || list.length === 0) throw invalidArguments(['files must be a non-empty array [json-pointer:/files]']);
      const entries = list.map((entry: unknown, i) => {
        const e = entry as { id?: unknown; title?: unknown } | null;
        const id = typeof e === 'object' && e !== null ? nonEmpty(e.id) : undefined;
        if (id === undefined) throw invalidArguments([`missing required field: id [json-pointer:/files/${i}/id]`]);
        return { id, title: typeof e?.title === 'string' ? e.title : undefined };
      });
      // Uploads not started here, not finished (no bytes), or already completed are all unknown to Slack.
      const files = entries.map(({ id }) => {
        const file = s.files.find((f) => f.id === id);
        if (!file || file.completed || file.bytes === undefined) throw new ApiError('file_not_found');
        return file;
      });
      const channelIds = [
        ...(nonEmpty(args.channel_id) !== undefined ? [str(args.channel_id)!] : []),
        ...(str(args.channels) ?? '').split(',').map((c) => c.trim()).filter((c) => c !== ''),
      ];
      if (channelIds.length > 100) throw new ApiError('channels_limit_exceeded');
      const threadTs = nonEmpty(args.thread_ts);
      if (threadTs !== undefined && channelIds.length !== 1) throw invalidArguments(['thread_ts needs exactly one channel [json-pointer:/thread_ts]']);
      const channels = channelIds.map((c) => {
        const channel = s.resolveChannel(c);
        if (channel.is_archived) throw new ApiError('is_archived');
        return channel;
      });
      const comment = str(args.initial_comment);
      if (comment !== undefined && comment.length > BLOCK_KIT_LIMITS.messageText) throw new ApiError('msg_too_long');
      entries.forEach(({ title }, i) => {
        const file = files[i]!;
        file.completed = true;
        file.title = title ?? file.filename;
        file.channels = channels.map((c) => c.id);
        if (comment !== undefined) file.initialComment = comment;
        if (threadTs !== undefined) file.threadTs = threadTs;
      });
      // Sharing posts one message per channel carrying the files, introduced by the comment.
      for (const channel of channels) {
        s.messages.push({
          channel: channel.id,
          ts: s.nextTs(at),
          text: comment ?? '',
          ...(threadTs !== undefined ? { thread_ts: threadTs } : {}),
          files: files.map((f) => f.id),
          deleted: false,
          edits: 0,
        });
      }
      return { ok: true, files: files.map((f) => ({ id: f.id, title: f.title })) };
    },
  };
}

/**
 * An upload URL from files.getUploadURLExternal. Slack takes raw bytes or a multipart form and
 * answers 200 when the upload worked, anything else when it did not. The fake also refuses
 * (400) bytes whose length differs from the declared `length`, and (410) a second upload to a
 * URL, so an adapter that miscounts bytes or reuses URLs fails here rather than in production.
 */
export async function handleUpload(s: SlackState, req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer): Promise<void> {
  const fileId = url.pathname.split('/')[3] ?? '';
  const file = s.files.find((f) => f.id === fileId && new URL(f.uploadUrl).pathname === url.pathname);
  const answer = (status: number, text: string) => {
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(text);
  };
  if (!file) return answer(404, 'not found');
  if (file.bytes !== undefined || file.completed) return answer(410, 'upload url already used');
  const contentType = String(req.headers['content-type'] ?? '');
  const part = /^multipart\/form-data/i.test(contentType) ? multipartFile(body, contentType) : { bytes: body, contentType };
  if (!part) return answer(400, 'malformed multipart body');
  if (part.bytes.length !== file.length) return answer(400, `length mismatch: declared ${file.length}, received ${part.bytes.length}`);
  file.bytes = part.bytes;
  if (part.contentType) file.uploadContentType = part.contentType;
  answer(200, `OK - ${part.bytes.length}`);
}

/**
 * The file part of a multipart/form-data body (the part with a filename, else the first one),
 * or undefined when the body is not well-formed multipart.
 */
function multipartFile(body: Buffer, contentType: string): { bytes: Buffer; contentType?: string } | undefined {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const mark = boundary?.[1] ?? boundary?.[2]?.trim();
  if (!mark) return undefined;
  const delimiter = Buffer.from(`--${mark}`);
  const parts: { headers: string; bytes: Buffer }[] = [];
  let at = body.indexOf(delimiter);
  while (at >= 0) {
    const start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, start);
    if (next < 0) return undefined;
    const part = body.subarray(start + 2, next - 2); // skip CRLF after the delimiter and before the next
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) return undefined;
    parts.push({ headers: part.subarray(0, split).toString('utf8'), bytes: part.subarray(split + 4) });
    at = next;
  }
  const file = parts.find((p) => /filename=/i.test(p.headers)) ?? parts[0];
  if (!file) return undefined;
  const type = /content-type:\s*([^\r\n]+)/i.exec(file.headers)?.[1]?.trim();
  return { bytes: Buffer.from(file.bytes), ...(type ? { contentType: type } : {}) };
}
