import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpServer } from '../../../adapters/http/server.ts';
import { startWorld, type World } from './world.ts';

/** An orchestrator must see a Discord-only bot as not ready while its gateway is down. */
describe('/readyz on Discord', () => {
  let world: World | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  it('reports the gateway connected once ready, and not connected after it closed', async () => {
    const http = createHttpServer({ log: pino({ level: 'silent' }), port: 0 });
    world = await startWorld({ http });
    expect(await http.readiness()).toMatchObject({ ready: true, checks: { discord: 'ok' } });
    await world.adapter.client.destroy();
    expect(await http.readiness()).toMatchObject({ ready: false, checks: { discord: 'gateway not connected' } });
  });
});
