package io.unmask.cli;

import io.unmask.common.Progress;
import io.unmask.generate.GenerateJob;
import io.unmask.generate.OutputFormat;
import io.unmask.generate.Scenario;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code generate}: a synthetic platform data set in the contract's input format, with truth. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description =
        "Writes synthetic profiles, logins, payments and labels under --output (one folder of"
            + " part files per table) and the ground truth under --output/_truth. Same seed, same"
            + " bytes. With --daily DAYS the same data arrive as one export per UTC day,"
            + " --output/<yyyy-mm-dd>/<table>: the first day a snapshot, the later days"
            + " increments (new events, a few late or delivered twice, new and changed profiles,"
            + " new labels), listed in --output/_days.json.")
public final class GenerateCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

  @Option(
      names = "--verbose",
      description = "Show Spark's own logging and stack traces of failures.")
  boolean verbose;

  @Option(names = "--output", required = true, paramLabel = "DIR", description = "Output folder.")
  String output;

  @Option(
      names = "--accounts",
      paramLabel = "N",
      defaultValue = "10000",
      description = "Number of accounts (default: ${DEFAULT-VALUE}).")
  long accounts;

  @Option(
      names = "--seed",
      paramLabel = "S",
      defaultValue = "42",
      description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--scenario",
      paramLabel = "NAME",
      defaultValue = "standard",
      description = "standard, evasive, realistic or dirty (default: ${DEFAULT-VALUE}).")
  String scenario;

  @Option(
      names = "--format",
      paramLabel = "F",
      defaultValue = "csv",
      description = "csv, jsonl or parquet (default: ${DEFAULT-VALUE}; csv and jsonl are gzipped).")
  String format;

  @Option(
      names = "--logins-per-account",
      paramLabel = "M",
      defaultValue = "100",
      description =
          "Mean sign-ins per account over the year of history (default: ${DEFAULT-VALUE}).")
  double loginsPerAccount;

  @Option(
      names = "--accounts-per-file",
      paramLabel = "K",
      defaultValue = "20000",
      description = "Accounts per part file; sets the number of files (default: ${DEFAULT-VALUE}).")
  int accountsPerFile;

  @Option(names = "--overwrite", description = "Replace the tables of a non-empty --output.")
  boolean overwrite;

  @Option(
      names = "--daily",
      paramLabel = "DAYS",
      description =
          "Write DAYS daily exports ending on the last day of the history, --output/<yyyy-mm-dd>/:"
              + " the first a snapshot, the others increments (2 to 365; csv or jsonl, not with"
              + " --scenario dirty).")
  Integer daily;

  @Override
  public Integer call() {
    GenerateJob.Options o;
    try {
      o =
          new GenerateJob.Options(
              output,
              accounts,
              seed,
              Scenario.parse(scenario),
              OutputFormat.parse(format),
              loginsPerAccount,
              accountsPerFile,
              overwrite);
      if (accounts < 1 || accountsPerFile < 1 || loginsPerAccount < 0) {
        throw new IllegalArgumentException(
            "--accounts and --accounts-per-file must be positive, --logins-per-account not negative");
      }
      if (daily != null) {
        if (daily < 2 || daily > 365) {
          throw new IllegalArgumentException(
              "--daily must be between 2 and 365 days (got " + daily + ")");
        }
        if (o.scenario() == Scenario.DIRTY) {
          throw new IllegalArgumentException("--daily cannot be combined with --scenario dirty");
        }
        if (o.format() == OutputFormat.PARQUET) {
          throw new IllegalArgumentException("--daily writes csv or jsonl, not --format parquet");
        }
      }
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    SparkSession spark = Sessions.open("unmask generate");
    try {
      GenerateJob.run(spark, o, daily == null ? 0 : daily, Progress.stdout().watch(spark, 30_000));
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    return 0;
  }
}
