/**
 * `POST /response/<id>`: the response_urls the fake mints for slash commands and interactions.
 * Slack lets each one be used five times within 30 minutes and checks Block Kit on what is sent,
 * so an adapter that replies too often or too late fails here as it would in production.
 */
import type { ServerResponse } from 'node:http';
import { validateBlocks } from './block-kit.ts';
import { nonEmpty, type SlackState } from './state.ts';
import type { ResponseUrlPost, SlackApiBody } from './types.ts';

export async function handleResponseUrl(s: SlackState, res: ServerResponse, id: string, raw: string, contentType: string): Promise<void> {
  const at = s.now();
  let body: Record<string, unknown> = {};
  let response: SlackApiBody = { ok: true };
  let status = 200;
  try {
    if (contentType.startsWith('application/x-www-form-urlencoded')) {
      const payload = new URLSearchParams(raw).get('payload');
      body = payload ? (JSON.parse(payload) as Record<string, unknown>) : {};
    } else {
      body = raw.trim() === '' ? {} : (JSON.parse(raw) as Record<string, unknown>);
    }
  } catch {
    response = { ok: false, error: 'invalid_payload' };
    status = 400;
  }
  const entry = s.responseUrls.get(id) ?? { createdAt: at, uses: 0 };
  s.responseUrls.set(id, entry);
  if (status === 200) {
    entry.uses += 1;
    const blocks = body.blocks;
    const blockErrors = blocks === undefined ? [] : validateBlocks(blocks, 'message');
    if (at - entry.createdAt > 30 * 60 * 1000) {
      status = 404;
      response = { ok: false, error: 'expired_url' };
    } else if (entry.uses > 5) {
      status = 404;
      response = { ok: false, error: 'used_url' };
    } else if (blockErrors.length > 0) {
      response = { ok: false, error: 'invalid_blocks', errors: blockErrors };
    } else if (body.delete_original !== true && nonEmpty(body.text) === undefined && !Array.isArray(blocks)) {
      response = { ok: false, error: 'no_text' };
    }
  }
  const hasBlocks = Array.isArray(body.blocks) && body.blocks.length > 0;
  const post: ResponseUrlPost = {
    seq: ++s.seq,
    id,
    url: `${s.url}/response/${id}`,
    body,
    at,
    status,
    response,
    missingTextFallback: hasBlocks && nonEmpty(body.text) === undefined,
  };
  s.responsePosts.push(post);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(response));
  s.events.emit('response', post);
}
