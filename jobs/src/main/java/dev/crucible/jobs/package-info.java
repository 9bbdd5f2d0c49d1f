/**
 * The {@code crucible} command line: one picocli command per subcommand, each a thin layer that
 * parses options, calls one library method and maps failures to exit codes (2 for usage errors, 1 for
 * bad input or failed work). Classes ending in {@code Job} are the same commands as spark-submit
 * main classes.
 */
package dev.crucible.jobs;
