// Messaging failures are the project's one error type, `DomainError`, with these codes and details:
// a broken contract is VALIDATION (dead-lettered at once, no retries), a broker that did not confirm
// or a closed connection is DEPENDENCY_UNAVAILABLE, a misconfigured process is INTERNAL.
import { DomainError } from '@game-scheduler/domain';

export const CONTRACT_VIOLATIONS = ['UNKNOWN_TYPE', 'UNKNOWN_VERSION', 'INVALID'] as const;
export type ContractViolation = (typeof CONTRACT_VIOLATIONS)[number];

/** A message that breaks the versioned event contracts. */
export function contractError(violation: ContractViolation, message: string): DomainError {
  return new DomainError('VALIDATION', message, { details: { contract: violation } });
}

/** The violation of a contract error, or undefined for any other error. */
export function contractViolationOf(error: unknown): ContractViolation | undefined {
  if (!(error instanceof DomainError) || error.code !== 'VALIDATION') return undefined;
  const violation = error.details?.contract;
  return CONTRACT_VIOLATIONS.find((known) => known === violation);
}

/** True for errors no retry can fix: the message itself is not a valid contract. */
export function isContractError(error: unknown): error is DomainError {
  return contractViolationOf(error) !== undefined;
}

export function brokerUnavailable(message: string, cause?: unknown): DomainError {
  return new DomainError('DEPENDENCY_UNAVAILABLE', message, {
    details: { dependency: 'rabbitmq' },
    cause,
  });
}
