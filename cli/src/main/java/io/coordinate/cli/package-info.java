/**
 * The {@code coordinate} command-line tool: a daemon's work specs, units and workers through the
 * remote client ({@link io.coordinate.client.RemoteCoordinate}) over the REST admin API.
 *
 * <p>How it fits together:
 *
 * <ul>
 *   <li>{@link io.coordinate.cli.CoordinateCli} is the entry point: the global options, the list
 *       of commands (adding a command is its class plus one line there), and the handlers every
 *       failure ends in.
 *   <li>Each command is a {@code DaemonCommand}: it gets a {@code Session} (one remote client,
 *       opened on first use) on the {@code Target} that {@code Configuration} resolved from the
 *       options, the environment and the configuration file.
 *   <li>{@code Failures} is the one table from exceptions ({@link io.coordinate.api.ErrorKind}
 *       and the tool's own {@code CliFailure}) to exit codes ({@code ExitCodes}) and messages.
 *   <li>{@code Environment} is everything from outside the arguments (variables, streams, whether
 *       standard error is a terminal), so tests run the tool in-process with their own.
 *   <li>Output: {@code Table} for people, {@code Json} for programs, {@code Keys} for how keys are
 *       shown and read.
 * </ul>
 */
package io.coordinate.cli;
