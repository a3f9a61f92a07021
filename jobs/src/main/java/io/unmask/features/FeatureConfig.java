package io.unmask.features;

import java.io.Serializable;
import java.util.List;

/**
 * Settings of the feature stage, with the defaults a team starts from.
 *
 * @param lookbackDays sign-ins and payments older than this (before as_of) are ignored
 * @param recentDays the "recent" window compared with the history for takeover signs
 * @param countriesOfConcern direct (non-VPN) sign-ins from these count when claimed elsewhere
 * @param ipHubAccounts an IP seen by more accounts than this is a hub (carrier NAT, campus)
 * @param deviceHubAccounts a device id seen by more accounts than this is a hub (default ids)
 * @param minHistoryDays an account needs this much history before "change" features apply
 * @param peerGroupMin a (skill, country) group needs this many rates to be its own market
 */
public record FeatureConfig(
    int lookbackDays,
    int recentDays,
    List<String> countriesOfConcern,
    int ipHubAccounts,
    int deviceHubAccounts,
    int minHistoryDays,
    int peerGroupMin)
    implements Serializable {

  public static FeatureConfig defaults() {
    return new FeatureConfig(90, 14, List.of("CN", "RU", "KP"), 30, 20, 60, 20);
  }
}
