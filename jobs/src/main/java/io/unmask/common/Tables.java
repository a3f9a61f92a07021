package io.unmask.common;

import java.util.List;

/** Names of every table Unmask reads or writes; a table lives at {@code <warehouse>/<name>}. */
public final class Tables {
  // Contract input tables (also the names of the clean Delta tables ingest writes).
  public static final String PROFILES = "profiles";
  public static final String LOGINS = "logins";
  public static final String PAYMENTS = "payments";
  public static final String LABELS = "labels";
  // Optional reference inputs; the shipped reference data is merged into the same tables.
  public static final String IP_RANGES = "ip_ranges";
  public static final String SANCTIONED_ADDRESSES = "sanctioned_addresses";

  // Ingest outputs.
  public static final String QUARANTINE = "quarantine";
  public static final String INGEST_REPORT = "ingest_report";

  // Features and linking.
  public static final String ACCOUNT_FEATURES = "account_features";

  // Models.
  public static final String MODELS = "models";
  public static final String MODEL_METRICS = "model_metrics";

  /** Folder under the warehouse where fitted pipelines are saved, one sub-folder per version. */
  public static final String MODEL_DIR = "_models";

  /** Investigators' decisions, appended by {@code review}; the next run reads them as labels. */
  public static final String DECISIONS = "decisions";

  // Main product output.
  public static final String RISK_SCORES = "risk_scores";

  // Linking outputs (io.unmask.linking).
  /** Typed, weighted links between accounts (partition as_of). */
  public static final String ACCOUNT_LINKS = "account_links";

  /** Per clustered account: its connected component and the component's figures. */
  public static final String CLUSTERS = "clusters";

  /** Keys shared by too many accounts to link on, and components too big to keep. */
  public static final String LINK_HUBS = "link_hubs";

  /** The event tables that hold an {@code account_id} pointing at {@code profiles}. */
  public static final List<String> ACCOUNT_TABLES = List.of(LOGINS, PAYMENTS, LABELS);

  /** The contract input tables as ingest stores them (io.unmask.ingest.Store). */
  public static final List<String> INPUT_TABLES = List.of(PROFILES, LOGINS, PAYMENTS, LABELS);

  private Tables() {}

  public static String path(String warehouse, String table) {
    return warehouse.endsWith("/") ? warehouse + table : warehouse + "/" + table;
  }
}
