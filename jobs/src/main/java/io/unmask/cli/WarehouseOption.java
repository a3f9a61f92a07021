package io.unmask.cli;

import picocli.CommandLine.Option;

/** {@code --warehouse DIR}, shared by every command that reads or writes the Delta tables. */
public final class WarehouseOption {
  @Option(
      names = "--warehouse",
      required = true,
      paramLabel = "DIR",
      description = "Where the Delta tables live (local path, hdfs://, s3a://, ...).")
  String dir;
}
