export * from './ports';
export * from './request-schema';
export * from './request-validator';
export * from './policy-input';
export * from './decide.use-case';
