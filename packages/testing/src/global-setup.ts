// vitest globalSetup for packages with integration tests: resolves the services once per run and
// hands them to every test file through provide/inject.
import type { TestProject } from 'vitest/node';
import { resolveServices, type TestServices } from './services.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    services: TestServices;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const { services, stop } = await resolveServices();
  project.provide('services', services);
  return stop;
}
