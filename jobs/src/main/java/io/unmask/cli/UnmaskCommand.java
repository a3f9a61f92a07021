package io.unmask.cli;

import picocli.CommandLine.Command;

/** {@code bin/unmask <command>}: the top of the command tree. */
@Command(
    name = "unmask",
    mixinStandardHelpOptions = true,
    version = "unmask 0.1.0",
    description = "Ranks platform accounts by how likely they hide a concealed identity.",
    subcommands = {
      PipelineCommand.class,
      IngestCommand.class,
      GenerateCommand.class,
      TopCommand.class,
      EvaluateCommand.class,
      CheckCommand.class,
      ReportCommand.class,
      ReviewCommand.class,
      SuggestCommand.class,
      MaintainCommand.class
    },
    footer = {
      "",
      "Spark options (--master, --conf k=v, --driver-memory) are read by bin/unmask.",
      "Exit status: 0 success, 1 failure, 2 usage error."
    })
public final class UnmaskCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "Missing command: choose one of " + spec.subcommands().keySet());
  }
}
