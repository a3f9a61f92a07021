package io.unmask.cli;

import io.unmask.features.FeatureConfig;
import io.unmask.linking.LinkingConfig;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * The thresholds a team tunes to its platform, usually once in the {@code --config} file: hub
 * limits, countries of concern, look-back, cluster size. Unset options keep the documented defaults
 * of {@link FeatureConfig#defaults()} and {@link LinkingConfig#defaults()}.
 */
public final class TuningOptions {
  @Option(
      names = "--countries-of-concern",
      paramLabel = "CC,...",
      split = ",",
      description =
          "ISO alpha-2 countries whose direct sign-ins count against an account claiming to be"
              + " elsewhere (default: CN,RU,KP).")
  List<String> countriesOfConcern;

  @Option(
      names = "--ip-hub-accounts",
      paramLabel = "N",
      description =
          "An IP used by more accounts than this is a hub (carrier NAT, campus): it links nobody"
              + " (default: 30).")
  Integer ipHub;

  @Option(
      names = "--device-hub-accounts",
      paramLabel = "N",
      description = "A device id on more accounts than this is a hub (default: 20).")
  Integer deviceHub;

  @Option(
      names = "--payout-hub-accounts",
      paramLabel = "N",
      description =
          "A payout account used by more accounts than this is a hub (payroll service, exchange)"
              + " (default: 50).")
  Integer payoutHub;

  @Option(
      names = "--phone-hub-accounts",
      paramLabel = "N",
      description = "A phone number on more accounts than this is a hub (default: 20).")
  Integer phoneHub;

  @Option(
      names = "--max-cluster-size",
      paramLabel = "N",
      description = "A linked group larger than this is too big to be one operator (default: 500).")
  Integer maxClusterSize;

  @Option(
      names = "--lookback-days",
      paramLabel = "N",
      description = "Sign-ins and payments older than this many days are ignored (default: 90).")
  Integer lookbackDays;

  /** The feature settings, defaults overridden by the options given. */
  public FeatureConfig features() {
    FeatureConfig d = FeatureConfig.defaults();
    List<String> countries = d.countriesOfConcern();
    if (countriesOfConcern != null) {
      countries =
          countriesOfConcern.stream()
              .map(c -> c.trim().toUpperCase(Locale.ROOT))
              .filter(c -> !c.isEmpty())
              .toList();
      for (String c : countries) {
        if (!c.matches("[A-Z]{2}")) {
          throw new UsageException(
              "Invalid --countries-of-concern: '" + c + "' is not an ISO alpha-2 country code");
        }
      }
    }
    return new FeatureConfig(
        positive("--lookback-days", lookbackDays, d.lookbackDays()),
        d.recentDays(),
        countries,
        positive("--ip-hub-accounts", ipHub, d.ipHubAccounts()),
        positive("--device-hub-accounts", deviceHub, d.deviceHubAccounts()),
        d.minHistoryDays(),
        d.peerGroupMin());
  }

  /** The linking settings: the same hub limits as the features, plus cluster size. */
  public LinkingConfig linking() {
    LinkingConfig d = LinkingConfig.defaults();
    return d.withCaps(
            positive("--device-hub-accounts", deviceHub, d.deviceCap()),
            positive("--ip-hub-accounts", ipHub, d.ipCap()),
            positive("--payout-hub-accounts", payoutHub, d.payoutCap()),
            positive("--phone-hub-accounts", phoneHub, d.phoneCap()),
            d.photoBucketCap())
        .withMaxClusterSize(positive("--max-cluster-size", maxClusterSize, d.maxClusterSize()));
  }

  private static int positive(String option, Integer value, int fallback) {
    if (value == null) {
      return fallback;
    }
    if (value < 1) {
      throw new UsageException("Invalid " + option + ": " + value + " (must be at least 1)");
    }
    return value;
  }
}
