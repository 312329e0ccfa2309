/**
 * One import for end-to-end tests of the Slack adapter: the fake Web API, the signed-request
 * builders, the Block Kit validator and the shared fake identities.
 */
export * from './defaults.ts';
export * from './block-kit.ts';
export * from './rate-limit.ts';
export * from './web-api.ts';
export * from './signing.ts';
