import type { Message } from '../../src/index.ts';
import { LIMITS, renderBlocks, type SlackBlock } from './render.ts';

/**
 * The App Home tab: the core's home message as a `views.publish` home view,
 * within the 100-block limit. Its buttons reach the core like any other.
 */
export function homeView(home: Message): SlackBlock {
  const blocks = renderBlocks(home, LIMITS.viewBlocks);
  return { type: 'home', blocks: blocks.length ? blocks : [{ type: 'section', text: { type: 'mrkdwn', text: ' ' } }] };
}
