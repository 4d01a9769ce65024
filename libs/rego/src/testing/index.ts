export { discoverTests, type DiscoveredTest, type Discovery } from './discover';
export { runTests, runTestPaths, parseRunFilter, type TestRun, type TestResult, type TestStatus, type RunOptions } from './runner';
export { defaultToolchain, resultValue, type Toolchain, type LoadedPolicy, type CompileRequest, type CompileResult, type SourceText } from './toolchain';
