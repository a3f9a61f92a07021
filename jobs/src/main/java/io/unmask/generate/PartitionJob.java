package io.unmask.generate;

import io.unmask.common.Schemas;
import io.unmask.common.Tables;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The work of one task: the accounts {@code [from, to)} written to one part file per table (and one
 * truth file), with the dirty scenario's faults and quirks, and the tallies the driver adds up:
 * rows per table, expected quarantine per rule, accounts per archetype and look-alike.
 */
final class PartitionJob {
  /** Accounts whose first row of a table carries a given fault, so every fault occurs. */
  static final List<Fault> FORCED;

  static {
    List<Fault> f = new ArrayList<>();
    for (String t : List.of(Tables.PROFILES, Tables.LOGINS, Tables.PAYMENTS, Tables.LABELS)) {
      f.addAll(Fault.of(t));
    }
    FORCED = List.copyOf(f);
  }

  static final double PROFILE_FAULTS = 0.01;
  static final double LOGIN_FAULTS = 0.002;
  static final double PAYMENT_FAULTS = 0.004;
  static final double LABEL_FAULTS = 0.003;
  static final double ORPHAN_LABEL_ACCOUNTS = 0.001;

  static final List<String> TRUTH_COLUMNS =
      List.of(
          "account_id",
          "is_concealed",
          "archetype",
          "lookalike",
          "ring_id",
          "group_id",
          "takeover_at",
          "label");

  private final Plan plan;
  private final Accounts accounts;
  private final Activity activity;
  private final boolean dirty;
  private final OutputFormat format;
  private final Daily daily;
  private final Map<String, Long> tally = new TreeMap<>();

  PartitionJob(Plan plan, World world, OutputFormat format) {
    this(plan, world, format, null);
  }

  /**
   * @param daily the split into daily exports, or null for the one snapshot
   */
  PartitionJob(Plan plan, World world, OutputFormat format, Daily daily) {
    this.plan = plan;
    this.accounts = new Accounts(plan, world);
    this.activity = new Activity(accounts, world);
    this.dirty = plan.scenario == Scenario.DIRTY;
    this.format = format;
    this.daily = daily;
  }

  /** Tally keys. */
  static String rowsKey(String table) {
    return "rows|" + table;
  }

  static String ruleKey(String table, String rule) {
    return "rule|" + table + "|" + rule;
  }

  /** Tally key of a daily export's figure: {@code day|<index>|<what>}. */
  static String dayKey(int day, String what) {
    return "day|" + day + "|" + what;
  }

  /** Writes the part files of one partition; tables are skipped when {@code truthOnly}. */
  Map<String, Long> run(
      FileSystem fs, String output, int part, long from, long to, boolean truthOnly)
      throws IOException {
    Path root = new Path(output);
    TableFile truth =
        new TableFile(
            fs,
            new Path(new Path(root, GenerateJob.TRUTH), "accounts"),
            part,
            OutputFormat.CSV,
            TRUTH_COLUMNS,
            TableFile.Quirks.none(TRUTH_COLUMNS.size()));
    Files files = truthOnly || daily != null ? null : new Files(fs, root, part, 1 << 18);
    Files[] days = null;
    if (daily != null) {
      days = new Files[daily.days];
      for (int d = 0; d < days.length; d++) {
        // D1 is the snapshot; the increments are small: small buffers keep many days cheap.
        days[d] = new Files(fs, new Path(root, daily.names[d]), part, d == 0 ? 1 << 18 : 1 << 13);
      }
    }
    try {
      for (long i = from; i < to; i++) {
        Account a = accounts.build(i);
        truth.row(Activity.truth(a));
        count("archetype|" + a.archetype);
        if (a.lookalike != null) {
          count("lookalike|" + a.lookalike);
        }
        if (files != null) {
          account(a, files, i == plan.accounts - 1);
        } else if (days != null) {
          daily(a, days);
        }
      }
    } finally {
      truth.close();
      if (files != null) {
        files.close();
      }
      if (days != null) {
        for (Files f : days) {
          f.close();
        }
      }
    }
    return tally;
  }

  // ------------------------------------------------------------------ daily exports

  /**
   * One account's rows spread over the daily exports (clean scenarios only): the same rows as
   * {@link #account}, each delivered on its day, plus the copies and earlier profile versions.
   */
  private void daily(Account a, Files[] days) throws IOException {
    String[] profile = Activity.profile(a);
    record(Tables.PROFILES, null);
    for (Daily.Version v : daily.profile(a, profile)) {
      Files f = days[v.day()];
      f.profiles.row(v.row());
      dayCount(v.day(), Tables.PROFILES);
      if (v.kind().equals("changed")) {
        dayCount(v.day(), "changed_profiles");
        count("changed|" + (a.concealed() ? "concealed" : "genuine"));
      } else if (v.day() > 0) {
        dayCount(v.day(), "new_profiles");
      }
    }
    List<String[]> rows = new ArrayList<>();
    activity.logins(a, rows::add);
    dailyEvents(Tables.LOGINS, rows, days);
    rows.clear();
    activity.payments(a, rows::add);
    dailyEvents(Tables.PAYMENTS, rows, days);
    rows.clear();
    Activity.labels(a, rows::add);
    for (String[] r : rows) {
      int d = daily.labelDay(r[2]);
      days[d].labels.row(r);
      record(Tables.LABELS, null);
      dayCount(d, Tables.LABELS);
    }
  }

  private void dailyEvents(String table, List<String[]> rows, Files[] days) throws IOException {
    for (String[] r : rows) {
      int ts = daily.dayOf(r[2]);
      int d = daily.delivery(r[0], ts);
      file(days[d], table).row(r);
      record(table, null);
      dayCount(d, table);
      if (d > Math.max(0, ts)) {
        dayCount(d, "late_" + table);
      }
      int copy = daily.redelivery(r[0], ts, d);
      if (copy >= 0) {
        file(days[copy], table).row(r);
        dayCount(copy, table);
        dayCount(copy, "redelivered_" + table);
      }
    }
  }

  private static TableFile file(Files f, String table) {
    return table.equals(Tables.LOGINS) ? f.logins : f.payments;
  }

  private void dayCount(int day, String what) {
    count(dayKey(day, what));
  }

  private void count(String key) {
    tally.merge(key, 1L, Long::sum);
  }

  private void record(String table, String rule) {
    count(rowsKey(table));
    if (rule != null) {
      count(ruleKey(table, rule));
    }
  }

  /** The part files of the four tables, with the quirks of the dirty scenario. */
  private final class Files {
    final TableFile profiles;
    final TableFile logins;
    final TableFile payments;
    final TableFile labels;

    Files(FileSystem fs, Path root, int part, int buffer) throws IOException {
      profiles = open(fs, root, Schemas.PROFILES_SPEC, part, buffer);
      logins = open(fs, root, Schemas.LOGINS_SPEC, part, buffer);
      payments = open(fs, root, Schemas.PAYMENTS_SPEC, part, buffer);
      labels = open(fs, root, Schemas.LABELS_SPEC, part, buffer);
    }

    private TableFile open(FileSystem fs, Path root, Schemas.TableSpec spec, int part, int buffer)
        throws IOException {
      List<String> cols = spec.columnNames();
      TableFile.Quirks q =
          dirty ? quirks(spec.name(), cols.size(), part) : TableFile.Quirks.none(cols.size());
      return new TableFile(fs, new Path(root, spec.name()), part, format, cols, q, buffer);
    }

    void close() throws IOException {
      profiles.close();
      logins.close();
      payments.close();
      labels.close();
    }
  }

  /**
   * Legal file-format quirks per table: BOM, CRLF, mixed-case names, extra and reordered columns.
   */
  static TableFile.Quirks quirks(String table, int width, int part) {
    int[] plain = TableFile.Quirks.none(width).order();
    switch (table) {
      case Tables.PROFILES -> {
        int[] order = new int[width + 1];
        System.arraycopy(plain, 0, order, 0, width);
        order[width] = -1;
        return new TableFile.Quirks(true, true, true, order, "export_batch");
      }
      case Tables.LOGINS -> {
        int[] order = new int[width + 1];
        System.arraycopy(plain, 0, order, 0, width);
        order[width] = -1;
        return new TableFile.Quirks(false, part % 2 == 1, part % 2 == 0, order, "session_ms");
      }
      case Tables.PAYMENTS -> {
        int[] order = new int[width];
        for (int i = 0; i < width; i++) {
          order[i] = plain[width - 1 - i];
        }
        return new TableFile.Quirks(true, false, false, order, null);
      }
      default -> {
        int[] order = new int[width];
        for (int i = 0; i < width; i++) {
          order[i] = plain[(i + 1) % width];
        }
        return new TableFile.Quirks(false, true, true, order, null);
      }
    }
  }

  // ------------------------------------------------------------------ one account

  private Fault forced(long index, String table) {
    if (!dirty || index >= FORCED.size()) {
      return null;
    }
    Fault f = FORCED.get((int) index);
    return f.table.equals(table) ? f : null;
  }

  private void account(Account a, Files f, boolean last) throws IOException {
    Rng rng = new Rng(plan.seed, Rng.FAULTS, a.index);
    String[] profile = Activity.profile(a);
    Fault pf = forced(a.index, Tables.PROFILES);
    if (dirty && pf == null && a.index >= FORCED.size() && rng.chance(PROFILE_FAULTS)) {
      List<Fault> kinds = Fault.of(Tables.PROFILES);
      pf = kinds.get(rng.nextInt(kinds.size()));
    }
    boolean truncated = dirty && last && format != OutputFormat.PARQUET && a.index >= FORCED.size();
    if (truncated) {
      pf = null;
    }
    boolean rejected = truncated || (pf != null && pf.shape != Fault.Shape.DUP);
    String orphanRule = rejected ? "orphan_account" : null;

    // Each table has its own file; in profiles the truncated record must come last, and does:
    // it belongs to the last account of the last part.
    List<String[]> rows = new ArrayList<>();
    activity.logins(a, rows::add);
    events(Tables.LOGINS, f.logins, rows, a, rng, orphanRule, LOGIN_FAULTS);
    rows.clear();
    activity.payments(a, rows::add);
    events(Tables.PAYMENTS, f.payments, rows, a, rng, orphanRule, PAYMENT_FAULTS);
    rows.clear();
    Activity.labels(a, rows::add);
    for (String[] r : rows) {
      f.labels.row(r);
      record(Tables.LABELS, orphanRule);
    }
    if (dirty) {
      Fault lf = forced(a.index, Tables.LABELS);
      if (lf == null && rng.chance(LABEL_FAULTS)) {
        List<Fault> kinds = Fault.of(Tables.LABELS);
        lf = kinds.get(rng.nextInt(kinds.size()));
      }
      if (lf != null) {
        String[] base = {
          a.id, rng.chance(0.5) ? "1" : "0", Dates.iso(Accounts.END - 86_400L * 3), "investigation"
        };
        if (lf.shape == Fault.Shape.ORPHAN) {
          base[0] = ghost(a);
          f.labels.row(base);
        } else {
          f.labels.row(lf.apply(base));
        }
        record(Tables.LABELS, lf.rule(format));
      }
    }

    if (dirty) {
      quirkProfile(profile, rng);
    }
    if (truncated) {
      f.profiles.truncatedLast(profile);
      record(
          Tables.PROFILES,
          format == OutputFormat.CSV ? Fault.UNTERMINATED : Fault.P_CUT.rule(format));
    } else if (pf == null) {
      f.profiles.row(profile);
      record(Tables.PROFILES, null);
    } else {
      write(f.profiles, Tables.PROFILES, pf, profile, a, null);
    }
  }

  private void events(
      String table,
      TableFile out,
      List<String[]> rows,
      Account a,
      Rng rng,
      String orphanRule,
      double rate)
      throws IOException {
    Fault forced = forced(a.index, table);
    if (forced != null && rows.isEmpty()) {
      rows.add(synthetic(table, a));
    }
    List<Fault> kinds = dirty ? Fault.of(table) : List.of();
    for (int k = 0; k < rows.size(); k++) {
      String[] r = rows.get(k);
      Fault fault = null;
      if (dirty) {
        fault =
            k == 0 && forced != null
                ? forced
                : (rng.chance(rate) ? kinds.get(rng.nextInt(kinds.size())) : null);
        quirkEvent(table, r, rng);
      }
      if (fault == null) {
        out.row(r);
        record(table, orphanRule);
      } else {
        write(out, table, fault, r, a, orphanRule);
      }
    }
  }

  /** Writes one row with its fault and counts what the ingest will make of it. */
  private void write(
      TableFile out, String table, Fault fault, String[] r, Account a, String orphanRule)
      throws IOException {
    switch (fault.shape) {
      case VALUE -> {
        out.row(fault.apply(r));
        record(table, fault.rule(format));
      }
      case CUT -> {
        out.cut(r);
        record(table, fault.rule(format));
      }
      case EXTRA -> {
        out.extra(r);
        record(table, fault.rule(format));
      }
      case DUP -> {
        out.row(r);
        record(table, orphanRule);
        String[] copy = r.clone();
        if (table.equals(Tables.PROFILES)) {
          copy[9] = copy[9] == null ? "Freelancer" : copy[9] + " (updated)";
        }
        out.row(copy);
        record(table, fault.rule(format));
      }
      case ORPHAN -> {
        out.row(r);
        record(table, orphanRule);
        String[] copy = r.clone();
        copy[0] = copy[0].replace(a.id, ghost(a));
        copy[1] = ghost(a);
        out.row(copy);
        record(table, fault.rule(format));
      }
    }
  }

  /** An account id no profile has (a deleted account): never of the form of real ids. */
  private static String ghost(Account a) {
    return "x" + a.id.substring(1);
  }

  /** A plain row for an account that has none in a table but must carry a forced fault. */
  private static String[] synthetic(String table, Account a) {
    String ts = Dates.iso(Math.max(a.createdAt, Accounts.END - 86_400L * 2));
    if (table.equals(Tables.LOGINS)) {
      String d = a.devices.get(0);
      return new String[] {
        a.id + "-LX",
        a.id,
        ts,
        a.homeIp,
        d,
        Accounts.userAgent(d),
        a.browserZone,
        a.language,
        "true"
      };
    }
    return new String[] {
      a.id + "-PX", a.id, ts, "earning", "120.00", "USD", a.clients.get(0), null, null, null, null
    };
  }

  /** Legal variations the ingest must accept: space-separated UTC times, upper-case codes. */
  private static void quirkEvent(String table, String[] r, Rng rng) {
    if (rng.chance(0.01)) {
      r[2] = r[2].replace('T', ' ').replace("Z", "");
    }
    if (table.equals(Tables.PAYMENTS) && rng.chance(0.01)) {
      r[3] = r[3].toUpperCase(java.util.Locale.ROOT);
    }
  }

  private static void quirkProfile(String[] p, Rng rng) {
    if (rng.chance(0.02)) {
      p[6] = p[6].toLowerCase(java.util.Locale.ROOT);
    }
  }
}
