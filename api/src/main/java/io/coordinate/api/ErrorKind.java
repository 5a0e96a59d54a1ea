package io.coordinate.api;

/**
 * What went wrong, as a closed set. Each layer (RPC, REST, CLI) maps these to its own error form in
 * one table, so a new exception type never needs case-by-case handling elsewhere.
 */
public enum ErrorKind {
  /** The named work spec does not exist. */
  NO_SUCH_WORK_SPEC,
  /** The named work unit does not exist in its work spec. */
  NO_SUCH_WORK_UNIT,
  /** The named worker does not exist. */
  NO_SUCH_WORKER,
  /** The object existed when this handle was obtained but has since been deleted. */
  GONE,
  /** The attempt is no longer the active attempt of its work unit. */
  LOST_LEASE,
  /** The attempt is not in a state that allows the requested transition. */
  NOT_PENDING,
  /** A work spec definition is malformed. */
  INVALID_WORK_SPEC,
  /** Any other argument is malformed or out of range. */
  INVALID_REQUEST,
  /** The storage behind the backend cannot be reached or failed. */
  BACKEND_UNAVAILABLE,
  /** The request's deadline passed before the backend could serve it; nothing was changed. */
  REQUEST_TIMEOUT,
  /** The store is in maintenance mode, which refuses this change for now. */
  MAINTENANCE
}
