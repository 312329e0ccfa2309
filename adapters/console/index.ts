import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { App, Logger, ManualClock } from '../../src/index.ts';
import type { ConsolePort } from './port.ts';
import type { ConsoleSession } from './session.ts';
import { CONSOLE_HELP } from './session.ts';

export { ConsolePort } from './port.ts';
export { ConsoleSession } from './session.ts';

/**
 * Runs the console: interactive with a prompt when stdin is a terminal; when it
 * is a file or pipe, replays every line in order and resolves at the end.
 */
export async function runConsole(options: {
  app: App;
  port: ConsolePort;
  session: ConsoleSession;
  clock: ManualClock;
  input: Readable & { isTTY?: boolean };
  output: Writable;
  log: Logger;
}): Promise<void> {
  const { app, session, input, output } = options;
  const interactive = input.isTTY === true;
  const rl = createInterface({ input, output: interactive ? output : undefined, terminal: interactive });
  if (interactive) {
    output.write(`Circulate console. ${CONSOLE_HELP.split('\n')[0]} Type :help for more.\n`);
    rl.setPrompt('circulate> ');
    rl.prompt();
  }
  const stop = interactive ? app.startBackground() : () => undefined;
  // Lines are handled strictly one after another, even when they arrive faster.
  let chain = Promise.resolve();
  await new Promise<void>((resolve) => {
    rl.on('line', (line) => {
      chain = chain
        .then(() => session.handleLine(line))
        .catch((err: unknown) => options.log.error({ err }, 'console line failed'))
        .then(() => {
          if (interactive) rl.prompt();
        });
    });
    rl.on('close', () => void chain.then(resolve));
  });
  stop();
}
