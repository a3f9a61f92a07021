package io.unmask.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.unmask.features.FeatureConfig;
import io.unmask.linking.LinkingConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** --config FILE: settings as defaults, command-line options winning, typos refused. */
class ConfigFileTest {
  @TempDir Path dir;

  private Path settings(String text) throws IOException {
    Path f = dir.resolve("unmask.properties");
    Files.writeString(f, text);
    return f;
  }

  /** Parses {@code args} the way Main does and returns the chosen subcommand's object. */
  private static <T> T parse(String... args) {
    CommandLine cl = Main.commandLine();
    String config = ConfigFile.argument(args);
    if (config != null) {
      cl.setDefaultValueProvider(ConfigFile.load(config, cl));
    }
    CommandLine.ParseResult r = cl.parseArgs(args);
    return r.subcommand().commandSpec().commandLine().getCommand();
  }

  @Test
  void settingsFillOptionsAndTheCommandLineWins() throws IOException {
    Path f =
        settings(
            """
            # a team's standing settings
            warehouse = /data/unmask
            ip-hub-accounts = 45
            countries-of-concern = cn, ru, kp, ir
            pipeline.min-positives = 7
            max-quarantine-share = 0.02
            check.max-quarantine-share = 0.01
            """);
    PipelineCommand p =
        parse("pipeline", "--config", f.toString(), "--input", "in", "--payout-hub-accounts", "9");
    assertThat(p.warehouse.dir).isEqualTo("/data/unmask");
    assertThat(p.minPositives).isEqualTo(7);
    FeatureConfig fc = p.tuning.features();
    LinkingConfig lc = p.tuning.linking();
    assertThat(fc.ipHubAccounts()).isEqualTo(45);
    assertThat(lc.ipCap()).isEqualTo(45);
    assertThat(lc.payoutCap()).isEqualTo(9);
    assertThat(lc.deviceCap()).isEqualTo(LinkingConfig.defaults().deviceCap());
    assertThat(fc.countriesOfConcern()).containsExactly("CN", "RU", "KP", "IR");

    PipelineCommand cli =
        parse(
            "pipeline",
            "--config=" + f,
            "--input",
            "in",
            "--warehouse",
            "/elsewhere",
            "--min-positives",
            "30",
            "--ip-hub-accounts",
            "12");
    assertThat(cli.warehouse.dir).isEqualTo("/elsewhere");
    assertThat(cli.minPositives).isEqualTo(30);
    assertThat(cli.tuning.linking().ipCap()).isEqualTo(12);

    // A command-specific key beats the shared one; the shared one applies to every command.
    CheckCommand c = parse("check", "--config", f.toString());
    assertThat(c.maxShare).isEqualTo(0.01);
    TopCommand t = parse("top", "--config", f.toString());
    assertThat(t.warehouse.dir).isEqualTo("/data/unmask");
  }

  @Test
  void withoutAFileTheDocumentedDefaultsHold() {
    PipelineCommand p = parse("pipeline", "--input", "in", "--warehouse", "w");
    assertThat(p.tuning.features()).isEqualTo(FeatureConfig.defaults());
    assertThat(p.tuning.linking()).isEqualTo(LinkingConfig.defaults());
    assertThat(p.minPositives).isEqualTo(20);
  }

  @Test
  void unknownOrPerRunKeysAreUsageErrors() throws IOException {
    Path typo = settings("ip-hub-acounts = 45\n");
    assertThatThrownBy(() -> parse("pipeline", "--config", typo.toString()))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("unknown setting 'ip-hub-acounts'");
    Path perRun = settings("as-of = 2026-01-01\n");
    assertThatThrownBy(() -> parse("pipeline", "--config", perRun.toString()))
        .hasMessageContaining("set it on the command line");
    Path wrongCommand = settings("top.ip-hub-accounts = 4\n");
    assertThatThrownBy(() -> parse("pipeline", "--config", wrongCommand.toString()))
        .hasMessageContaining("unknown setting 'top.ip-hub-accounts'");
    assertThatThrownBy(() -> parse("pipeline", "--config", dir.resolve("nope").toString()))
        .hasMessageContaining("does not exist");
  }

  @Test
  void badValuesNameTheOption() throws IOException {
    Path f = settings("ip-hub-accounts = 0\ncountries-of-concern = CN,Korea\n");
    PipelineCommand p =
        parse("pipeline", "--config", f.toString(), "--input", "i", "--warehouse", "w");
    assertThatThrownBy(() -> p.tuning.linking())
        .hasMessage("Invalid --ip-hub-accounts: 0 (must be at least 1)");
    assertThatThrownBy(() -> p.tuning.features())
        .hasMessageStartingWith("Invalid --countries-of-concern: 'KOREA'");
  }

  @Test
  void mainExitsWithUsageStatusOnABadFile() throws IOException {
    Path typo = settings("warehous = /x\n");
    java.io.PrintStream saved = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new java.io.PrintStream(err, true));
    try {
      assertThat(Main.run(new String[] {"top", "--config", typo.toString()})).isEqualTo(2);
    } finally {
      System.setErr(saved);
    }
    assertThat(err.toString()).contains("unknown setting 'warehous'");
  }

  @Test
  void theShippedExampleIsAValidSettingsFile() {
    String example =
        io.unmask.testing.Processes.root().resolve("docs/unmask.example.properties").toString();
    PipelineCommand p = parse("pipeline", "--config", example, "--input", "in");
    assertThat(p.tuning.features()).isEqualTo(FeatureConfig.defaults());
    assertThat(p.tuning.linking()).isEqualTo(LinkingConfig.defaults());
    CheckCommand c = parse("check", "--config", example);
    assertThat(c.maxShare).isEqualTo(0.05);
  }
}
