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
   * STANDARD with half as many look-alikes again (every kind 1.5 times as common), and concealed
   * accounts without the implausible tells: about 75% never show an Asian browser zone or language,
   * only 20-50% of their work falls in Asian office hours (the rest in the claimed zone's), rates
   * are near the market, few phones are VoIP, and sanctioned wallets are rarer. Genuine users
   * replace a personal device about once a year, so a new device is not suspicious by itself. The
   * tells a concealed operation cannot easily hide stay, weaker and rarer: devices and payout
   * accounts shared across a ring's claimed places, now and then a direct sign-in from China or
   * Russia, payouts abroad or in other names, the change point of a rented account.
   */
  REALISTIC,
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
          "Unknown scenario '" + s + "': choose standard, evasive, realistic or dirty");
    }
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
