export { queryOutputVars } from './query-vars';
export {
  wrapQuery,
  mapQueryDiagnostics,
  toBindingSets,
  QUERY_ENTRYPOINT,
  QUERY_PACKAGE,
  QUERY_FILE,
  RESULT_KEY,
  type WrappedQuery,
  type BindingSet,
} from './wrap-query';
export { evaluateQuery, type QueryRequest, type QueryOutcome } from './evaluate-query';
