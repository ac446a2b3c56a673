// Builders of every webhook Meta posts (cloud-api.md §2). Exported so tests of other programs can
// build fixtures and post them with `Simulator.sendWebhook`.
export * from './envelope.ts';
export * from './messages.ts';
export * from './statuses.ts';
export * from './business.ts';
