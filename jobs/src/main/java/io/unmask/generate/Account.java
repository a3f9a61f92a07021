package io.unmask.generate;

import io.unmask.generate.Countries.Country;
import java.util.List;

/**
 * One synthetic account: its profile as the platform shows it, and the hidden facts that drive its
 * sign-ins and payments (who really runs it, from where, when, paid out to whom).
 */
final class Account {
  // Archetypes (truth).
  static final String GENUINE = "genuine";
  static final String RING_MEMBER = "ring_member";
  static final String RENTED = "rented_account";
  static final String LONE = "lone_worker";

  // Look-alike types of genuine accounts (truth).
  static final String AGENCY = "agency";
  static final String FAMILY = "family";
  static final String EAST_ASIA = "east_asia_local";
  static final String PRIVACY_VPN = "privacy_vpn";
  static final String TRAVELLER = "traveller";
  static final String NIGHT_OWL = "night_owl";
  static final String CGNAT = "cgnat_mobile";
  static final String CAMPUS = "campus";
  static final String PAYONEER = "payoneer_south_asia";
  static final String CRYPTO = "crypto_user";
  static final String EXPAT = "expat";
  static final String INTERNET_CAFE = "internet_cafe";
  static final String COWORKING = "coworking";
  static final String NOMAD = "digital_nomad";
  static final String DIASPORA = "diaspora";
  static final String RELOCATED = "relocated";
  static final String CHINA_VPN = "china_vpn";

  long index;
  String id;
  String archetype = GENUINE;
  String lookalike;
  String ringId;
  String groupId;

  // Profile columns.
  long createdAt;
  String displayName;
  String email;
  String phone;
  String phoneType;
  Country country;
  int city;
  String headline;
  String bio;
  String skills;
  double rate;
  String photoHash;
  Boolean idVerified;
  String idDocCountry;
  String agencyId;

  // Behaviour.
  /** Zone whose clock the account's working hours follow. */
  String activityZone;

  /** Hour profile: 0 day worker, 1 night owl, 2 East-Asian office hours. */
  int hours;

  String browserZone;
  String language;

  /** Mean sign-ins over the year of history. */
  double loginRate;

  String homeIp;
  String homeIp2;
  String homeIp6;
  long homeSwitch;
  List<String> devices;

  /** Network mix weights: home, mobile, other residential, vpn, hosting, leak, campus, office. */
  double[] mix;

  /**
   * Country of the account's own networks (home, mobile, other residential, campus) when it is not
   * the claimed one: a relocated account before its move.
   */
  String netCountry;

  /** Share of sign-ins in East-Asian office hours of {@link #asianZone} (realistic scenario). */
  double asianShare;

  String asianZone;

  /** Zone the browser reports during a trip with this probability (else the usual one). */
  double tripZone = 0.7;

  /** Share of sign-ins over a VPN while on a trip (a nomad's banking VPN). */
  double tripVpn;

  /** From this time the devices are {@link #newDevices} (a personal device replaced). */
  long deviceSwap;

  List<String> newDevices;

  String leakCountry;
  List<String> ringIps;
  List<String> vpsIps;
  List<String> leakIps;
  int vpnFavourite;

  /** Trips: {start, end, country index in Countries.HOMES, city}. */
  long[][] trips;

  // Takeover of a rented account: from this time devices, networks, zone and payout change.
  long takeoverAt;
  Account after;

  /** A relocated account's move: from this time {@link #after} holds the new country's life. */
  long movedAt;

  // Payments.
  double earningsPerMonth;
  List<String> clients;

  /** Payout accounts: {method, key, country, holder}; the last is current. */
  List<String[]> payouts;

  // Labels.
  int labelPlan; // 0 none, 1 confirmed concealed, 2 cleared on appeal, 3 reviewed genuine
  long labelAt;
  String labelSource;

  /** When {@link #after} takes over: a rented account's takeover or a relocated account's move. */
  long changeAt() {
    return takeoverAt != 0 ? takeoverAt : movedAt;
  }

  String zone() {
    return country.zoneOf(city);
  }

  boolean concealed() {
    return !archetype.equals(GENUINE);
  }
}
