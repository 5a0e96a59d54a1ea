package io.coordinate.cli;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A file or standard input ({@code -}) to read, counting the bytes read so far (for progress).
 * Closing it closes a file and leaves standard input open.
 */
final class Input extends FilterInputStream {
  private final String name;
  private final long size;
  private final boolean owned;
  private long read;

  private Input(InputStream in, String name, long size, boolean owned) {
    super(in);
    this.name = name;
    this.size = size;
    this.owned = owned;
  }

  /**
   * Opens {@code argument}: a path, or {@code -} for standard input.
   *
   * @throws CliFailure (failed) if the file cannot be opened
   */
  static Input open(String argument, Environment env) {
    if (argument.equals("-")) {
      return new Input(env.in(), "standard input", -1, false);
    }
    Path path = Path.of(argument);
    try {
      long size = Files.isRegularFile(path) ? Files.size(path) : -1;
      return new Input(Files.newInputStream(path), argument, size, true);
    } catch (NoSuchFileException e) {
      throw CliFailure.failed("cannot read " + argument + ": no such file");
    } catch (IOException e) {
      throw CliFailure.failed("cannot read " + argument + ": " + e.getMessage(), e);
    }
  }

  /** "standard input" or the path given. */
  String name() {
    return name;
  }

  /** The size in bytes, or -1 when not known in advance (standard input, a pipe). */
  long size() {
    return size;
  }

  /** Bytes read so far. */
  long bytesRead() {
    return read;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      read++;
    }
    return b;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    int n = super.read(buffer, offset, length);
    if (n > 0) {
      read += n;
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = super.skip(n);
    read += skipped;
    return skipped;
  }

  @Override
  public void close() throws IOException {
    if (owned) {
      super.close();
    }
  }
}
