package io.coordinate.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.coordinate.api.data.ByteString;
import io.coordinate.api.data.Tuple;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Two daemons on one store, as an operator runs them: the CBOR-RPC locks live in the store, so a
 * lock taken through one daemon binds the clients of the other, through each daemon's cache.
 */
class SharedLocksDaemonTest {
  @TempDir Path dir;

  private static Coordinated.Running start(String... args) throws Exception {
    Coordinated daemon = new Coordinated();
    new CommandLine(daemon).parseArgs(args);
    return daemon.start();
  }

  /** Owners as text, whichever string type the daemon sent them as. */
  private static List<String> owners(Object reply) {
    return ((List<?>) reply).stream()
        .map(o -> o instanceof ByteString b ? b.toUtf8() : (String) o)
        .toList();
  }

  @Test
  void twoDaemonsOnOneStoreShareTheirLocks() throws Exception {
    String store = dir.resolve("shared").toString();
    Coordinated.Running first =
        start("--backend", store, "--cborrpc", "127.0.0.1:0", "--http", "off");
    try {
      Coordinated.Running second =
          start("--backend", store, "--cborrpc", "127.0.0.1:0", "--http", "off");
      try (Rpc one = new Rpc(first.server().address());
          Rpc other = new Rpc(second.server().address())) {
        List<?> path = List.of(ByteString.utf8("jobs"), Tuple.of("part", 3L));
        assertThat(one.call("lock", "host-1", 60L, List.of(path)))
            .isEqualTo(Arrays.asList(true, null));
        assertThat(owners(other.call("readlock", List.of(List.of("jobs", Tuple.of("part", 3L))))))
            .as("text and byte labels alike, across daemons")
            .isEqualTo(List.of("host-1"));
        List<?> refused = (List<?>) other.call("lock", "host-2", 60L, List.of(List.of("jobs")));
        assertThat(refused.get(0)).isEqualTo(false);
        List<?> foreign = (List<?>) other.call("unlock", "host-2", List.of(path));
        assertThat(foreign.get(0)).isEqualTo(false);

        assertThat(one.call("unlock", "host-1", List.of(path)))
            .isEqualTo(Arrays.asList(true, null));
        assertThat(other.call("lock", "host-2", 60L, List.of(List.of("jobs"))))
            .isEqualTo(Arrays.asList(true, null));
        assertThat(owners(one.call("readlock", List.of(List.of("jobs")))))
            .isEqualTo(List.of("host-2"));
      } finally {
        second.stop();
      }
    } finally {
      first.stop();
    }
  }
}
