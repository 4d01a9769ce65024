// Entry point of the Arbiter Wasm runtime: everything exported here is visible to the code
// generator (which keeps the OPA ABI exports and hides the rest).
export * from './mem';
export * from './abi';
export * from './b_num';
export * from './b_str';
export * from './b_coll';
export * from './b_sprintf';
export { arbiter_set_strict_builtin_errors } from './err';
