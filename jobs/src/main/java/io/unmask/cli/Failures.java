package io.unmask.cli;

import io.unmask.ingest.IngestJob;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns a failed command into exit status 1 (2 for a bad option value found while running) with a
 * one-line cause as the last line of output; the stack trace only with {@code --verbose}; both
 * masked for personal data ({@link Redaction}).
 */
final class Failures implements IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parsed) {
    boolean verbose = parsed.expandedArgs().contains("--verbose");
    if (verbose) {
      java.io.StringWriter trace = new java.io.StringWriter();
      ex.printStackTrace(new java.io.PrintWriter(trace));
      cl.getErr().print(Redaction.mask(trace.toString()));
    }
    String cause = Redaction.mask(oneLine(ex));
    // A bad option value found while running (e.g. an --input that does not exist) is a usage
    // error.
    int code = ex instanceof UsageException || cause.startsWith("Invalid --") ? 2 : 1;
    cl.getErr().println("unmask " + cl.getCommandName() + ": error: " + cause);
    if (code == 2) {
      cl.getErr().println("Try 'bin/unmask " + cl.getCommandName() + " --help'.");
    }
    cl.getErr().flush();
    return code;
  }

  /** A usage error: names the bad option (unknown ones first), points at --help, exit 2. */
  static int usage(CommandLine.ParameterException ex, String[] args) {
    CommandLine cl = ex.getCommandLine();
    java.util.List<String> unknown =
        cl.getParseResult() == null ? java.util.List.of() : cl.getParseResult().unmatched();
    String msg =
        unknown.isEmpty()
            ? ex.getMessage()
            : "unknown option or argument '" + String.join("' '", unknown) + "'";
    String name = cl.getCommandName().equals("unmask") ? "" : cl.getCommandName() + " ";
    cl.getErr().println("unmask " + name + "usage error: " + msg);
    cl.getErr().println("Try 'bin/unmask " + name + "--help'.");
    cl.getErr().flush();
    return 2;
  }

  static String oneLine(Throwable ex) {
    Throwable t = ex;
    if (!(t instanceof IngestJob.InputException) && !(t instanceof UsageException)) {
      while (t.getCause() != null && t.getCause() != t) {
        t = t.getCause();
      }
    }
    String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    int nl = msg.indexOf('\n');
    return nl < 0 ? msg : msg.substring(0, nl);
  }
}
