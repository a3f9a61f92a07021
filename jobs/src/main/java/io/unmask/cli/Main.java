package io.unmask.cli;

import java.util.Arrays;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import picocli.CommandLine;

/** Entry point for spark-submit: {@code --class io.unmask.cli.Main app.jar <command> ...}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    boolean verbose = Arrays.asList(args).contains("--verbose");
    quietLogs(verbose);
    System.exit(run(args));
  }

  /** Parses and runs {@code args} (after reading {@code --config FILE}); returns the exit code. */
  static int run(String[] args) {
    CommandLine cl = commandLine();
    try {
      String config = ConfigFile.argument(args);
      if (config != null) {
        cl.setDefaultValueProvider(ConfigFile.load(config, cl));
      }
    } catch (UsageException e) {
      cl.getErr().println("unmask: usage error: " + e.getMessage());
      cl.getErr().flush();
      return 2;
    }
    return cl.execute(args);
  }

  /** The command line with Unmask's exit codes: 0 ok, 1 failure, 2 usage error. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new UnmaskCommand());
    cl.setExecutionExceptionHandler(new Failures());
    cl.setParameterExceptionHandler(Failures::usage);
    return cl;
  }

  /** Spark's INFO noise off unless --verbose: a command prints one line per stage itself. */
  static void quietLogs(boolean verbose) {
    // Delta's INFO lines print column statistics of the tables (personal data): never shown.
    Configurator.setLevel("org.apache.spark.sql.delta", verbose ? Level.WARN : Level.ERROR);
    if (verbose) {
      return;
    }
    Configurator.setRootLevel(Level.WARN);
    for (String noisy :
        new String[] {
          "org.apache.hadoop.util.NativeCodeLoader",
          "org.apache.spark.util.Utils",
          "org.apache.spark.sql.catalyst.util.SparkStringUtils",
          "org.apache.spark.storage.BlockManager",
          "org.apache.spark.sql.delta",
          "org.apache.hadoop.fs.FileSystem",
          "org.apache.spark.network.util.JavaUtils",
          "org.apache.spark.sql.execution.window.WindowExec",
          "org.apache.spark.scheduler.DAGScheduler",
          // MLlib's BLAS/LAPACK/ARPACK loaders warn when no native library is installed (the
          // Java fallback is used: nothing for the user to do)
          NETLIB
        }) {
      Configurator.setLevel(noisy, Level.ERROR);
    }
    // netlib logs through java.util.logging (bridged to log4j by Spark): quiet it at the source
    // too; the logger is held here so that its level is not lost to garbage collection
    NETLIB_JUL.setLevel(java.util.logging.Level.SEVERE);
  }

  /** The loggers of MLlib's BLAS, LAPACK and ARPACK loaders (dev.ludovic.netlib.*). */
  static final String NETLIB = "dev.ludovic.netlib";

  private static final java.util.logging.Logger NETLIB_JUL =
      java.util.logging.Logger.getLogger(NETLIB);
}
