package io.unmask.common;

/** Every column name of the data contract and of Unmask's own tables, defined once. */
public final class Cols {
  // profiles
  public static final String ACCOUNT_ID = "account_id";
  public static final String CREATED_AT = "created_at";
  public static final String DISPLAY_NAME = "display_name";
  public static final String EMAIL = "email";
  public static final String PHONE = "phone";
  public static final String PHONE_TYPE = "phone_type";
  public static final String CLAIMED_COUNTRY = "claimed_country";
  public static final String CLAIMED_CITY = "claimed_city";
  public static final String CLAIMED_TIMEZONE = "claimed_timezone";
  public static final String HEADLINE = "headline";
  public static final String BIO = "bio";
  public static final String SKILLS = "skills";
  public static final String HOURLY_RATE = "hourly_rate";
  public static final String PHOTO_HASH = "photo_hash";
  public static final String ID_VERIFIED = "id_verified";
  public static final String ID_DOCUMENT_COUNTRY = "id_document_country";
  public static final String AGENCY_ID = "agency_id";

  // logins
  public static final String EVENT_ID = "event_id";
  public static final String TS = "ts";
  public static final String IP = "ip";
  public static final String DEVICE_ID = "device_id";
  public static final String USER_AGENT = "user_agent";
  public static final String BROWSER_TIMEZONE = "browser_timezone";
  public static final String BROWSER_LANGUAGE = "browser_language";
  public static final String SUCCESS = "success";

  /** Derived at ingest: 4 or 6. */
  public static final String IP_VERSION = "ip_version";

  /**
   * Derived at ingest: the address as 16 big-endian bytes (IPv4 mapped into ::ffff:0:0/96), so that
   * byte order is address order for IPv4 and IPv6 alike.
   */
  public static final String IP_BYTES = "ip_bytes";

  // payments
  public static final String PAYMENT_ID = "payment_id";
  public static final String KIND = "kind";
  public static final String AMOUNT = "amount";
  public static final String CURRENCY = "currency";
  public static final String CLIENT_ID = "client_id";
  public static final String METHOD = "method";
  public static final String PAYOUT_ACCOUNT = "payout_account";
  public static final String PAYOUT_COUNTRY = "payout_country";
  public static final String PAYOUT_HOLDER_NAME = "payout_holder_name";

  // labels
  public static final String LABEL = "label";
  public static final String LABELED_AT = "labeled_at";
  public static final String SOURCE = "source";

  // ip_ranges
  public static final String START_IP = "start_ip";
  public static final String END_IP = "end_ip";
  public static final String START_BYTES = "start_ip_bytes";
  public static final String END_BYTES = "end_ip_bytes";
  public static final String COUNTRY = "country";
  public static final String ASN = "asn";
  public static final String AS_NAME = "as_name";
  public static final String IS_HOSTING = "is_hosting";
  public static final String IS_VPN = "is_vpn";

  /** Where a reference row comes from: {@code input} or {@code shipped:<list>}. */
  public static final String ORIGIN = "origin";

  // sanctioned_addresses
  public static final String ADDRESS = "address";
  public static final String ENTITY = "entity";
  public static final String PROGRAMS = "programs";

  // run bookkeeping, quarantine and ingest_report
  public static final String AS_OF = "as_of";
  public static final String RUN_ID = "run_id";
  public static final String SOURCE_TABLE = "source_table";
  public static final String SOURCE_FILE = "source_file";
  public static final String LINE = "line";
  public static final String RULE = "rule";
  public static final String RAW = "raw";
  public static final String ROWS_READ = "rows_read";
  public static final String ACCEPTED = "accepted";
  public static final String QUARANTINED = "quarantined";

  // risk_scores
  public static final String SCORE = "score";
  public static final String RANK = "rank";
  public static final String REASONS = "reasons";
  public static final String CLUSTER_ID = "cluster_id";
  public static final String MODEL_VERSION = "model_version";

  /** Name of the {@code 4|6} column ingest derives from an IP column. */
  public static String ipVersionOf(String ipColumn) {
    return ipColumn.equals(IP) ? IP_VERSION : ipColumn + "_version";
  }

  /** Name of the 16-byte column ingest derives from an IP column. */
  public static String ipBytesOf(String ipColumn) {
    return ipColumn + "_bytes";
  }

  private Cols() {}
}
