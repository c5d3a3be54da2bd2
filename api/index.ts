/**
 * The package's public surface for the HTTP API (`import … from 'cs-cases/api'`): `buildApp` over a
 * Temporal client that uses the same encryption keyring as the workers, and the API-key loader.
 */
export { buildApp, type BuildAppDeps } from './app';
export { loadApiKeys, createApiKeyStore, sha256Hex, type ApiKey, type ApiKeyStore } from './auth';
export { apiConfigFrom, type ApiConfig } from './main';
