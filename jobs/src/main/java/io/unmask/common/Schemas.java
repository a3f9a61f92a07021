package io.unmask.common;

import static io.unmask.common.Cols.*;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The one definition of every table's columns, types and rules: the contract's input tables (as
 * {@link TableSpec}s that ingest enforces) and Unmask's output tables (as {@link StructType}s).
 */
public final class Schemas {

  /** Money and rates: enough for any platform amount, 6 decimals for crypto payouts. */
  public static final DecimalType MONEY = DataTypes.createDecimalType(20, 6);

  /** How a contract column's text is turned into its type, and which rule it can break. */
  public enum ColType {
    /** Free text, trimmed; empty means null. */
    STRING(DataTypes.StringType),
    /** A code compared case-insensitively, stored upper-case (countries, currencies). */
    UPPER_CODE(DataTypes.StringType),
    /** A code stored lower-case (phone_type, kind, method). */
    LOWER_CODE(DataTypes.StringType),
    /** ISO-8601, UTC when no offset is given; breaks {@code bad_timestamp:<col>}. */
    TIMESTAMP(DataTypes.TimestampType),
    /** Decimal number; breaks {@code bad_number:<col>}. */
    DECIMAL(MONEY),
    /** Whole number; breaks {@code bad_number:<col>}. */
    INT(DataTypes.IntegerType),
    /** Whole number; breaks {@code bad_number:<col>}. */
    LONG(DataTypes.LongType),
    /** true/false (also t/f, yes/no, 1/0); breaks {@code bad_boolean:<col>}. */
    BOOLEAN(DataTypes.BooleanType),
    /** IPv4 or IPv6 text; breaks {@code bad_ip:<col>}. */
    IP(DataTypes.StringType);

    public final DataType sparkType;

    ColType(DataType sparkType) {
      this.sparkType = sparkType;
    }
  }

  /**
   * One contract column.
   *
   * @param allowed when set, any other (normalised) value breaks {@code bad_value:<col>}
   * @param nonNegative when set, a negative value breaks {@code negative_amount:<col>}
   */
  public record ColumnSpec(
      String name, ColType type, boolean required, Set<String> allowed, boolean nonNegative) {
    static ColumnSpec req(String name, ColType type) {
      return new ColumnSpec(name, type, true, null, false);
    }

    static ColumnSpec opt(String name, ColType type) {
      return new ColumnSpec(name, type, false, null, false);
    }

    ColumnSpec oneOf(String... values) {
      return new ColumnSpec(name, type, required, Set.of(values), nonNegative);
    }

    ColumnSpec notNegative() {
      return new ColumnSpec(name, type, required, allowed, true);
    }
  }

  /**
   * One contract input table.
   *
   * @param required a missing required table stops the run before anything is written
   * @param key unique key: later repeats are quarantined as {@code duplicate_key:<key>}
   * @param referencesProfiles rows whose account_id is not an accepted profile are orphans
   */
  public record TableSpec(
      String name,
      boolean required,
      List<ColumnSpec> columns,
      String key,
      boolean referencesProfiles) {

    public Optional<String> keyColumn() {
      return Optional.ofNullable(key);
    }

    public List<String> columnNames() {
      return columns.stream().map(ColumnSpec::name).toList();
    }

    public List<String> requiredColumns() {
      return columns.stream().filter(ColumnSpec::required).map(ColumnSpec::name).toList();
    }

    /** The clean table's schema: typed contract columns (plus what ingest derives). */
    public StructType cleanSchema() {
      StructType s = new StructType();
      for (ColumnSpec c : columns) {
        s = s.add(c.name(), c.type().sparkType, !c.required());
        if (c.type() == ColType.IP) {
          s = s.add(ipVersionOf(c.name()), DataTypes.IntegerType, true);
          s = s.add(ipBytesOf(c.name()), DataTypes.BinaryType, true);
        }
      }
      return s;
    }
  }

  public static final TableSpec PROFILES_SPEC =
      new TableSpec(
          Tables.PROFILES,
          true,
          List.of(
              ColumnSpec.req(ACCOUNT_ID, ColType.STRING),
              ColumnSpec.req(CREATED_AT, ColType.TIMESTAMP),
              ColumnSpec.opt(DISPLAY_NAME, ColType.STRING),
              ColumnSpec.opt(EMAIL, ColType.STRING),
              ColumnSpec.opt(PHONE, ColType.STRING),
              ColumnSpec.opt(PHONE_TYPE, ColType.LOWER_CODE),
              ColumnSpec.req(CLAIMED_COUNTRY, ColType.UPPER_CODE),
              ColumnSpec.opt(CLAIMED_CITY, ColType.STRING),
              ColumnSpec.opt(CLAIMED_TIMEZONE, ColType.STRING),
              ColumnSpec.opt(HEADLINE, ColType.STRING),
              ColumnSpec.opt(BIO, ColType.STRING),
              ColumnSpec.opt(SKILLS, ColType.STRING),
              ColumnSpec.opt(HOURLY_RATE, ColType.DECIMAL),
              ColumnSpec.opt(PHOTO_HASH, ColType.LOWER_CODE),
              ColumnSpec.opt(ID_VERIFIED, ColType.BOOLEAN),
              ColumnSpec.opt(ID_DOCUMENT_COUNTRY, ColType.UPPER_CODE),
              ColumnSpec.opt(AGENCY_ID, ColType.STRING)),
          ACCOUNT_ID,
          false);

  public static final TableSpec LOGINS_SPEC =
      new TableSpec(
          Tables.LOGINS,
          true,
          List.of(
              ColumnSpec.req(EVENT_ID, ColType.STRING),
              ColumnSpec.req(ACCOUNT_ID, ColType.STRING),
              ColumnSpec.req(TS, ColType.TIMESTAMP),
              ColumnSpec.req(IP, ColType.IP),
              ColumnSpec.opt(DEVICE_ID, ColType.STRING),
              ColumnSpec.opt(USER_AGENT, ColType.STRING),
              ColumnSpec.opt(BROWSER_TIMEZONE, ColType.STRING),
              ColumnSpec.opt(BROWSER_LANGUAGE, ColType.STRING),
              ColumnSpec.opt(SUCCESS, ColType.BOOLEAN)),
          EVENT_ID,
          true);

  public static final TableSpec PAYMENTS_SPEC =
      new TableSpec(
          Tables.PAYMENTS,
          true,
          List.of(
              ColumnSpec.req(PAYMENT_ID, ColType.STRING),
              ColumnSpec.req(ACCOUNT_ID, ColType.STRING),
              ColumnSpec.req(TS, ColType.TIMESTAMP),
              ColumnSpec.req(KIND, ColType.LOWER_CODE).oneOf("earning", "withdrawal"),
              ColumnSpec.req(AMOUNT, ColType.DECIMAL).notNegative(),
              ColumnSpec.opt(CURRENCY, ColType.UPPER_CODE),
              ColumnSpec.opt(CLIENT_ID, ColType.STRING),
              ColumnSpec.opt(METHOD, ColType.LOWER_CODE),
              ColumnSpec.opt(PAYOUT_ACCOUNT, ColType.STRING),
              ColumnSpec.opt(PAYOUT_COUNTRY, ColType.UPPER_CODE),
              ColumnSpec.opt(PAYOUT_HOLDER_NAME, ColType.STRING)),
          PAYMENT_ID,
          true);

  public static final TableSpec LABELS_SPEC =
      new TableSpec(
          Tables.LABELS,
          false,
          List.of(
              ColumnSpec.req(ACCOUNT_ID, ColType.STRING),
              ColumnSpec.req(LABEL, ColType.INT).oneOf("0", "1"),
              ColumnSpec.opt(LABELED_AT, ColType.TIMESTAMP),
              ColumnSpec.opt(SOURCE, ColType.STRING)),
          null,
          true);

  /**
   * A file of decisions given to {@code review --file}: not an ingest input, but read and checked
   * by the same rules (its bad rows go to {@code quarantine} as table {@code decisions}).
   */
  public static final TableSpec DECISIONS_SPEC =
      new TableSpec(
          Tables.DECISIONS,
          false,
          List.of(
              ColumnSpec.req(ACCOUNT_ID, ColType.STRING),
              ColumnSpec.req(DECISION, ColType.LOWER_CODE).oneOf("concealed", "genuine", "unsure"),
              ColumnSpec.opt(NOTE, ColType.STRING),
              ColumnSpec.opt(DECIDED_BY, ColType.STRING),
              ColumnSpec.opt(DECIDED_AT, ColType.TIMESTAMP)),
          null,
          true);

  /** The stored decisions table: one row per recorded decision, appended, never rewritten. */
  public static final StructType DECISIONS =
      new StructType()
          .add(DECISION_ID, DataTypes.StringType, false)
          .add(ACCOUNT_ID, DataTypes.StringType, false)
          .add(DECISION, DataTypes.StringType, false)
          .add(NOTE, DataTypes.StringType, true)
          .add(DECIDED_BY, DataTypes.StringType, false)
          .add(DECIDED_AT, DataTypes.TimestampType, false)
          .add(SOURCE, DataTypes.StringType, false)
          .add(RUN_ID, DataTypes.StringType, false);

  public static final TableSpec IP_RANGES_SPEC =
      new TableSpec(
          Tables.IP_RANGES,
          false,
          List.of(
              ColumnSpec.req(START_IP, ColType.IP),
              ColumnSpec.req(END_IP, ColType.IP),
              ColumnSpec.opt(COUNTRY, ColType.UPPER_CODE),
              ColumnSpec.opt(ASN, ColType.LONG),
              ColumnSpec.opt(AS_NAME, ColType.STRING),
              ColumnSpec.opt(IS_HOSTING, ColType.BOOLEAN),
              ColumnSpec.opt(IS_VPN, ColType.BOOLEAN)),
          null,
          false);

  public static final TableSpec SANCTIONED_ADDRESSES_SPEC =
      new TableSpec(
          Tables.SANCTIONED_ADDRESSES,
          false,
          List.of(
              ColumnSpec.req(ADDRESS, ColType.STRING),
              ColumnSpec.opt(CURRENCY, ColType.UPPER_CODE),
              ColumnSpec.opt(SOURCE, ColType.STRING)),
          null,
          false);

  /** Every input table in the order ingest reads them (profiles first: orphans need it). */
  public static final List<TableSpec> INPUTS =
      List.of(
          PROFILES_SPEC,
          LOGINS_SPEC,
          PAYMENTS_SPEC,
          LABELS_SPEC,
          IP_RANGES_SPEC,
          SANCTIONED_ADDRESSES_SPEC);

  public static TableSpec input(String name) {
    return INPUTS.stream()
        .filter(t -> t.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("Unknown input table: " + name));
  }

  public static final StructType QUARANTINE =
      new StructType()
          .add(SOURCE_TABLE, DataTypes.StringType, false)
          .add(SOURCE_FILE, DataTypes.StringType, true)
          .add(LINE, DataTypes.LongType, true)
          .add(RULE, DataTypes.StringType, false)
          .add(RAW, DataTypes.StringType, true)
          .add(RUN_ID, DataTypes.StringType, false)
          .add(AS_OF, DataTypes.DateType, false);

  public static final StructType INGEST_REPORT =
      new StructType()
          .add(RUN_ID, DataTypes.StringType, false)
          .add(AS_OF, DataTypes.DateType, false)
          .add(SOURCE_TABLE, DataTypes.StringType, false)
          .add(ROWS_READ, DataTypes.LongType, false)
          .add(ACCEPTED, DataTypes.LongType, false)
          .add(QUARANTINED, DataTypes.LongType, false)
          // accepted rows new to the warehouse; the rest were stored by an earlier day
          .add(STORED, DataTypes.LongType, true)
          .add(MODE, DataTypes.StringType, true);

  /** The stored ip_ranges table: contract columns plus byte bounds and provenance. */
  public static final StructType IP_RANGES =
      new StructType()
          .add(START_IP, DataTypes.StringType, false)
          .add(END_IP, DataTypes.StringType, false)
          .add(IP_VERSION, DataTypes.IntegerType, false)
          .add(START_BYTES, DataTypes.BinaryType, false)
          .add(END_BYTES, DataTypes.BinaryType, false)
          .add(COUNTRY, DataTypes.StringType, true)
          .add(ASN, DataTypes.LongType, true)
          .add(AS_NAME, DataTypes.StringType, true)
          .add(IS_HOSTING, DataTypes.BooleanType, true)
          .add(IS_VPN, DataTypes.BooleanType, true)
          .add(ORIGIN, DataTypes.StringType, false);

  public static final StructType SANCTIONED_ADDRESSES =
      new StructType()
          .add(ADDRESS, DataTypes.StringType, false)
          .add(CURRENCY, DataTypes.StringType, true)
          .add(SOURCE, DataTypes.StringType, true)
          .add(ENTITY, DataTypes.StringType, true)
          .add(PROGRAMS, DataTypes.StringType, true)
          .add(ORIGIN, DataTypes.StringType, false);

  public static final StructType REASON =
      new StructType()
          .add("code", DataTypes.StringType, true)
          .add("weight", DataTypes.DoubleType, true)
          .add("detail", DataTypes.StringType, true);

  /**
   * Optional column of {@code risk_scores}, after the contract's: clearing evidence shown next to
   * the reasons (code, and a sentence with the account's own values). Tables written before it
   * existed lack it; readers treat it as empty.
   */
  public static final String MITIGATING = "mitigating";

  public static final StructType MITIGATING_ITEM =
      new StructType()
          .add("code", DataTypes.StringType, true)
          .add("detail", DataTypes.StringType, true);

  public static final StructType RISK_SCORES =
      new StructType(
          new StructField[] {
            new StructField(ACCOUNT_ID, DataTypes.StringType, false, Metadata.empty()),
            new StructField(SCORE, DataTypes.DoubleType, false, Metadata.empty()),
            new StructField(RANK, DataTypes.IntegerType, false, Metadata.empty()),
            new StructField(REASONS, new ArrayType(REASON, true), true, Metadata.empty()),
            new StructField(CLUSTER_ID, DataTypes.StringType, true, Metadata.empty()),
            new StructField(MODEL_VERSION, DataTypes.StringType, false, Metadata.empty()),
            new StructField(AS_OF, DataTypes.DateType, false, Metadata.empty()),
            new StructField(RUN_ID, DataTypes.StringType, false, Metadata.empty()),
            new StructField(
                MITIGATING, new ArrayType(MITIGATING_ITEM, true), true, Metadata.empty())
          });

  // ---- linking outputs (io.unmask.linking) ----

  /** account_links: one row per (account_a &lt; account_b, link_type). */
  public static final StructType ACCOUNT_LINKS =
      new StructType()
          .add(ACCOUNT_A, DataTypes.StringType, false)
          .add(ACCOUNT_B, DataTypes.StringType, false)
          .add(LINK_TYPE, DataTypes.StringType, false)
          .add(WEIGHT, DataTypes.DoubleType, false)
          .add(SHARED_VALUE, DataTypes.StringType, true)
          .add(SHARED_KEYS, DataTypes.LongType, false)
          .add(EVIDENCE_COUNT, DataTypes.LongType, false)
          .add(SHARED_DAYS, DataTypes.IntegerType, true)
          .add(FIRST_SEEN, DataTypes.TimestampType, true)
          .add(LAST_SEEN, DataTypes.TimestampType, true)
          .add(SAME_AGENCY, DataTypes.BooleanType, false)
          .add(IN_GRAPH, DataTypes.BooleanType, false)
          .add(AS_OF, DataTypes.DateType, false);

  /** link_hubs: keys that produced no links because too many accounts share them. */
  public static final StructType LINK_HUBS =
      new StructType()
          .add(KEY_TYPE, DataTypes.StringType, false)
          .add(HUB_KEY, DataTypes.StringType, false)
          .add(ACCOUNT_COUNT, DataTypes.LongType, false)
          .add(AS_OF, DataTypes.DateType, false);

  /** clusters: one row per clustered account (singletons have no row). */
  public static final StructType CLUSTERS =
      new StructType()
          .add(ACCOUNT_ID, DataTypes.StringType, false)
          .add(CLUSTER_ID, DataTypes.StringType, false)
          .add(CLUSTER_SIZE, DataTypes.LongType, false)
          .add(DEVICE_LINKS, DataTypes.LongType, false)
          .add(IP_LINKS, DataTypes.LongType, false)
          .add(PAYOUT_LINKS, DataTypes.LongType, false)
          .add(PHONE_LINKS, DataTypes.LongType, false)
          .add(PHOTO_LINKS, DataTypes.LongType, false)
          .add(BIO_LINKS, DataTypes.LongType, false)
          .add(AS_OF, DataTypes.DateType, false);

  /** Per-account cluster features (every profile account once), for account_features. */
  public static final StructType CLUSTER_FEATURES =
      new StructType()
          .add(ACCOUNT_ID, DataTypes.StringType, false)
          .add(CLUSTER_ID, DataTypes.StringType, true)
          .add(CLUSTER_SIZE, DataTypes.LongType, false)
          .add(CLUSTER_DISTINCT_NAMES, DataTypes.LongType, false)
          .add(CLUSTER_DISTINCT_COUNTRIES, DataTypes.LongType, false)
          .add(CLUSTER_DISTINCT_CITIES, DataTypes.LongType, false)
          .add(CLUSTER_DEVICE_LINKS, DataTypes.LongType, false)
          .add(CLUSTER_IP_LINKS, DataTypes.LongType, false)
          .add(CLUSTER_PAYOUT_LINKS, DataTypes.LongType, false)
          .add(CLUSTER_PHONE_LINKS, DataTypes.LongType, false)
          .add(CLUSTER_PHOTO_LINKS, DataTypes.LongType, false)
          .add(CLUSTER_BIO_LINKS, DataTypes.LongType, false)
          .add(CLUSTER_OTHER_LABELED, DataTypes.LongType, false)
          .add(CLUSTER_CONFIRMED_SHARE, DataTypes.DoubleType, true);

  private Schemas() {}
}
