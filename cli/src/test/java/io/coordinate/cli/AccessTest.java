package io.coordinate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.coordinate.memory.MemoryCoordinate;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the address, token and namespace come from, and how the tool fails when the daemon refuses
 * the token or cannot be reached: exit codes and messages, never a stack trace.
 */
class AccessTest {
  @TempDir Path home;

  TestDaemon daemon;

  @BeforeEach
  void startDaemon() {
    daemon = TestDaemon.start(MemoryCoordinate.create());
    daemon.backend().namespace("").setWorkSpec(Map.of("name", "s"));
  }

  @AfterEach
  void stopDaemon() {
    daemon.close();
  }

  /** A tool with no configuration at all but the daemon's address. */
  Cli bare() {
    return new Cli(home).env(Configuration.URL_VARIABLE, daemon.url());
  }

  boolean paused() {
    return daemon.backend().namespace("").workSpec("s").meta(false).paused();
  }

  @Test
  void theTokenComesFromTheOptionTheEnvironmentOrATokenFile() throws IOException {
    assertThat(bare().run("pause", "s", "--token", TestDaemon.TOKEN).exitCode()).isZero();
    assertThat(paused()).isTrue();
    assertThat(bare().env(Configuration.TOKEN_VARIABLE, TestDaemon.TOKEN).run("resume", "s")
        .exitCode()).isZero();
    assertThat(paused()).isFalse();
    Path tokenFile = home.resolve("token");
    Files.writeString(tokenFile, TestDaemon.TOKEN + "\nignored second line\n");
    assertThat(bare().run("--token-file", tokenFile.toString(), "pause", "s").exitCode()).isZero();
    assertThat(paused()).isTrue();
    // The option wins over the environment.
    Cli.Result r = bare().env(Configuration.TOKEN_VARIABLE, "wrong")
        .run("resume", "s", "--token", TestDaemon.TOKEN);
    assertThat(r.exitCode()).as(r.toString()).isZero();
  }

  @Test
  void theConfigurationFileGivesAddressTokenAndNamespace() throws IOException {
    daemon.backend().namespace("team").setWorkSpec(Map.of("name", "t"));
    Path config = home.resolve(".config/coordinate/cli.properties");
    Files.createDirectories(config.getParent());
    Files.writeString(config, "url=" + daemon.url() + "\ntoken=" + TestDaemon.TOKEN
        + "\nnamespace=team\n");
    Cli cli = new Cli(home);
    Cli.Result r = cli.run("pause", "t");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(daemon.backend().namespace("team").workSpec("t").meta(false).paused()).isTrue();

    // $COORDINATE_CLI_CONFIG names another file; a token-file= key reads the token from a file.
    Path tokenFile = home.resolve("t.token");
    Files.writeString(tokenFile, TestDaemon.TOKEN);
    Path other = home.resolve("other.properties");
    Files.writeString(other, "url=" + daemon.url() + "\ntoken-file=" + tokenFile + "\n");
    Cli.Result viaVariable = new Cli(home).env(Configuration.CONFIG_VARIABLE, other.toString())
        .run("pause", "s");
    assertThat(viaVariable.exitCode()).as(viaVariable.toString()).isZero();
    assertThat(paused()).isTrue();

    // The environment wins over the file.
    Cli.Result wrongEnv = new Cli(home).env(Configuration.TOKEN_VARIABLE, "wrong").run("pause", "t");
    assertThat(wrongEnv.exitCode()).isEqualTo(ExitCodes.UNAUTHORIZED);
    assertThat(wrongEnv.err()).contains("from $COORDINATE_TOKEN");
  }

  @Test
  void aBadConfigurationIsAUsageError() throws IOException {
    Cli.Result missing = bare().env(Configuration.CONFIG_VARIABLE, home.resolve("nope").toString())
        .run("summary");
    assertThat(missing.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(missing.err()).startsWith("error: the configuration file ")
        .contains("named by $COORDINATE_CLI_CONFIG does not exist");

    Path typo = home.resolve("typo.properties");
    Files.writeString(typo, "tokn=x\n");
    Cli.Result unknown = bare().env(Configuration.CONFIG_VARIABLE, typo.toString()).run("summary");
    assertThat(unknown.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(unknown.err()).contains("unknown key tokn");

    Cli.Result both = bare().run("summary", "--token", "a", "--token-file", typo.toString());
    assertThat(both.exitCode()).isEqualTo(ExitCodes.USAGE);

    Cli.Result badUrl = bare().run("summary", "--url", "ftp://host/");
    assertThat(badUrl.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(badUrl.err()).contains("ftp://host/ (from --url) is not an http(s) URL");

    Cli.Result noTokenFile = bare().run("summary", "--token-file", home.resolve("x").toString());
    assertThat(noTokenFile.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(noTokenFile.err()).contains("no such file");
  }

  @Test
  void aWrongOrMissingTokenIsExitFour() {
    Cli.Result wrong = bare().run("pause", "s", "--token", "guess");
    assertThat(wrong.exitCode()).isEqualTo(ExitCodes.UNAUTHORIZED);
    assertThat(wrong.err()).isEqualTo("error: the daemon at " + daemon.url()
        + " refused the admin token from --token (401 unauthorized)\n");
    assertThat(wrong.out()).isEmpty();

    Cli.Result none = bare().run("pause", "s");
    assertThat(none.exitCode()).isEqualTo(ExitCodes.UNAUTHORIZED);
    assertThat(none.err()).startsWith("error: the daemon at " + daemon.url()
        + " needs an admin token: pass --token-file FILE or --token TOKEN");
    assertThat(paused()).isFalse();
  }

  @Test
  void anUnreachableDaemonIsExitThree() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // free again once closed: nothing listens there
    }
    Cli.Result r = new Cli(home).run("summary", "--url", "http://127.0.0.1:" + port);
    assertThat(r.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(r.err()).isEqualTo("error: cannot reach the daemon at http://127.0.0.1:" + port
        + " (from --url): connection refused; is the daemon running, and is this its REST"
        + " address (coordinated --http)?\n");

    Cli.Result verbose = new Cli(home).env(Configuration.URL_VARIABLE, "http://127.0.0.1:" + port)
        .run("summary", "--verbose");
    assertThat(verbose.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(verbose.err()).contains("(from $COORDINATE_URL)")
        .contains("BackendUnavailableException").contains("\tat ");
  }

  @Test
  void usageVersionAndHelp() {
    Cli.Result nothing = bare().run();
    assertThat(nothing.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(nothing.err()).contains("name a command").contains("Usage: coordinate");

    Cli.Result version = bare().run("--version");
    assertThat(version.exitCode()).isZero();
    assertThat(version.out()).matches("coordinate \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\n");

    Cli.Result help = bare().run("--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).contains("summary", "work-specs", "add-spec", "add-units", "units",
        "unit", "retry", "prioritize", "delete", "delete-spec", "pause", "resume", "workers",
        "Exit codes:");
    Cli.Result subHelp = bare().run("units", "--help");
    assertThat(subHelp.exitCode()).isZero();
    assertThat(subHelp.out()).contains("--status", "--after", "--key-base64", "--url", "--json");

    Cli.Result unknown = bare().run("summary", "--bogus");
    assertThat(unknown.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(unknown.err()).contains("Unknown option: '--bogus'");
  }
}
