package io.unmask.generate;

import io.unmask.common.Cols;
import io.unmask.common.Schemas;
import io.unmask.common.Tables;
import io.unmask.io.TextRecords;
import java.util.ArrayList;
import java.util.List;

/**
 * The bad rows of the {@code dirty} scenario: every fault the contract names, each with the
 * quarantine rule the ingest must report for it (see {@code ingest.Validation} and {@code
 * io.TextRecords}). A faulty row has exactly one fault, so its rule is known in advance.
 */
enum Fault {
  // profiles
  P_MISSING_ID(Tables.PROFILES, Shape.VALUE, Cols.ACCOUNT_ID, null, "missing_required:account_id"),
  P_MISSING_CREATED(
      Tables.PROFILES, Shape.VALUE, Cols.CREATED_AT, null, "missing_required:created_at"),
  P_BAD_CREATED(
      Tables.PROFILES,
      Shape.VALUE,
      Cols.CREATED_AT,
      "31/12/2024 10:00",
      "bad_timestamp:created_at"),
  P_MISSING_COUNTRY(
      Tables.PROFILES, Shape.VALUE, Cols.CLAIMED_COUNTRY, null, "missing_required:claimed_country"),
  P_BAD_RATE(Tables.PROFILES, Shape.VALUE, Cols.HOURLY_RATE, "$45/h", "bad_number:hourly_rate"),
  P_BAD_VERIFIED(
      Tables.PROFILES, Shape.VALUE, Cols.ID_VERIFIED, "pending", "bad_boolean:id_verified"),
  P_CUT(Tables.PROFILES, Shape.CUT, null, null, null),
  P_DUP(Tables.PROFILES, Shape.DUP, null, null, "duplicate_key:account_id"),
  // logins
  L_MISSING_EVENT(Tables.LOGINS, Shape.VALUE, Cols.EVENT_ID, null, "missing_required:event_id"),
  L_MISSING_TS(Tables.LOGINS, Shape.VALUE, Cols.TS, null, "missing_required:ts"),
  L_BAD_TS(Tables.LOGINS, Shape.VALUE, Cols.TS, "2026-02-30T25:61:00Z", "bad_timestamp:ts"),
  L_MISSING_IP(Tables.LOGINS, Shape.VALUE, Cols.IP, null, "missing_required:ip"),
  L_BAD_IP(Tables.LOGINS, Shape.VALUE, Cols.IP, "999.12.4.1", "bad_ip:ip"),
  L_BAD_SUCCESS(Tables.LOGINS, Shape.VALUE, Cols.SUCCESS, "maybe", "bad_boolean:success"),
  L_CUT(Tables.LOGINS, Shape.CUT, null, null, null),
  L_EXTRA(Tables.LOGINS, Shape.EXTRA, null, null, null),
  L_DUP(Tables.LOGINS, Shape.DUP, null, null, "duplicate_key:event_id"),
  L_ORPHAN(Tables.LOGINS, Shape.ORPHAN, null, null, "orphan_account"),
  // payments
  Y_MISSING_AMOUNT(Tables.PAYMENTS, Shape.VALUE, Cols.AMOUNT, null, "missing_required:amount"),
  Y_BAD_AMOUNT(Tables.PAYMENTS, Shape.VALUE, Cols.AMOUNT, "1,250.00", "bad_number:amount"),
  Y_NEGATIVE(Tables.PAYMENTS, Shape.VALUE, Cols.AMOUNT, "-", "negative_amount:amount"),
  Y_BAD_KIND(Tables.PAYMENTS, Shape.VALUE, Cols.KIND, "refund", "bad_value:kind"),
  Y_MISSING_KIND(Tables.PAYMENTS, Shape.VALUE, Cols.KIND, null, "missing_required:kind"),
  Y_BAD_TS(Tables.PAYMENTS, Shape.VALUE, Cols.TS, "yesterday", "bad_timestamp:ts"),
  Y_CUT(Tables.PAYMENTS, Shape.CUT, null, null, null),
  Y_DUP(Tables.PAYMENTS, Shape.DUP, null, null, "duplicate_key:payment_id"),
  Y_ORPHAN(Tables.PAYMENTS, Shape.ORPHAN, null, null, "orphan_account"),
  // labels (always extra rows: the true labels stay intact)
  B_BAD_LABEL(Tables.LABELS, Shape.VALUE, Cols.LABEL, "2", "bad_value:label"),
  B_BAD_NUMBER(Tables.LABELS, Shape.VALUE, Cols.LABEL, "yes", "bad_number:label"),
  B_MISSING_ID(Tables.LABELS, Shape.VALUE, Cols.ACCOUNT_ID, null, "missing_required:account_id"),
  B_BAD_TS(Tables.LABELS, Shape.VALUE, Cols.LABELED_AT, "Q3 2026", "bad_timestamp:labeled_at"),
  B_ORPHAN(Tables.LABELS, Shape.ORPHAN, null, null, "orphan_account");

  /** How a fault changes the output. */
  enum Shape {
    /** One column's text replaced (null: left empty). */
    VALUE,
    /** A record cut short: CSV too few fields, JSON Lines broken JSON. */
    CUT,
    /** A stray extra value: CSV too many fields, JSON Lines not an object. */
    EXTRA,
    /** The row written twice; the second is the duplicate. */
    DUP,
    /** An extra copy of the row under an account_id no profile has. */
    ORPHAN
  }

  /** Rule of a profile whose last record ends inside a quoted field (a truncated file). */
  static final String UNTERMINATED = TextRecords.MALFORMED + ":unterminated_quote";

  final String table;
  final Shape shape;
  final String column;
  final String value;
  private final String rule;

  Fault(String table, Shape shape, String column, String value, String rule) {
    this.table = table;
    this.shape = shape;
    this.column = column;
    this.value = value;
    this.rule = rule;
  }

  /** The quarantine rule of the faulty record for an output format. */
  String rule(OutputFormat format) {
    if (shape == Shape.CUT) {
      return TextRecords.MALFORMED
          + (format == OutputFormat.CSV ? ":too_few_fields" : ":invalid_json");
    }
    if (shape == Shape.EXTRA) {
      return TextRecords.MALFORMED
          + (format == OutputFormat.CSV ? ":too_many_fields" : ":not_an_object");
    }
    return rule;
  }

  /** A copy of the row with this fault's value applied (VALUE faults only). */
  String[] apply(String[] row) {
    String[] out = row.clone();
    int i = Schemas.input(table).columnNames().indexOf(column);
    if (value != null && value.equals("-")) {
      out[i] = "-" + (row[i] == null ? "10.00" : row[i]);
    } else {
      out[i] = value;
    }
    return out;
  }

  static List<Fault> of(String table) {
    List<Fault> out = new ArrayList<>();
    for (Fault f : values()) {
      if (f.table.equals(table)) {
        out.add(f);
      }
    }
    return out;
  }
}
