export { runConformance, formatReport, LOADERS, type Loader, type ConformanceReport, type FolderReport, type ConformanceOptions } from './runner';
export { runCase, errorCode, type Verdict } from './run-case';
export { loadCaseFiles, readCaseFile, type ConformanceCase, type CaseFile } from './cases';
export { bindingsEqual, valueEqual, compareValues } from './compare';
export { inputTermToJson } from './input-term';
