package io.unmask.cli;

import picocli.CommandLine.Option;

/**
 * {@code --config FILE}: the settings a team sets once. {@link Main} reads the file before parsing
 * (see {@link ConfigFile}); this mixin only declares the option so that it is accepted and listed.
 */
public final class ConfigOption {
  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = {
        "Settings file (Java properties): 'option-name = value' for any option of any command,",
        "or 'command.option-name = value' for one command; options on the command line win."
      })
  String file;
}
