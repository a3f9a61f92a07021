package io.unmask.generate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.unmask.common.Progress;
import io.unmask.io.CsvRecordReader;
import io.unmask.testing.SparkTest;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code generate --daily}: the same world as the plain snapshot, delivered as one export per day
 * (D1 a snapshot, then increments with late, re-delivered and changed rows) whose union, one copy
 * per key and the last profile per account, is exactly the snapshot.
 */
class DailyExportTest extends SparkTest {
  private static final int DAYS = 4;
  private static final long ACCOUNTS = 2000;
  private static final List<String> DAY_NAMES =
      List.of("2026-10-28", "2026-10-29", "2026-10-30", "2026-10-31");
  private static final List<String> TABLES = List.of("profiles", "logins", "payments", "labels");

  private static Path snapshot;
  private static Path daily;

  private static GenerateJob.Options options(Path dir) {
    // Two part files, so that the split works per task.
    return new GenerateJob.Options(
        dir.toString(), ACCOUNTS, 11, Scenario.STANDARD, OutputFormat.CSV, 20, 1200, false);
  }

  private static Progress quiet() {
    return new Progress(new PrintStream(new ByteArrayOutputStream()));
  }

  @BeforeAll
  static void generate() {
    snapshot = tempDir("daily-snap");
    GenerateJob.run(spark(), options(snapshot), quiet());
    daily = tempDir("daily");
    GenerateJob.run(spark(), options(daily), DAYS, quiet());
  }

  /** One CSV record: its text as written and its fields. */
  record Rec(String raw, List<String> f) {
    String key() {
      return f.get(0);
    }

    /** UTC day of the event time ({@code ts}, third column of logins and payments). */
    String tsDay() {
      return f.get(2).substring(0, 10);
    }
  }

  static List<Rec> read(Path tableDir) throws Exception {
    List<Rec> out = new ArrayList<>();
    List<Path> parts;
    try (Stream<Path> s = Files.list(tableDir)) {
      parts = s.sorted().toList();
    }
    for (Path p : parts) {
      try (Reader r =
              new InputStreamReader(
                  new GZIPInputStream(Files.newInputStream(p)), StandardCharsets.UTF_8);
          CsvRecordReader csv = new CsvRecordReader(r)) {
        boolean header = true;
        while (csv.next()) {
          if (header) {
            header = false;
            continue;
          }
          out.add(new Rec(csv.raw(), new ArrayList<>(csv.fields())));
        }
      }
    }
    return out;
  }

  static List<Rec> day(int d, String table) throws Exception {
    return read(daily.resolve(DAY_NAMES.get(d)).resolve(table));
  }

  static List<String> sortedRaw(List<Rec> rows) {
    return rows.stream().map(Rec::raw).sorted().toList();
  }

  @Test
  void oneFolderPerDayNamedByDate() throws Exception {
    List<String> names;
    try (Stream<Path> s = Files.list(daily)) {
      names = s.map(p -> p.getFileName().toString()).sorted().toList();
    }
    List<String> expected = new ArrayList<>(DAY_NAMES);
    expected.add(GenerateJob.MANIFEST);
    expected.add(GenerateJob.TRUTH);
    assertThat(names).containsExactlyElementsOf(expected);
    for (String d : DAY_NAMES) {
      for (String t : TABLES) {
        try (Stream<Path> s = Files.list(daily.resolve(d).resolve(t))) {
          assertThat(s.map(p -> p.getFileName().toString()).sorted().toList())
              .containsExactly("part-00000.csv.gz", "part-00001.csv.gz");
        }
      }
    }
    assertThat(Daily.lastDay()).isEqualTo(DAY_NAMES.get(DAYS - 1));
  }

  @Test
  void firstDayIsASnapshotLaterDaysHoldTheirDaysEvents() throws Exception {
    String d1 = DAY_NAMES.get(0);
    assertThat(day(0, "profiles")).hasSize((int) ACCOUNTS);
    for (String t : List.of("logins", "payments")) {
      List<Rec> all = read(snapshot.resolve(t));
      Set<String> first = new HashSet<>(sortedRaw(day(0, t)));
      // Everything before D1, and all but the late few of D1 itself.
      List<Rec> before = all.stream().filter(r -> r.tsDay().compareTo(d1) < 0).toList();
      assertThat(before).allMatch(r -> first.contains(r.raw()));
      long ofD1 = all.stream().filter(r -> r.tsDay().equals(d1)).count();
      long ofD1Delivered =
          all.stream().filter(r -> r.tsDay().equals(d1) && first.contains(r.raw())).count();
      assertThat(ofD1).isPositive();
      assertThat(ofD1Delivered).isBetween(ofD1 * 9 / 10, ofD1);
      assertThat(day(0, t)).allMatch(r -> r.tsDay().compareTo(d1) <= 0);
      assertThat(first).hasSize(before.size() + (int) ofD1Delivered);
      for (int d = 1; d < DAYS; d++) {
        String name = DAY_NAMES.get(d);
        List<Rec> rows = day(d, t);
        assertThat(rows).isNotEmpty().allMatch(r -> r.tsDay().compareTo(name) <= 0);
        long own = rows.stream().filter(r -> r.tsDay().equals(name)).count();
        assertThat(own).as("%s of %s", t, name).isGreaterThanOrEqualTo(rows.size() * 85L / 100);
        // An increment is about a day: far smaller than the snapshot.
        assertThat(rows.size()).isLessThan(first.size() / 20);
      }
    }
  }

  @Test
  void lateAndRedeliveredEventsExist() throws Exception {
    for (String t : List.of("logins", "payments")) {
      Map<String, String> seen = new HashMap<>();
      int late = 0;
      int again = 0;
      int increments = 0;
      for (int d = 0; d < DAYS; d++) {
        for (Rec r : day(d, t)) {
          String earlier = seen.putIfAbsent(r.key(), r.raw());
          if (earlier != null) {
            assertThat(d).isPositive();
            assertThat(r.raw()).isEqualTo(earlier); // an identical copy
            again++;
          } else if (r.tsDay().compareTo(DAY_NAMES.get(d)) < 0 && d > 0) {
            late++;
          }
          if (d > 0) {
            increments++;
          }
        }
      }
      assertThat(late).as("late %s", t).isPositive().isLessThan(increments / 10);
      assertThat(again).as("re-delivered %s", t).isPositive().isLessThan(increments / 10);
    }
  }

  @Test
  void profilesChangeForConcealedAndGenuineAccounts() throws Exception {
    Map<String, Boolean> concealed = new HashMap<>();
    for (Rec r : read(daily.resolve("_truth/accounts"))) {
      concealed.put(r.key(), Boolean.parseBoolean(r.f().get(1)));
    }
    Map<String, List<Rec>> versions = new LinkedHashMap<>();
    Map<String, Integer> finalDay = new HashMap<>();
    for (int d = 0; d < DAYS; d++) {
      for (Rec r : day(d, "profiles")) {
        versions.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r);
        finalDay.put(r.key(), d);
      }
    }
    int changedConcealed = 0;
    int changedGenuine = 0;
    // display_name, phone, claimed_country, claimed_city, claimed_timezone, photo_hash
    Set<Integer> mayChange = Set.of(2, 4, 6, 7, 8, 13);
    for (Map.Entry<String, List<Rec>> e : versions.entrySet()) {
      List<Rec> v = e.getValue();
      if (v.size() == 1) {
        continue;
      }
      assertThat(v).hasSize(2);
      assertThat(finalDay.get(e.getKey())).isPositive();
      List<String> before = v.get(0).f();
      List<String> after = v.get(1).f();
      assertThat(before.get(1)).isEqualTo(after.get(1)); // created_at unchanged
      Set<Integer> differ = new HashSet<>();
      for (int i = 0; i < after.size(); i++) {
        if (!java.util.Objects.equals(before.get(i), after.get(i))) {
          differ.add(i);
        }
      }
      assertThat(differ).isNotEmpty();
      assertThat(mayChange).containsAll(differ);
      assertThat(before.get(6)).matches("[A-Z]{2}");
      if (concealed.get(e.getKey())) {
        assertThat(Set.of(2, 4, 13)).containsAll(differ); // name, phone, photo
        changedConcealed++;
      } else {
        changedGenuine++;
      }
    }
    assertThat(changedConcealed).isPositive();
    assertThat(changedGenuine).isGreaterThan(changedConcealed);
    // Modest: a few percent of the accounts.
    assertThat(changedConcealed + changedGenuine).isLessThan((int) (ACCOUNTS / 10));
  }

  @Test
  void unionOfTheDaysIsTheSnapshot() throws Exception {
    for (String t : List.of("logins", "payments")) {
      Map<String, String> byKey = new TreeMap<>();
      for (int d = 0; d < DAYS; d++) {
        for (Rec r : day(d, t)) {
          String earlier = byKey.putIfAbsent(r.key(), r.raw());
          assertThat(earlier == null || earlier.equals(r.raw())).isTrue();
        }
      }
      assertThat(byKey.values().stream().sorted().toList())
          .as(t)
          .isEqualTo(sortedRaw(read(snapshot.resolve(t))));
    }
    Map<String, String> lastProfile = new HashMap<>();
    for (int d = 0; d < DAYS; d++) {
      for (Rec r : day(d, "profiles")) {
        lastProfile.put(r.key(), r.raw());
      }
    }
    assertThat(lastProfile.values().stream().sorted().toList())
        .isEqualTo(sortedRaw(read(snapshot.resolve("profiles"))));
    List<Rec> labels = new ArrayList<>();
    for (int d = 0; d < DAYS; d++) {
      labels.addAll(day(d, "labels"));
    }
    assertThat(labels).isNotEmpty();
    assertThat(sortedRaw(labels)).isEqualTo(sortedRaw(read(snapshot.resolve("labels"))));
  }

  @Test
  void truthIsTheSnapshots() throws Exception {
    assertThat(GenerateDeterminismTest.hashes(daily.resolve(GenerateJob.TRUTH)))
        .isEqualTo(GenerateDeterminismTest.hashes(snapshot.resolve(GenerateJob.TRUTH)));
  }

  @Test
  void manifestListsTheDaysAndTheirRows() throws Exception {
    JsonNode m = new ObjectMapper().readTree(daily.resolve(GenerateJob.MANIFEST).toFile());
    assertThat(m.get("days").asInt()).isEqualTo(DAYS);
    assertThat(m.get("snapshot").asText()).isEqualTo(DAY_NAMES.get(0));
    assertThat(m.get("last_day").asText()).isEqualTo(DAY_NAMES.get(DAYS - 1));
    JsonNode perDay = m.get("per_day");
    assertThat(perDay).hasSize(DAYS);
    long changed = 0;
    for (int d = 0; d < DAYS; d++) {
      JsonNode day = perDay.get(d);
      assertThat(day.get("day").asText()).isEqualTo(DAY_NAMES.get(d));
      assertThat(day.get("kind").asText()).isEqualTo(d == 0 ? "snapshot" : "increment");
      for (String t : TABLES) {
        assertThat(day.get(t).asLong()).as("%s %s", t, d).isEqualTo(day(d, t).size());
      }
      changed += day.get("changed_profiles").asLong();
    }
    assertThat(perDay.get(0).get("late_logins").asLong()).isZero();
    JsonNode byType = m.get("changed_profiles");
    assertThat(byType.get("concealed").asLong() + byType.get("genuine").asLong())
        .isEqualTo(changed)
        .isPositive();
  }

  @Test
  void daysAndDeliveriesStayInTheWindow() {
    Daily d = new Daily(7, 30);
    assertThat(d.names[0]).isEqualTo("2026-10-02");
    assertThat(d.names[29]).isEqualTo("2026-10-31");
    assertThat(d.dayOf("2026-09-30T23:59:59Z")).isEqualTo(-1);
    assertThat(d.dayOf("2026-10-02T00:00:00Z")).isZero();
    assertThat(d.dayOf("2026-10-31T23:59:59Z")).isEqualTo(29);
    int late = 0;
    int copies = 0;
    for (int i = 0; i < 100_000; i++) {
      String key = "A" + i + "-L00001";
      int ts = i % 31 - 1;
      int at = d.delivery(key, ts);
      assertThat(at)
          .isBetween(Math.max(0, ts), Math.min(29, Math.max(0, ts) + Daily.LATE_MAX_DAYS));
      late += at > Math.max(0, ts) ? 1 : 0;
      int copy = d.redelivery(key, ts, at);
      if (copy >= 0) {
        assertThat(copy).isGreaterThan(at).isLessThanOrEqualTo(Math.min(29, at + 2));
        copies++;
      }
    }
    assertThat(late).isBetween(1_200, 2_000); // 2% of the events from D1 on, fewer near DN
    assertThat(copies).isBetween(700, 1_100);
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> new Daily(7, 1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void sameSeedGivesSameBytes() throws Exception {
    Path again = tempDir("daily-again");
    GenerateJob.run(spark(), options(again), DAYS, quiet());
    Map<String, String> h = GenerateDeterminismTest.hashes(daily);
    assertThat(h).isEqualTo(GenerateDeterminismTest.hashes(again));
    assertThat(h.keySet()).allMatch(f -> !Path.of(f).getFileName().toString().startsWith("."));
  }
}
