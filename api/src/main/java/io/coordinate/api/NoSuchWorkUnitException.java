package io.coordinate.api;

/** No work unit with this key exists in the work spec. */
public final class NoSuchWorkUnitException extends NotFoundException {
  private static final long serialVersionUID = 1L;
  private final String workSpecName;
  private final WorkUnitKey key;

  public NoSuchWorkUnitException(String workSpecName, WorkUnitKey key) {
    super("no such work unit: " + key + " in work spec " + workSpecName);
    this.workSpecName = workSpecName;
    this.key = key;
  }

  public String workSpecName() {
    return workSpecName;
  }

  public WorkUnitKey key() {
    return key;
  }

  @Override
  public ErrorKind kind() {
    return ErrorKind.NO_SUCH_WORK_UNIT;
  }
}
