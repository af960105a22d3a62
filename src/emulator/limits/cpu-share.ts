/**
 * Lambda's CPU rule: an environment gets memory/1,769 of a vCPU (1,769 MB = one vCPU), up to 6
 * vCPUs at 10,240 MB (AWS configuration-memory docs). Locally it is also capped at the host's cores.
 */
import { availableParallelism } from 'node:os';

export const MB_PER_VCPU = 1769;
export const MAX_VCPUS = 6;

/** The CPU share in cores (fractional) for a memory size in MB. */
export function cpuShare(memoryMB: number, hostCores: number = availableParallelism()): number {
  return Math.min(memoryMB / MB_PER_VCPU, MAX_VCPUS, hostCores);
}
