package io.coordinate.api;

/** No work spec with this name exists in the namespace. */
public final class NoSuchWorkSpecException extends NotFoundException {
  private static final long serialVersionUID = 1L;
  private final String workSpecName;

  public NoSuchWorkSpecException(String workSpecName) {
    super("no such work spec: " + workSpecName);
    this.workSpecName = workSpecName;
  }

  public String workSpecName() {
    return workSpecName;
  }

  @Override
  public ErrorKind kind() {
    return ErrorKind.NO_SUCH_WORK_SPEC;
  }
}
