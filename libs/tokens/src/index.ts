export * from './options';
export * from './token-verifier';
export { mapJoseError, type TokenError } from './error-mapping';
export { RemoteKeySet, KeysUnavailableError, type RemoteKeySetOptions } from './remote-key-set';
