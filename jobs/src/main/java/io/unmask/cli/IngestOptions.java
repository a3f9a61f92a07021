package io.unmask.cli;

import io.unmask.ingest.IngestJob;
import io.unmask.ingest.Store;
import java.time.Duration;
import java.time.LocalDate;
import picocli.CommandLine.Option;

/** The ingest settings shared by {@code ingest} and {@code pipeline}. */
public final class IngestOptions {
  @Option(
      names = "--replace-reference",
      description =
          "A user's ip_ranges / sanctioned_addresses replace the shipped lists instead of"
              + " extending them.")
  boolean replaceReference;

  @Option(
      names = "--clock-skew-minutes",
      paramLabel = "N",
      defaultValue = "60",
      description = {
        "Events up to N minutes after the end of the run's day are accepted; later ones are",
        "quarantined as future_timestamp:<col> (default: ${DEFAULT-VALUE})."
      })
  long clockSkewMinutes;

  @Option(
      names = "--mode",
      paramLabel = "MODE",
      defaultValue = "snapshot",
      description = {
        "snapshot: the input is the whole history (the first load; the default); increment: the",
        "day's new and changed rows. Either way each event is stored once (default: ${DEFAULT-VALUE})."
      })
  String mode;

  IngestJob.Options options(String input, String warehouse, LocalDate asOf, String runId) {
    if (clockSkewMinutes < 0) {
      throw new UsageException(
          "Invalid --clock-skew-minutes: " + clockSkewMinutes + " (must be 0 or more)");
    }
    Store.Mode m;
    try {
      m = Store.Mode.parse(mode);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    return new IngestJob.Options(
        input, warehouse, asOf, runId, replaceReference, Duration.ofMinutes(clockSkewMinutes), m);
  }
}
