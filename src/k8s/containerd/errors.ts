/**
 * containerd failures as VigilErrors with stable codes (gRPC status → code), so callers
 * can tell "no daemon here" from "no such container" from "daemon misbehaving".
 * @module
 */
import { status as GrpcStatus, type ServiceError } from '@grpc/grpc-js';
import { VigilError } from '../../core/index.ts';

/** Stable codes of containerd client errors. */
export const CONTAINERD_ERRORS = {
  /** No socket at the configured or default paths. */
  noSocket: 'CONTAINERD_NO_SOCKET',
  /** The socket exists but nothing answers (daemon down, permission denied). */
  unavailable: 'CONTAINERD_UNAVAILABLE',
  /** The container, image or blob does not exist in that namespace. */
  notFound: 'CONTAINERD_NOT_FOUND',
  /** The call exceeded its deadline. */
  timeout: 'CONTAINERD_TIMEOUT',
  /** A malformed argument (e.g. an invalid digest). */
  invalid: 'CONTAINERD_INVALID',
  /** Any other failure reported by containerd. */
  failed: 'CONTAINERD_ERROR',
} as const;

/** Converts a gRPC error of `method` on `socket` into a VigilError. */
export function containerdError(e: unknown, socket: string, method: string): VigilError {
  if (e instanceof VigilError) return e;
  const se = e as Partial<ServiceError>;
  const detail = se.details || se.message || String(e);
  const where = { file: socket };
  switch (se.code) {
    case GrpcStatus.NOT_FOUND:
      return new VigilError(CONTAINERD_ERRORS.notFound, `containerd ${method}: not found: ${detail}`, where, { cause: e });
    case GrpcStatus.DEADLINE_EXCEEDED:
      return new VigilError(CONTAINERD_ERRORS.timeout, `containerd ${method}: no answer in time from ${socket}`, where, { cause: e });
    case GrpcStatus.UNAVAILABLE:
      return new VigilError(CONTAINERD_ERRORS.unavailable, `containerd is not answering on ${socket}: ${detail}`, where, { cause: e });
    case GrpcStatus.INVALID_ARGUMENT:
      return new VigilError(CONTAINERD_ERRORS.invalid, `containerd ${method}: ${detail}`, where, { cause: e });
    default:
      return new VigilError(CONTAINERD_ERRORS.failed, `containerd ${method}: ${detail}`, where, { cause: e });
  }
}

/** The error for "no containerd socket found". */
export function noSocketError(tried: string[]): VigilError {
  return new VigilError(
    CONTAINERD_ERRORS.noSocket,
    `no containerd socket found (tried ${tried.join(', ')}); container metadata (image, pod) stays empty. Start containerd or pass --containerd-socket`,
    { file: tried[0] },
  );
}
