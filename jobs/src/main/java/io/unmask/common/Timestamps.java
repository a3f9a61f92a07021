package io.unmask.common;

import static org.apache.spark.sql.functions.*;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataTypes;

/**
 * The one parser of the contract's timestamps, as a Spark expression (no UDF): an ISO-8601 date and
 * time, {@code T} or a space between them, minutes with optional seconds and fraction, then {@code
 * Z}, an offset ({@code +09:00}, {@code +0900}, {@code +09}) or nothing (UTC). A date alone is its
 * midnight UTC. Anything else (a bare time, {@code 2025}, {@code 2025-06}, a zone name, an
 * impossible day or hour) is null, which ingest quarantines as {@code bad_timestamp:<col>}.
 *
 * <p>Spark's own cast is not used on raw text: it reads {@code 12:00} as today at noon (the result
 * would depend on the wall clock) and {@code 2025} as a whole year. Here the text must match the
 * contract's form first, and is rewritten with an explicit offset before the cast, so the session
 * time zone never matters.
 */
public final class Timestamps {
  /** Groups: 1 date, 2 hh:mm, 3 :ss[.fraction], 4 zone. */
  static final String FORM =
      "^(\\d{4}-\\d{2}-\\d{2})(?:[Tt ](\\d{2}:\\d{2})(:\\d{2}(?:\\.\\d{1,9})?)?"
          + "([Zz]|[+-]\\d{2}(?::?\\d{2})?)?)?$";

  /**
   * The common, already canonical form ({@code 2025-06-01T12:34:56Z}, an optional fraction of up to
   * six digits, {@code Z} or a {@code +hh:mm} offset): exactly the text {@link #parse} would
   * rewrite it to, so it is cast as it is, with one match instead of five.
   */
  static final String CANONICAL =
      "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,6})?(?:Z|[+-]\\d{2}:\\d{2})$";

  private Timestamps() {}

  /** The UTC timestamp of a contract timestamp text; null when the text is not one. */
  public static Column parse(Column text) {
    return when(text.rlike(CANONICAL), text.try_cast(DataTypes.TimestampType))
        .otherwise(general(text));
  }

  /** Any form of the contract: matched, split into its parts and rewritten canonically. */
  static Column general(Column text) {
    Column t = trim(text);
    Column date = regexp_extract(t, FORM, 1);
    Column hhmm = regexp_extract(t, FORM, 2);
    Column seconds = regexp_extract(t, FORM, 3);
    Column zone = upper(regexp_extract(t, FORM, 4));
    Column time =
        when(hhmm.equalTo(lit("")), lit("00:00:00"))
            .otherwise(concat(hhmm, when(seconds.equalTo(lit("")), lit(":00")).otherwise(seconds)));
    Column offset =
        when(zone.equalTo(lit("")).or(zone.equalTo(lit("Z"))), lit("Z"))
            .when(length(zone).equalTo(lit(3)), concat(zone, lit(":00")))
            .when(
                length(zone).equalTo(lit(5)),
                concat(substring(zone, 1, 3), lit(":"), substring(zone, 4, 2)))
            .otherwise(zone);
    Column iso = concat(date, lit("T"), time, offset);
    return when(t.rlike(FORM), iso.try_cast(DataTypes.TimestampType));
  }
}
