package io.coordinate.cli;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * Resolves the daemon's address, the admin token and the namespace, each from the first place
 * that sets it: the command line, then the environment, then the configuration file, then the
 * default.
 *
 * <ul>
 *   <li>address: {@code --url}, {@code $COORDINATE_URL}, {@code url=}, {@value #DEFAULT_URL}
 *   <li>token: {@code --token} or {@code --token-file}, {@code $COORDINATE_TOKEN}, {@code token=}
 *       or {@code token-file=}; none by default
 *   <li>namespace: {@code --namespace}, {@code $COORDINATE_NAMESPACE}, {@code namespace=}, ""
 * </ul>
 *
 * <p>The configuration file is a Java properties file: {@code $COORDINATE_CLI_CONFIG}, else
 * {@code $XDG_CONFIG_HOME/coordinate/cli.properties}, else {@code
 * ~/.config/coordinate/cli.properties}. Only a file named by the variable has to exist. A token
 * file holds the token on its first line.
 */
final class Configuration {
  private Configuration() {}

  /** Where the daemon's REST API listens by default. */
  static final String DEFAULT_URL = "http://127.0.0.1:5980";

  static final String URL_VARIABLE = "COORDINATE_URL";
  static final String TOKEN_VARIABLE = "COORDINATE_TOKEN";
  static final String NAMESPACE_VARIABLE = "COORDINATE_NAMESPACE";
  static final String CONFIG_VARIABLE = "COORDINATE_CLI_CONFIG";

  private static final Set<String> KEYS = Set.of("url", "token", "token-file", "namespace");

  /** What the command line said; {@code null} where it said nothing. */
  record Given(String url, String token, Path tokenFile, String namespace) {}

  /**
   * The target of a command.
   *
   * @throws CliFailure (usage) if the configuration file cannot be read or has an unknown key, a
   *     token file cannot be read, or the address is not an http(s) URL
   */
  static Target resolve(Given given, Environment env) {
    if (given.token() != null && given.tokenFile() != null) {
      throw CliFailure.usage("give either --token or --token-file, not both");
    }
    Path configPath = configPath(env);
    Properties file = load(configPath, env.variable(CONFIG_VARIABLE) != null);
    String fileLabel = "the configuration file " + configPath;

    String url;
    String urlSource;
    if (given.url() != null) {
      url = given.url();
      urlSource = "--url";
    } else if (env.variable(URL_VARIABLE) != null) {
      url = env.variable(URL_VARIABLE);
      urlSource = "$" + URL_VARIABLE;
    } else if (nonBlank(file.getProperty("url")) != null) {
      url = file.getProperty("url").strip();
      urlSource = "url= in " + fileLabel;
    } else {
      url = DEFAULT_URL;
      urlSource = "the default address";
    }

    String token = null;
    String tokenSource = "";
    if (given.token() != null) {
      token = given.token();
      tokenSource = "--token";
    } else if (given.tokenFile() != null) {
      token = readToken(given.tokenFile(), "--token-file");
      tokenSource = "--token-file " + given.tokenFile();
    } else if (env.variable(TOKEN_VARIABLE) != null) {
      token = env.variable(TOKEN_VARIABLE).strip();
      tokenSource = "$" + TOKEN_VARIABLE;
    } else if (nonBlank(file.getProperty("token")) != null) {
      token = file.getProperty("token").strip();
      tokenSource = "token= in " + fileLabel;
    } else if (nonBlank(file.getProperty("token-file")) != null) {
      Path tokenFile = Path.of(file.getProperty("token-file").strip());
      token = readToken(tokenFile, "token-file= in " + fileLabel);
      tokenSource = "token-file= in " + fileLabel;
    }
    if (token != null && token.isBlank()) {
      throw CliFailure.usage("the admin token from " + tokenSource + " is empty");
    }

    String namespace;
    if (given.namespace() != null) {
      namespace = given.namespace();
    } else if (env.variable(NAMESPACE_VARIABLE) != null) {
      namespace = env.variable(NAMESPACE_VARIABLE);
    } else {
      namespace = file.getProperty("namespace", "").strip();
    }
    return new Target(parseUrl(url, urlSource), urlSource, Optional.ofNullable(token),
        tokenSource, namespace);
  }

  /** The configuration file's path, whether it exists or not. */
  static Path configPath(Environment env) {
    String named = env.variable(CONFIG_VARIABLE);
    if (named != null) {
      return Path.of(named);
    }
    String xdg = env.variable("XDG_CONFIG_HOME");
    Path base = xdg != null ? Path.of(xdg) : env.home().resolve(".config");
    return base.resolve("coordinate").resolve("cli.properties");
  }

  private static Properties load(Path path, boolean mustExist) {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (NoSuchFileException e) {
      if (mustExist) {
        throw CliFailure.usage(
            "the configuration file " + path + " named by $" + CONFIG_VARIABLE + " does not exist");
      }
      return p;
    } catch (IOException | IllegalArgumentException e) {
      throw CliFailure.usage("cannot read the configuration file " + path + ": " + e.getMessage());
    }
    List<String> unknown =
        p.stringPropertyNames().stream().filter(k -> !KEYS.contains(k)).sorted().toList();
    if (!unknown.isEmpty()) {
      throw CliFailure.usage("unknown key " + String.join(", ", unknown)
          + " in the configuration file " + path + " (known: namespace, token, token-file, url)");
    }
    return p;
  }

  private static String readToken(Path file, String source) {
    try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
      String first = lines.findFirst().orElse("").strip();
      if (first.isEmpty()) {
        throw CliFailure.usage("the token file " + file + " (from " + source + ") is empty");
      }
      return first;
    } catch (IOException | java.io.UncheckedIOException e) {
      throw CliFailure.usage(
          "cannot read the token file " + file + " (from " + source + "): " + describe(e));
    }
  }

  private static String describe(Exception e) {
    Throwable t = e instanceof java.io.UncheckedIOException u ? u.getCause() : e;
    return t instanceof NoSuchFileException ? "no such file" : String.valueOf(t.getMessage());
  }

  private static URI parseUrl(String text, String source) {
    try {
      URI uri = new URI(text.strip());
      String scheme = uri.getScheme();
      if (scheme == null
          || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
          || uri.getHost() == null) {
        throw CliFailure.usage("the daemon's address " + text + " (from " + source
            + ") is not an http(s) URL such as " + DEFAULT_URL);
      }
      return uri;
    } catch (URISyntaxException e) {
      throw CliFailure.usage(
          "the daemon's address " + text + " (from " + source + ") is not a URL: " + e.getReason());
    }
  }

  private static String nonBlank(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
