package io.unmask.generate;

import java.util.Locale;

/** What kind of data set to generate. */
public enum Scenario {
  /** The realistic population with every published tell. */
  STANDARD,
  /**
   * The easy tells hidden: rings sign in only through their facilitator's residential network,
   * browsers set to the claimed zone and working hours shifted to it, no sanctioned wallets; only
   * linking, payout and profile tells remain.
   */
  EVASIVE,
  /**
   * STANDARD plus every kind of bad row the contract names and file-format quirks, with the exact
   * quarantine counts the ingest must report written to {@code _truth/}.
   */
  DIRTY;

  public static Scenario parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Unknown scenario '" + s + "': choose standard, evasive or dirty");
    }
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
