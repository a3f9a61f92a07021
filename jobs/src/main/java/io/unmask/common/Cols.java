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

  // decisions (investigators' reviews, recorded by `review`)
  public static final String DECISION_ID = "decision_id";
  public static final String DECISION = "decision";
  public static final String NOTE = "note";
  public static final String DECIDED_BY = "decided_by";
  public static final String DECIDED_AT = "decided_at";

  /** Where a account stands in the review queue ({@code io.unmask.review.ReviewQueue}). */
  public static final String REVIEW_STATE = "review_state";

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

  // how the input tables are stored (io.unmask.ingest.Store, io.unmask.io.Inputs)
  /** UTC day of an event's {@code ts}: the partition of the stored logins and payments. */
  public static final String EVENT_DATE = "event_date";

  /** The {@code as_of} of the run that stored a row: a rerun of that day replaces exactly these. */
  public static final String INGESTED_ON = "ingested_on";

  /** First day a profile version holds (the account's creation day for its first version). */
  public static final String VALID_FROM = "valid_from";

  /** First day a profile version no longer holds; null for the current one (derived on read). */
  public static final String VALID_TO = "valid_to";

  /** Ingest report: accepted rows new to the warehouse (the rest were stored already). */
  public static final String STORED = "stored";

  /** Ingest report: {@code snapshot} (the input is the whole history) or {@code increment}. */
  public static final String MODE = "mode";

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

  // ---- linking: account_links, link_hubs, clusters and cluster features (io.unmask.linking) ----

  /**
   * Input of linking, computed by the features stage: the sign-in came from a VPN or hosting exit.
   */
  public static final String IS_ANONYMIZER = "is_anonymizer";

  /** The smaller account_id of a link (account_a &lt; account_b). */
  public static final String ACCOUNT_A = "account_a";

  /** The larger account_id of a link. */
  public static final String ACCOUNT_B = "account_b";

  /** {@code device}, {@code ip}, {@code payout}, {@code phone}, {@code photo} or {@code bio}. */
  public static final String LINK_TYPE = "link_type";

  public static final String WEIGHT = "weight";

  /** The shared key (device id, IP, payout account, phone) or a description of the similarity. */
  public static final String SHARED_VALUE = "shared_value";

  /** How many distinct keys of this type the two accounts share. */
  public static final String SHARED_KEYS = "shared_keys";

  /** Sign-ins or withdrawals of both accounts with the shared keys (1 for profile links). */
  public static final String EVIDENCE_COUNT = "evidence_count";

  /** Most days on which both accounts used one same key (null for profile links). */
  public static final String SHARED_DAYS = "shared_days";

  public static final String FIRST_SEEN = "first_seen";
  public static final String LAST_SEEN = "last_seen";

  /** Both accounts work under the same non-null agency_id. */
  public static final String SAME_AGENCY = "same_agency";

  /** The link counts for clustering (not explained by a shared agency). */
  public static final String IN_GRAPH = "in_graph";

  /** link_hubs: what kind of key ({@code device}, {@code ip}, ..., {@code oversized_cluster}). */
  public static final String KEY_TYPE = "key_type";

  public static final String HUB_KEY = "hub_key";
  public static final String ACCOUNT_COUNT = "account_count";

  public static final String CLUSTER_SIZE = "cluster_size";
  public static final String DEVICE_LINKS = "device_links";
  public static final String IP_LINKS = "ip_links";
  public static final String PAYOUT_LINKS = "payout_links";
  public static final String PHONE_LINKS = "phone_links";
  public static final String PHOTO_LINKS = "photo_links";
  public static final String BIO_LINKS = "bio_links";

  // cluster features (per account)
  public static final String CLUSTER_DISTINCT_NAMES = "cluster_distinct_names";
  public static final String CLUSTER_DISTINCT_COUNTRIES = "cluster_distinct_countries";
  public static final String CLUSTER_DISTINCT_CITIES = "cluster_distinct_cities";
  public static final String CLUSTER_DEVICE_LINKS = "cluster_device_links";
  public static final String CLUSTER_IP_LINKS = "cluster_ip_links";
  public static final String CLUSTER_PAYOUT_LINKS = "cluster_payout_links";
  public static final String CLUSTER_PHONE_LINKS = "cluster_phone_links";
  public static final String CLUSTER_PHOTO_LINKS = "cluster_photo_links";
  public static final String CLUSTER_BIO_LINKS = "cluster_bio_links";

  /** Labelled members of the cluster other than the account itself. */
  public static final String CLUSTER_OTHER_LABELED = "cluster_other_labeled";

  /** Share of confirmed (label 1) among the other labelled members; null when there are none. */
  public static final String CLUSTER_CONFIRMED_SHARE = "cluster_confirmed_share";

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
