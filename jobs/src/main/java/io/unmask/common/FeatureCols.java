package io.unmask.common;

/**
 * Column names of {@code account_features}, defined once; {@code docs/features.md} says what each
 * measures, which published indicator it captures and how it is computed.
 */
public final class FeatureCols {
  // enrichment of a sign-in (not stored per account)
  public static final String IP_COUNTRY = "ip_country";
  public static final String IP_ASN = "ip_asn";
  public static final String IP_AS_NAME = "ip_as_name";
  public static final String IS_VPN = "is_vpn";
  public static final String IS_HOSTING = "is_hosting";
  public static final String IS_ANONYMIZER = Cols.IS_ANONYMIZER;

  // where they really are
  public static final String N_LOGINS = "n_logins";
  public static final String FAILED_LOGIN_SHARE = "failed_login_share";
  public static final String VPN_SHARE = "vpn_share";
  public static final String HOSTING_SHARE = "hosting_share";
  public static final String FOREIGN_IP_SHARE = "foreign_ip_share";
  public static final String CONCERN_IP_SHARE = "concern_ip_share";
  public static final String CONCERN_IP_LOGINS = "concern_ip_logins";
  public static final String KP_HITS = "kp_hits";
  public static final String LEAK_AFTER_ANONYMIZER = "leak_after_anonymizer";
  public static final String FAST_COUNTRY_SWITCHES = "fast_country_switches";
  public static final String N_IP_COUNTRIES = "n_ip_countries";
  public static final String TOP_FOREIGN_COUNTRY = "top_foreign_country";
  public static final String TOP_ANONYMIZER_AS = "top_anonymizer_as";

  // when they really work
  public static final String TZ_MISMATCH_SHARE = "tz_mismatch_share";
  public static final String TZ_OFFSET_HOURS = "tz_offset_hours";
  public static final String TOP_BROWSER_TZ = "top_browser_tz";
  public static final String PYONGYANG_TZ_LOGINS = "pyongyang_tz_logins";
  public static final String NIGHT_SHARE = "night_share";
  public static final String EAST_ASIA_OFFICE_SHARE = "east_asia_office_share";
  public static final String LANG_MISMATCH_SHARE = "lang_mismatch_share";

  // who shares what
  public static final String N_DEVICES = "n_devices";
  public static final String DEVICE_SHARED_ACCOUNTS = "device_shared_accounts";
  public static final String DEVICE_DISTINCT_NAMES = "device_distinct_names";
  public static final String DEVICE_OTHER_PLACES = "device_other_places";
  public static final String IP_SHARED_ACCOUNTS = "ip_shared_accounts";
  public static final String IP_OTHER_PLACES = "ip_other_places";
  public static final String HUB_IP_SHARE = "hub_ip_share";

  // money
  public static final String EARNINGS_TOTAL = "earnings_total";
  public static final String EARNINGS_30D_SHARE = "earnings_30d_share";
  public static final String N_CLIENTS = "n_clients";
  public static final String WITHDRAWAL_RATIO = "withdrawal_ratio";
  public static final String N_PAYOUT_ACCOUNTS = "n_payout_accounts";
  public static final String PAYOUT_SHARED_ACCOUNTS = "payout_shared_accounts";
  public static final String PAYOUT_OTHER_PLACES = "payout_other_places";
  public static final String PAYOUT_FOREIGN_SHARE = "payout_foreign_share";
  public static final String TOP_PAYOUT_COUNTRY = "top_payout_country";
  public static final String HOLDER_MISMATCH_SHARE = "holder_mismatch_share";
  public static final String CRYPTO_SHARE = "crypto_share";
  public static final String SANCTIONED_HITS = "sanctioned_hits";
  public static final String SANCTIONED_ENTITY = "sanctioned_entity";
  public static final String NEW_PAYOUT_RECENT = "new_payout_recent";

  // the profile
  public static final String ACCOUNT_AGE_DAYS = "account_age_days";
  public static final String PHONE_VOIP = "phone_voip";
  public static final String ID_DOC_MISMATCH = "id_doc_mismatch";
  public static final String RATE_TO_MARKET = "rate_to_market";
  public static final String HAS_AGENCY = "has_agency";

  // change
  public static final String RECENT_NEW_DEVICE_SHARE = "recent_new_device_share";
  public static final String RECENT_NEW_COUNTRY = "recent_new_country";
  public static final String RECENT_TZ_SHIFT = "recent_tz_shift";
  public static final String TAKEOVER_SIGNALS = "takeover_signals";
  // a switch anywhere in the window: every device in use lately is new since one day
  public static final String SWITCH_ON = "switch_on";
  public static final String SWITCH_NEW_NETWORK_SHARE = "switch_new_network_share";
  public static final String SWITCH_ANONYMIZER_JUMP = "switch_anonymizer_jump";
  public static final String SWITCH_EAST_ASIA_JUMP = "switch_east_asia_jump";
  public static final String SWITCH_ZONE_CHANGE = "switch_zone_change";
  public static final String SWITCH_NEW_PAYOUT = "switch_new_payout";
  public static final String SWITCH_SIGNALS = "switch_signals";
  // every withdrawal before the switch paid abroad, every one since at home: a move (evidence)
  public static final String SWITCH_PAY_MOVED_HOME = "switch_pay_moved_home";
  public static final String SWITCH_PAID_FROM = "switch_paid_from";
  // the browser clock outside the claimed country before the switch, inside it since: a move
  public static final String SWITCH_INTO_CLAIM = "switch_into_claim";

  // profile history (ProfileChanges): changes the warehouse saw in the lookback window
  /** Profile versions after the first one that began in the lookback window. */
  public static final String PROFILE_CHANGES = "profile_changes";

  /** Of those, changes of the display name, phone or photo: who operates the account. */
  public static final String IDENTITY_CHANGES = "identity_changes";

  /** Of those, changes of the claimed country, city or time zone: a move (a look-alike). */
  public static final String CLAIM_CHANGES = "claim_changes";

  /** The day of the latest identity change in the window (null if none). */
  public static final String IDENTITY_CHANGED_ON = "identity_changed_on";

  /** What the latest identity change touched: {@code name}, {@code phone}, {@code photo}. */
  public static final String IDENTITY_CHANGED = "identity_changed";

  // what clears: evidence explained by a consistent legitimate pattern (ClearingFeatures)
  public static final String PAYOUT_HOME_SHARE = "payout_home_share";
  public static final String ANONYMIZER_CONSISTENT = "anonymizer_consistent";
  public static final String SHARED_KEYS = "shared_keys";
  public static final String SHARED_KEYS_ONE_PLACE = "shared_keys_one_place";
  public static final String SHARED_PLACE_ACCOUNTS = "shared_place_accounts";
  public static final String SHARED_PLACE_CONSISTENT = "shared_place_consistent";
  public static final String DIRECT_COUNTRY_CHANGES = "direct_country_changes";
  public static final String RELOCATION_CLEAN = "relocation_clean";
  public static final String RELOCATED_FROM = "relocated_from";
  public static final String RELOCATED_ON = "relocated_on";
  public static final String ZONE_FOLLOWS_IP_SHARE = "zone_follows_ip_share";
  public static final String TRAVEL_CONSISTENT = "travel_consistent";

  private FeatureCols() {}
}
