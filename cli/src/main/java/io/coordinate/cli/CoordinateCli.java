package io.coordinate.cli;

import io.coordinate.api.WorkUnitStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code coordinate} command: operates a Coordinate daemon's work specs, units and workers
 * through its REST admin API. The global options below apply to every command, before or after
 * its name. docs/cli.md describes each command, the configuration and the exit codes ({@link
 * ExitCodes}).
 */
@Command(
    name = "coordinate",
    mixinStandardHelpOptions = true,
    versionProvider = CoordinateCli.Version.class,
    scope = ScopeType.INHERIT,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = "Operates a Coordinate daemon (coordinated) through its REST admin API.",
    footerHeading = "%nExit codes:%n",
    footer = {
      "  0  done",
      "  1  the request failed: no such work spec or unit, a conflict, invalid input",
      "  2  usage or configuration error",
      "  3  the daemon cannot be reached or its store is unavailable",
      "  4  the daemon refused the admin token, or needs one",
      "  5  the store is in maintenance mode and refused a change"
    },
    // The command registry: one line per command.
    subcommands = {
      SummaryCommand.class,
      WorkSpecsCommand.class,
      AddSpecCommand.class,
      DeleteSpecCommand.class,
      PauseCommand.class,
      ResumeCommand.class,
      RateLimitCommand.class,
      RetentionCommand.class,
      ArchiveCommand.class,
      AddUnitsCommand.class,
      UnitsCommand.class,
      UnitCommand.class,
      RetryCommand.class,
      PrioritizeCommand.class,
      DeleteCommand.class,
      WorkersCommand.class,
      MaintenanceCommand.class,
      ExportCommand.class,
      ImportCommand.class,
    })
public final class CoordinateCli implements Callable<Integer> {

  @Option(
      names = "--url",
      paramLabel = "URL",
      scope = ScopeType.INHERIT,
      description = "the daemon's REST address (default: $COORDINATE_URL, url= in the"
          + " configuration file, else " + Configuration.DEFAULT_URL + ")")
  String url;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      scope = ScopeType.INHERIT,
      description = "the daemon's admin token (default: $COORDINATE_TOKEN, token= or token-file="
          + " in the configuration file); --token-file keeps it out of the process list")
  String token;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      scope = ScopeType.INHERIT,
      description = "a file whose first line is the admin token")
  Path tokenFile;

  @Option(
      names = {"-n", "--namespace"},
      paramLabel = "NAME",
      scope = ScopeType.INHERIT,
      description = "the namespace (default: $COORDINATE_NAMESPACE, namespace= in the"
          + " configuration file, else the default namespace \"\")")
  String namespace;

  @Option(
      names = "--json",
      scope = ScopeType.INHERIT,
      description = "machine-readable output: one JSON document, or JSON lines for listings")
  boolean json;

  @Option(
      names = {"-v", "--verbose"},
      scope = ScopeType.INHERIT,
      description = "show the stack trace of an error")
  boolean verbose;

  @Spec CommandSpec spec;

  private final Environment env;
  private final PrintWriter out;
  private final PrintWriter err;
  private Target target;

  CoordinateCli(Environment env) {
    this.env = env;
    this.out = new PrintWriter(env.out(), false);
    this.err = new PrintWriter(env.err(), true);
  }

  /** Runs the tool and exits with its exit code. */
  public static void main(String[] args) {
    System.exit(run(Environment.system(), args));
  }

  /** Runs the tool in {@code env}; returns the exit code. */
  static int run(Environment env, String... args) {
    CoordinateCli root = new CoordinateCli(env);
    CommandLine cli = new CommandLine(root);
    cli.setOut(root.out);
    cli.setErr(root.err);
    cli.registerConverter(WorkUnitStatus.class, CoordinateCli::status);
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> root.fail(e));
    cli.setParameterExceptionHandler(root::usageError);
    try {
      return cli.execute(args);
    } finally {
      root.out.flush();
      root.err.flush();
    }
  }

  private int fail(Exception e) {
    out.flush();
    Failures.Outcome outcome = Failures.of(e, target);
    err.println("error: " + outcome.message());
    if (verbose) {
      e.printStackTrace(err);
    }
    return outcome.exitCode();
  }

  /**
   * A usage error in a few lines: the message, a suggestion for a mistyped name, and where the
   * help is; only without a command is the whole usage (the list of commands) shown.
   */
  private int usageError(CommandLine.ParameterException e, String[] args) {
    out.flush();
    CommandLine command = e.getCommandLine();
    String message = e.getMessage();
    err.println("error: " + (message.startsWith("Error: ") ? message.substring(7) : message));
    if (command.getCommandSpec() == spec && e.getMessage().equals(NO_COMMAND)) {
      command.usage(err);
    } else {
      CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
      err.println("'" + command.getCommandSpec().qualifiedName() + " --help' shows the usage");
    }
    return ExitCodes.USAGE;
  }

  private static final String NO_COMMAND = "name a command";

  /** A status as the REST API and the tables spell it, in any case. */
  private static WorkUnitStatus status(String text) {
    try {
      return WorkUnitStatus.valueOf(text.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.TypeConversionException(
          "expected available, pending, finished, failed or delayed, not '" + text + "'");
    }
  }

  /** Without a command: the usage, as a usage error. */
  @Override
  public Integer call() {
    throw new CommandLine.ParameterException(spec.commandLine(), NO_COMMAND);
  }

  // ------------------------------------------------------------------ for the commands

  Environment env() {
    return env;
  }

  PrintWriter out() {
    return out;
  }

  PrintWriter err() {
    return err;
  }

  boolean json() {
    return json;
  }

  /** The daemon, token and namespace, resolved once (see {@link Configuration}). */
  Target target() {
    if (target == null) {
      target = Configuration.resolve(
          new Configuration.Given(url, token, tokenFile, namespace), env);
    }
    return target;
  }

  /** Reads the version that the build wrote into version.properties. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      Properties p = new Properties();
      try (InputStream in = CoordinateCli.class.getResourceAsStream("version.properties")) {
        if (in != null) {
          p.load(in);
        }
      }
      return new String[] {"coordinate " + p.getProperty("version", "(unknown version)")};
    }
  }
}
