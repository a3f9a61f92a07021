package io.unmask.ingest;

import static org.apache.spark.sql.functions.*;

import io.unmask.common.Cols;
import io.unmask.common.Schemas;
import io.unmask.common.Schemas.ColType;
import io.unmask.common.Schemas.ColumnSpec;
import io.unmask.common.Schemas.TableSpec;
import io.unmask.io.RawTables;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;

/**
 * The contract's rules as DataFrame transformations over a raw frame ({@link RawTables}): each step
 * adds or refines the {@code _rule} column (null for a good row), following the contract's counting
 * rules: a row is quarantined once, under its first fault; within a row the columns are checked in
 * contract order; then duplicate keys (the first good row by file and line is kept); then orphans.
 */
public final class Validation {
  public static final String RULE = "_rule";

  /** Read order within the run, for rows without a line number (Parquet, Delta). */
  public static final String SEQ = "_seq";

  private static final String PROFILE_ID = "_profile_id";
  private static final String FIRST_KEY = "_first_key";
  private static final String FIRST = "_first";

  /** IP text to 16 bytes: Spark has no built-in for IPv6, so this one UDF (no DNS, pure). */
  static final UserDefinedFunction IP_BYTES =
      udf(
              (org.apache.spark.sql.api.java.UDF1<String, byte[]>) IpAddress::toBytes,
              DataTypes.BinaryType)
          .withName("ip_bytes");

  private Validation() {}

  /**
   * Types every column and adds {@code _rule}: parse errors first, then per column (in contract
   * order) a missing required value, an unparsable value, a value outside its allowed set, a
   * negative amount. Adds {@code ip_version} and {@code ip_bytes} after each IP column.
   *
   * <p>Two projections: the first types every column once (the timestamp parser and the IP UDF are
   * the costly part of ingest), the second derives the faults from the typed values. Spark does not
   * share an expression between the output and a fault inside {@code coalesce}, and the optimizer
   * does not merge a projection that would repeat a costly expression, so each value is parsed
   * once.
   */
  public static Dataset<Row> withRowRules(Dataset<Row> raw, TableSpec spec) {
    List<Column> typedCols = new ArrayList<>();
    typedCols.add(col(RawTables.FILE));
    typedCols.add(col(RawTables.LINE));
    typedCols.add(col(RawTables.RAW));
    typedCols.add(col(RawTables.PARSE_ERROR));
    for (ColumnSpec c : spec.columns()) {
      Column text = col(c.name());
      if (c.type() == ColType.STRING) {
        typedCols.add(text);
      } else {
        typedCols.add(text.as(textOf(c)));
        typedCols.add(typed(c, text).as(typedOf(c)));
      }
    }
    Dataset<Row> typed = raw.select(typedCols.toArray(Column[]::new));
    List<Column> faults = new ArrayList<>();
    faults.add(col(RawTables.PARSE_ERROR));
    List<Column> out = new ArrayList<>();
    out.add(col(RawTables.FILE));
    out.add(col(RawTables.LINE));
    out.add(col(RawTables.RAW));
    for (ColumnSpec c : spec.columns()) {
      Column text = col(textOf(c));
      Column value = col(typedOf(c));
      if (c.required()) {
        faults.add(when(text.isNull(), lit("missing_required:" + c.name())));
      }
      faults.add(when(text.isNotNull().and(value.isNull()), lit(badCode(c.type()) + c.name())));
      if (c.allowed() != null) {
        Column v = c.type() == ColType.INT ? value.cast(DataTypes.StringType) : value;
        faults.add(
            when(
                value.isNotNull().and(not(v.isin(c.allowed().toArray()))),
                lit("bad_value:" + c.name())));
      }
      if (c.nonNegative()) {
        faults.add(when(value.lt(lit(0)), lit("negative_amount:" + c.name())));
      }
      if (c.type() == ColType.IP) {
        out.add(text.as(c.name()));
        out.add(
            when(value.isNull(), lit(null).cast(DataTypes.IntegerType))
                .when(
                    substring(value, 1, 12)
                        .equalTo(lit(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1})),
                    lit(4))
                .otherwise(lit(6))
                .as(Cols.ipVersionOf(c.name())));
        out.add(value.as(Cols.ipBytesOf(c.name())));
      } else {
        out.add(value.as(c.name()));
      }
    }
    out.add(monotonically_increasing_id().as(SEQ));
    out.add(coalesce(faults.toArray(Column[]::new)).as(RULE));
    return typed.select(out.toArray(Column[]::new));
  }

  /** The column holding a column's text between the two projections of {@link #withRowRules}. */
  private static String textOf(ColumnSpec c) {
    return c.type() == ColType.STRING || c.type() == ColType.IP ? c.name() : "_text_" + c.name();
  }

  /** The column holding a column's typed value between the two projections. */
  private static String typedOf(ColumnSpec c) {
    return c.type() == ColType.IP ? Cols.ipBytesOf(c.name()) : c.name();
  }

  private static String badCode(ColType t) {
    return switch (t) {
      case TIMESTAMP -> "bad_timestamp:";
      case DECIMAL, INT, LONG -> "bad_number:";
      case BOOLEAN -> "bad_boolean:";
      case IP -> "bad_ip:";
      default -> "bad_value:";
    };
  }

  /** The typed value of a text column, null where it cannot be parsed. */
  static Column typed(ColumnSpec c, Column text) {
    String name = c.name();
    return switch (c.type()) {
      case STRING -> text;
      case UPPER_CODE -> upper(text);
      case LOWER_CODE -> lower(text);
      case TIMESTAMP -> io.unmask.common.Timestamps.parse(text);
      case DECIMAL ->
          expr(
              "try_cast(`"
                  + name
                  + "` as decimal("
                  + Schemas.MONEY.precision()
                  + ","
                  + Schemas.MONEY.scale()
                  + "))");
      case INT -> whole(name, "int");
      case LONG -> whole(name, "bigint");
      case BOOLEAN -> expr("try_cast(`" + name + "` as boolean)");
      case IP -> IP_BYTES.apply(text);
    };
  }

  /** "7", "7.0" and " 7 " are 7; "7.5" and "x" are unparsable. */
  private static Column whole(String name, String type) {
    Column d = expr("try_cast(`" + name + "` as decimal(38,6))");
    return when(
        d.equalTo(floor(d)),
        expr("try_cast(try_cast(`" + name + "` as decimal(38,6)) as " + type + ")"));
  }

  /**
   * Marks every good row whose key was already taken by an earlier good row (by source file, then
   * line) as {@code duplicate_key:<key>}, with a sort-based window. Exact for any number of
   * duplicates; {@link #withDuplicatesBroadcast} is the fast path when repeats are few. Rows that
   * are already bad get a key of their own, so they neither win a key nor gather into one skewed
   * window partition.
   */
  public static Dataset<Row> withDuplicates(Dataset<Row> rows, TableSpec spec) {
    if (spec.keyColumn().isEmpty()) {
      return rows;
    }
    String key = spec.keyColumn().get();
    Column group =
        when(col(RULE).isNull(), col(key))
            .otherwise(concat(lit("\u0001"), col(SEQ).cast(DataTypes.StringType)));
    Column order =
        row_number()
            .over(
                Window.partitionBy(group)
                    .orderBy(col(RawTables.FILE), col(RawTables.LINE), col(SEQ)));
    return rows.withColumn(
        RULE,
        when(col(RULE).isNull().and(order.gt(1)), lit("duplicate_key:" + key))
            .otherwise(col(RULE)));
  }

  /**
   * The keys that good rows repeat, each with the position (file, line, sequence) of its first good
   * row: small in any sane input, so it can be broadcast. One narrow aggregation over the key
   * column finds the repeats; only rows of repeated keys take part in the second.
   */
  public static Dataset<Row> repeatedKeys(Dataset<Row> rows, TableSpec spec) {
    String key = spec.keyColumn().orElseThrow();
    Dataset<Row> good = rows.filter(col(RULE).isNull());
    Dataset<Row> repeated = good.groupBy(col(key)).count().filter(col("count").gt(1)).select(key);
    return good.join(broadcast(repeated), key)
        .groupBy(col(key).as(FIRST_KEY))
        .agg(min(position()).as(FIRST));
  }

  private static Column position() {
    return struct(col(RawTables.FILE), col(RawTables.LINE), col(SEQ));
  }

  /**
   * {@link #withDuplicates} by a broadcast join with {@link #repeatedKeys}: no shuffle of the rows
   * themselves.
   */
  public static Dataset<Row> withDuplicatesBroadcast(
      Dataset<Row> rows, TableSpec spec, Dataset<Row> repeatedKeys) {
    String key = spec.keyColumn().orElseThrow();
    Dataset<Row> j =
        rows.join(broadcast(repeatedKeys), rows.col(key).equalTo(col(FIRST_KEY)), "left");
    return j.withColumn(
            RULE,
            when(
                    col(RULE)
                        .isNull()
                        .and(col(FIRST).isNotNull())
                        .and(not(position().equalTo(col(FIRST)))),
                    lit("duplicate_key:" + key))
                .otherwise(col(RULE)))
        .drop(FIRST_KEY, FIRST);
  }

  /**
   * Marks good rows whose account_id is not an accepted profile as {@code orphan_account}. With
   * {@code broadcastIds} the (small) id list is broadcast and the rows are not shuffled; otherwise
   * Spark's adaptive execution picks the join and splits skewed partitions.
   */
  public static Dataset<Row> withOrphans(
      Dataset<Row> rows, Dataset<Row> acceptedProfileIds, boolean broadcastIds) {
    Dataset<Row> ids = acceptedProfileIds.select(col(Cols.ACCOUNT_ID).as(PROFILE_ID));
    if (broadcastIds) {
      ids = broadcast(ids);
    }
    Dataset<Row> joined =
        rows.join(ids, rows.col(Cols.ACCOUNT_ID).equalTo(ids.col(PROFILE_ID)), "left");
    return joined
        .withColumn(
            RULE,
            when(col(RULE).isNull().and(col(PROFILE_ID).isNull()), lit("orphan_account"))
                .otherwise(col(RULE)))
        .drop(PROFILE_ID);
  }

  /**
   * Marks good rows with a timestamp after {@code latest} (the end of the run's day plus the
   * allowance for clock skew) as {@code future_timestamp:<col>}, columns in contract order. Runs
   * after the row-level rules and before duplicates and orphans, so a future row never wins a key.
   */
  public static Dataset<Row> withFuture(
      Dataset<Row> rows, TableSpec spec, java.sql.Timestamp latest) {
    List<Column> faults = new ArrayList<>();
    faults.add(col(RULE));
    for (ColumnSpec c : spec.columns()) {
      if (c.type() == ColType.TIMESTAMP) {
        faults.add(when(col(c.name()).gt(lit(latest)), lit("future_timestamp:" + c.name())));
      }
    }
    return faults.size() == 1
        ? rows
        : rows.withColumn(RULE, coalesce(faults.toArray(Column[]::new)));
  }

  /** An ip_ranges row must run from a lower to a higher address of one family. */
  static Dataset<Row> withRangeOrder(Dataset<Row> rows) {
    Column s = col(Cols.START_BYTES);
    Column e = col(Cols.END_BYTES);
    Column bad =
        col(Cols.ipVersionOf(Cols.START_IP))
            .notEqual(col(Cols.ipVersionOf(Cols.END_IP)))
            .or(s.gt(e));
    return rows.withColumn(
        RULE, when(col(RULE).isNull().and(bad), lit("bad_range:end_ip")).otherwise(col(RULE)));
  }

  /** Row-level rules of one table (types, required values, ranges): no shuffle. */
  public static Dataset<Row> rowLevel(Dataset<Row> raw, TableSpec spec) {
    Dataset<Row> v = withRowRules(raw, spec);
    if (spec.name().equals(io.unmask.common.Tables.IP_RANGES)) {
      v = withRangeOrder(v);
    }
    return v;
  }

  /** All rules of the contract for one table, in their counting order (the reference form). */
  public static Dataset<Row> validate(
      Dataset<Row> raw, TableSpec spec, Dataset<Row> acceptedProfileIds) {
    Dataset<Row> v = withDuplicates(rowLevel(raw, spec), spec);
    return spec.referencesProfiles() ? withOrphans(v, acceptedProfileIds, false) : v;
  }

  /** The good rows in the clean table's shape, with the contract's defaults applied. */
  public static Dataset<Row> accepted(Dataset<Row> validated, TableSpec spec) {
    Dataset<Row> good = validated.filter(col(RULE).isNull());
    List<Column> cols = new ArrayList<>();
    for (String f : spec.cleanSchema().fieldNames()) {
      Column c = col(f);
      if (spec.name().equals(io.unmask.common.Tables.LOGINS) && f.equals(Cols.SUCCESS)) {
        c = coalesce(c, lit(true)); // contract: null means true
      } else if (spec.name().equals(io.unmask.common.Tables.PAYMENTS) && f.equals(Cols.CURRENCY)) {
        c = coalesce(c, lit("USD")); // contract: default USD
      }
      cols.add(c.as(f));
    }
    return good.select(cols.toArray(Column[]::new));
  }

  /** The bad rows in the quarantine's shape (run_id and as_of are added by the writer). */
  public static Dataset<Row> quarantined(Dataset<Row> validated, TableSpec spec) {
    return validated
        .filter(col(RULE).isNotNull())
        .select(
            lit(spec.name()).as(Cols.SOURCE_TABLE),
            col(RawTables.FILE).as(Cols.SOURCE_FILE),
            col(RawTables.LINE).as(Cols.LINE),
            col(RULE).as(Cols.RULE),
            col(RawTables.RAW).as(Cols.RAW));
  }
}
