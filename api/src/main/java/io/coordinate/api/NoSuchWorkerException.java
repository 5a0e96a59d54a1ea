package io.coordinate.api;

/** No worker with this name exists in the namespace. */
public final class NoSuchWorkerException extends NotFoundException {
  private static final long serialVersionUID = 1L;
  private final String workerName;

  public NoSuchWorkerException(String workerName) {
    super("no such worker: " + workerName);
    this.workerName = workerName;
  }

  public String workerName() {
    return workerName;
  }

  @Override
  public ErrorKind kind() {
    return ErrorKind.NO_SUCH_WORKER;
  }
}
