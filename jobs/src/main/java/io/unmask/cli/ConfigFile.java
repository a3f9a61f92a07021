package io.unmask.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import picocli.CommandLine;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A settings file as picocli defaults: {@code --config FILE} is a Java properties file whose keys
 * are option names without the leading dashes ({@code warehouse}, {@code ip-hub-accounts}, {@code
 * max-quarantine-share}), valid for every command that has that option, or prefixed by one
 * command's name ({@code pipeline.min-positives}) to apply to it alone. An option given on the
 * command line always wins; a key that no command knows is a usage error (a typo must not silently
 * leave a threshold at its default). Per-run values ({@code as-of}, {@code run-id}) cannot be set.
 */
final class ConfigFile implements IDefaultValueProvider {
  /** Options that describe one run or the file itself, not a team's standing settings. */
  static final Set<String> NOT_SETTABLE = Set.of("config", "help", "version", "as-of", "run-id");

  private final String file;
  private final Map<String, String> values;

  private ConfigFile(String file, Map<String, String> values) {
    this.file = file;
    this.values = values;
  }

  /** The value of {@code --config} in {@code args} ({@code --config F} or {@code --config=F}). */
  static String argument(String[] args) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config")) {
        if (i + 1 >= args.length) {
          throw new UsageException("Invalid --config: missing FILE");
        }
        return args[i + 1];
      }
      if (args[i].startsWith("--config=")) {
        return args[i].substring("--config=".length());
      }
    }
    return null;
  }

  /** Reads {@code file} (a local path or a Hadoop URI such as s3a://) and checks its keys. */
  static ConfigFile load(String file, CommandLine root) {
    Properties p = new Properties();
    try (InputStream in = open(file)) {
      p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
    } catch (java.io.FileNotFoundException | java.nio.file.NoSuchFileException e) {
      throw new UsageException("Invalid --config: " + file + " does not exist");
    } catch (IOException | IllegalArgumentException e) {
      throw new UsageException("Invalid --config: cannot read " + file + ": " + e.getMessage());
    }
    Map<String, Set<String>> known = optionsByCommand(root);
    Set<String> anyCommand = new TreeSet<>();
    known.values().forEach(anyCommand::addAll);
    Map<String, String> values = new TreeMap<>();
    for (String key : p.stringPropertyNames()) {
      String k = key.trim();
      int dot = k.indexOf('.');
      String command = dot < 0 ? null : k.substring(0, dot);
      String option = dot < 0 ? k : k.substring(dot + 1);
      boolean ok =
          command == null
              ? anyCommand.contains(option)
              : known.containsKey(command) && known.get(command).contains(option);
      if (!ok || NOT_SETTABLE.contains(option)) {
        throw new UsageException(
            "Invalid --config: "
                + file
                + ": unknown setting '"
                + k
                + "'"
                + (NOT_SETTABLE.contains(option) ? " (set it on the command line)" : ""));
      }
      values.put(k, p.getProperty(key).trim());
    }
    return new ConfigFile(file, values);
  }

  private static InputStream open(String file) throws IOException {
    java.net.URI uri;
    try {
      uri = new java.net.URI(file);
    } catch (java.net.URISyntaxException e) {
      uri = null;
    }
    if (uri == null || uri.getScheme() == null || uri.getScheme().length() == 1) {
      return java.nio.file.Files.newInputStream(java.nio.file.Path.of(file));
    }
    if (uri.getScheme().equals("file")) {
      return java.nio.file.Files.newInputStream(java.nio.file.Path.of(uri));
    }
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(file);
    return path.getFileSystem(new org.apache.hadoop.conf.Configuration()).open(path);
  }

  /** Long option names without dashes, per subcommand. */
  private static Map<String, Set<String>> optionsByCommand(CommandLine root) {
    Map<String, Set<String>> out = new TreeMap<>();
    for (Map.Entry<String, CommandLine> e : root.getSubcommands().entrySet()) {
      Set<String> names = new TreeSet<>();
      for (OptionSpec o : e.getValue().getCommandSpec().options()) {
        names.add(bare(o.longestName()));
      }
      out.put(e.getKey(), names);
    }
    return out;
  }

  private static String bare(String option) {
    return option.replaceFirst("^-+", "");
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    if (!(arg instanceof OptionSpec o)) {
      return null;
    }
    String name = bare(o.longestName());
    if (NOT_SETTABLE.contains(name)) {
      return null;
    }
    CommandSpec command = o.command();
    String specific = command == null ? null : values.get(command.name() + "." + name);
    return specific != null ? specific : values.get(name);
  }

  /** The file name, for messages. */
  String file() {
    return file;
  }
}
