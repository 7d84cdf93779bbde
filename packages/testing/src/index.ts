export {
  resolveServices,
  servicesFromEnvironment,
  missingServicesMessage,
  type TestServices,
} from './services.ts';
export { createTestDatabase, type TestDatabase } from './database.ts';
export { uniqueName } from './unique-name.ts';
export { eventually } from './eventually.ts';
export { getServices } from './inject.ts';
export {
  includedFiles,
  interpolate,
  interpolatedVariables,
  loadComposeProject,
  parseComposeText,
  serviceEnvironment,
  type ComposeDocument,
  type ComposeService,
} from './compose-file.ts';
export {
  appDirectory,
  freePort,
  runToExit,
  spawnService,
  startService,
  type ProcessRun,
  type ServiceProcess,
  type ServiceProcessOptions,
} from './service-process.ts';
