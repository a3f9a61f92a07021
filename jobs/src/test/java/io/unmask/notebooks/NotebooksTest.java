package io.unmask.notebooks;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.unmask.common.Cols;
import io.unmask.common.Progress;
import io.unmask.common.Schemas;
import io.unmask.common.Tables;
import io.unmask.ingest.IngestJob;
import io.unmask.ingest.Store;
import io.unmask.io.DeltaIO;
import io.unmask.io.Inputs;
import io.unmask.notebooks.NotebookSql.Statement;
import io.unmask.review.ReviewQueue;
import io.unmask.testing.Processes;
import io.unmask.testing.SampleWarehouse;
import io.unmask.testing.SparkTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import scala.Option;

/**
 * The notebooks under {@code notebooks/}: valid nbformat 4 without outputs, valid Python, every
 * table read through the one helper, and every Spark SQL statement run from Java against the sample
 * warehouse with its parameters bound, as the notebook would run it on a cluster (PySpark itself is
 * not needed). A failure names the notebook, the cell and the statement.
 */
class NotebooksTest extends SparkTest {
  /** Most rows a statement may bring to the driver (the sample has 3,000 accounts). */
  private static final int MAX_ROWS = 1000;

  /** What a notebook's default {@code TOP_N} is bound to. */
  private static final int TOP_N = 20;

  private static final List<Notebook> NOTEBOOKS = Notebook.all();

  /** One run of one statement: its rows, or why it failed. */
  private record Outcome(Statement statement, List<Row> rows, String failure) {}

  @AfterAll
  static void dropViews() {
    dropNotebookViews();
  }

  @Test
  void notebooksAreNumberedFromOneToFour() {
    assertThat(NOTEBOOKS)
        .extracting(Notebook::name)
        .allMatch(n -> n.matches("0[1-9]_[a-z0-9_]+\\.ipynb"));
    assertThat(NOTEBOOKS)
        .extracting(nb -> nb.name().substring(0, 2))
        .containsExactly("01", "02", "03", "04");
  }

  @Test
  void everyNotebookIsNbformat4WithoutStoredOutputs() throws IOException {
    for (Notebook nb : NOTEBOOKS) {
      JsonNode j = nb.json();
      assertThat(j.path("nbformat").asInt()).as(nb.name() + " nbformat").isEqualTo(4);
      assertThat(j.path("nbformat_minor").isInt()).as(nb.name() + " nbformat_minor").isTrue();
      assertThat(j.path("metadata").path("kernelspec").path("name").asText())
          .as(nb.name() + " kernel")
          .isEqualTo("python3");
      assertThat(j.path("metadata").path("kernelspec").path("language").asText())
          .isEqualTo("python");
      String raw = Files.readString(nb.path());
      assertThat(raw.length()).as(nb.name() + " size").isLessThan(100_000);
      assertThat(raw).as(nb.name()).doesNotContain("base64", "data:image", "image/png");
      Set<String> ids = new LinkedHashSet<>();
      for (Notebook.Cell c : nb.cells()) {
        String where = nb.where(c);
        assertThat(c.type()).as(where + " cell_type").isIn("markdown", "code", "raw");
        JsonNode source = c.node().get("source");
        assertThat(source).as(where + " source").isNotNull();
        assertThat(source.isTextual() || (source.isArray() && allText(source)))
            .as(where + " source is a string or a list of strings")
            .isTrue();
        assertThat(c.node().path("metadata").isObject()).as(where + " metadata").isTrue();
        assertThat(c.node().path("attachments").isMissingNode())
            .as(where + " attachments")
            .isTrue();
        assertThat(c.source().length()).as(where + " source length").isLessThan(10_000);
        assertThat(ids.add(c.id())).as(where + " has a unique id").isTrue();
        if (c.isCode()) {
          assertThat(c.node().has("outputs") && c.node().get("outputs").isArray())
              .as(where + " has an outputs list")
              .isTrue();
          assertThat(c.node().get("outputs")).as(where + " stored outputs").isEmpty();
          assertThat(c.node().has("execution_count")).as(where + " execution_count key").isTrue();
          assertThat(c.node().get("execution_count").isNull())
              .as(where + " execution_count")
              .isTrue();
        }
      }
    }
  }

  @Test
  void theFirstCodeCellHoldsTheParametersAndTheNextOneTheSession() {
    for (Notebook nb : NOTEBOOKS) {
      List<Notebook.Cell> code = nb.codeCells();
      Notebook.Cell params = code.get(0);
      assertThat(params.tags()).as(nb.where(params) + " tags").contains("parameters");
      assertThat(params.source())
          .as(nb.where(params))
          .containsPattern("(?m)^WAREHOUSE = \"")
          .containsPattern("(?m)^AS_OF = None\\b")
          .doesNotContain("spark");
      if (nb.name().startsWith("04")) {
        assertThat(params.source())
            .as(nb.where(params))
            .containsPattern("(?m)^ACCOUNT_ID = None\\b");
      }
      Notebook.Cell setup = code.get(1);
      assertThat(setup.source())
          .as(nb.where(setup))
          .contains("spark = SparkSession.builder.getOrCreate()")
          .contains("def register(")
          .contains("spark.read.format(\"delta\").load(f\"{WAREHOUSE");
      assertThat(nb.cells())
          .as(nb.name() + " explains the Delta settings needed outside Databricks")
          .anyMatch(
              c ->
                  c.type().equals("markdown")
                      && c.source()
                          .contains("spark.sql.extensions=io.delta.sql.DeltaSparkSessionExtension")
                      && c.source()
                          .contains(
                              "spark.sql.catalog.spark_catalog="
                                  + "org.apache.spark.sql.delta.catalog.DeltaCatalog"));
    }
  }

  @Test
  void everyCodeCellIsValidPython() {
    PythonSyntax.Result r = PythonSyntax.check(NOTEBOOKS);
    assertThat(r.exit()).as(r.output()).isZero();
    int cells = NOTEBOOKS.stream().mapToInt(nb -> nb.codeCells().size()).sum();
    assertThat(r.output()).contains("checked " + cells + " cells, 0 invalid");
  }

  @Test
  void everyTableIsReadThroughTheHelperAndEveryQueryIsExtracted() {
    for (Notebook nb : NOTEBOOKS) {
      String code =
          nb.codeCells().stream().map(Notebook.Cell::source).collect(Collectors.joining("\n"));
      assertThat(NotebookSql.count(code, "spark.read"))
          .as(nb.name() + ": spark.read only inside register()")
          .isEqualTo(1);
      assertThat(NotebookSql.count(code, ".load(")).as(nb.name() + " .load(").isEqualTo(1);
      for (Notebook.Cell c : nb.codeCells()) {
        for (String banned : List.of("spark.table(", "DeltaTable", "f\"\"\"", "f'''")) {
          assertThat(c.source().contains(banned))
              .as(nb.where(c) + " uses " + banned + " (read tables with register, SQL as literals)")
              .isFalse();
        }
      }
      assertThat(NotebookSql.registeredTables(nb)).as(nb.name() + " tables").isNotEmpty();
      List<Statement> statements = NotebookSql.statements(nb);
      assertThat(statements.size())
          .as(
              nb.name()
                  + ": every spark.sql( call must be spark.sql(\"\"\"literal query\"\"\"[,"
                  + " args={...}]")
          .isEqualTo(NotebookSql.sqlCalls(nb));
      for (Statement s : statements) {
        assertThat(s.argNames()).as(s.where() + " args keys vs :markers").isEqualTo(s.markers());
      }
    }
  }

  @Test
  void everyStatementRunsOnTheSampleWarehouse() {
    String wh = SampleWarehouse.get().toString();
    Map<String, Object> bind = sampleBindings(wh);
    List<String> problems = new ArrayList<>();
    int statements = 0;
    for (Notebook nb : NOTEBOOKS) {
      List<Outcome> outcomes = runAll(nb, wh, bind, problems);
      statements += outcomes.size();
      problems.addAll(checkOutcomes(outcomes));
    }
    assertThat(problems).as("statements that failed on the sample warehouse " + bind).isEmpty();
    assertThat(statements).isGreaterThanOrEqualTo(30);
  }

  @Test
  void theInvestigationFindsTheTopAccountItsSignInsLinksAndRing() {
    String wh = SampleWarehouse.get().toString();
    Map<String, Object> bind = sampleBindings(wh);
    String account = (String) bind.get("account_id");
    LocalDate asOf = (LocalDate) bind.get("as_of");
    Notebook nb = notebook("04");
    List<String> problems = new ArrayList<>();
    Map<String, Outcome> byTarget = byTarget(runAll(nb, wh, bind, problems));
    assertThat(problems).isEmpty();

    List<Row> score = rows(byTarget, "score");
    assertThat(score).hasSize(1);
    assertThat(score.get(0).<String>getAs(Cols.ACCOUNT_ID)).isEqualTo(account);
    assertThat(score.get(0).<Integer>getAs(Cols.RANK)).isEqualTo(1);
    assertThat(rows(byTarget, "ACCOUNT_ID").get(0).getString(0)).isEqualTo(account);

    Row stored =
        day(wh, Tables.RISK_SCORES, asOf).filter(col(Cols.ACCOUNT_ID).equalTo(account)).first();
    List<String> storedCodes =
        stored.<Row>getList(stored.fieldIndex(Cols.REASONS)).stream()
            .map(r -> r.<String>getAs("code"))
            .toList();
    assertThat(rows(byTarget, "reasons"))
        .extracting(r -> r.<String>getAs("code"))
        .isNotEmpty()
        .containsExactlyElementsOf(storedCodes);

    // the account's sign-ins as the pipeline saw them on the day (each event once, up to its end)
    long signIns =
        Inputs.logins(spark(), wh, asOf).filter(col(Cols.ACCOUNT_ID).equalTo(account)).count();
    List<Row> places = rows(byTarget, "places");
    assertThat(places.stream().mapToLong(r -> r.<Long>getAs("sign_ins")).sum())
        .as("sign-ins by country add up to the account's sign-ins")
        .isEqualTo(signIns);
    assertThat(places)
        .as("the range look-up finds a country")
        .anyMatch(r -> !"unknown".equals(r.getAs("ip_country")));
    assertThat(rows(byTarget, "hours").stream().mapToLong(r -> r.<Long>getAs("sign_ins")).sum())
        .isEqualTo(signIns);

    long links =
        day(wh, Tables.ACCOUNT_LINKS, asOf)
            .filter(col(Cols.ACCOUNT_A).equalTo(account).or(col(Cols.ACCOUNT_B).equalTo(account)))
            .count();
    assertThat(rows(byTarget, "linked"))
        .hasSize((int) Math.min(200, links))
        .noneMatch(r -> account.equals(r.getAs("other_account")));

    String cluster = (String) bind.get("cluster_id");
    long members =
        day(wh, Tables.CLUSTERS, asOf).filter(col(Cols.CLUSTER_ID).equalTo(cluster)).count();
    assertThat(rows(byTarget, "members")).hasSize((int) Math.min(500, members));
    if (cluster.equals(stored.getAs(Cols.CLUSTER_ID))) {
      assertThat(rows(byTarget, "members"))
          .extracting(r -> r.<String>getAs(Cols.ACCOUNT_ID))
          .contains(account);
    }
  }

  @Test
  void theInvestigationShowsTheProfileAsOfTheDayAndItsHistory() {
    // a tiny warehouse stored by ingest's own Store: a1 changes name and phone on day 2, a2 does
    // not
    String wh = tempDir("nb-profiles").toString();
    StructType schema = Schemas.PROFILES_SPEC.cleanSchema();
    LocalDate day1 = LocalDate.of(2024, 3, 10);
    LocalDate day2 = LocalDate.of(2024, 3, 20);
    Store.write(
        spark()
            .createDataFrame(
                List.of(
                    profile(schema, "a1", "Ann", "+1 111"), profile(schema, "a2", "Bo", "+1 222")),
                schema),
        wh,
        Schemas.PROFILES_SPEC,
        day1);
    Store.write(
        spark()
            .createDataFrame(
                List.of(
                    profile(schema, "a1", "Ann Lee", "+1 999"),
                    profile(schema, "a2", "Bo", "+1 222")),
                schema),
        wh,
        Schemas.PROFILES_SPEC,
        day2);
    Notebook nb = notebook("04");

    // the notebook's other tables are absent here: only the two profile statements matter
    Map<String, Outcome> onDay2 =
        byTarget(runAll(nb, wh, Map.of("as_of", day2, "account_id", "a1"), new ArrayList<>()));
    assertThat(rows(onDay2, "profile"))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.<String>getAs(Cols.DISPLAY_NAME)).isEqualTo("Ann Lee");
              assertThat(r.<java.sql.Date>getAs("version_since").toLocalDate()).isEqualTo(day2);
            });
    List<Row> history = rows(onDay2, "profile_history");
    assertThat(history)
        .extracting(r -> r.<String>getAs(Cols.DISPLAY_NAME))
        .containsExactly("Ann Lee", "Ann");
    assertThat(history.get(0).<java.sql.Date>getAs(Cols.VALID_TO)).isNull();
    assertThat(history.get(0).<String>getList(history.get(0).fieldIndex("changed")))
        .containsExactly(Cols.DISPLAY_NAME, Cols.PHONE);
    // the first version holds from the account's creation, up to the change
    assertThat(history.get(1).<java.sql.Date>getAs(Cols.VALID_FROM).toLocalDate())
        .isEqualTo(LocalDate.of(2024, 3, 1));
    assertThat(history.get(1).<java.sql.Date>getAs(Cols.VALID_TO).toLocalDate()).isEqualTo(day2);
    assertThat(history.get(1).<String>getList(history.get(1).fieldIndex("changed")))
        .containsExactly("first version");

    // as of day 1 the change is not known yet
    Map<String, Outcome> onDay1 =
        byTarget(runAll(nb, wh, Map.of("as_of", day1, "account_id", "a1"), new ArrayList<>()));
    assertThat(rows(onDay1, "profile"))
        .singleElement()
        .satisfies(r -> assertThat(r.<String>getAs(Cols.DISPLAY_NAME)).isEqualTo("Ann"));
    assertThat(rows(onDay1, "profile_history"))
        .singleElement()
        .satisfies(r -> assertThat(r.<java.sql.Date>getAs(Cols.VALID_TO)).isNull());
  }

  /** A clean profile row created on 2024-03-01, with the given name and phone. */
  private static Row profile(StructType schema, String account, String name, String phone) {
    Object[] v = new Object[schema.size()];
    v[schema.fieldIndex(Cols.ACCOUNT_ID)] = account;
    v[schema.fieldIndex(Cols.CREATED_AT)] =
        java.sql.Timestamp.from(java.time.Instant.parse("2024-03-01T10:00:00Z"));
    v[schema.fieldIndex(Cols.CLAIMED_COUNTRY)] = "US";
    v[schema.fieldIndex(Cols.DISPLAY_NAME)] = name;
    v[schema.fieldIndex(Cols.PHONE)] = phone;
    return RowFactory.create(v);
  }

  @Test
  void theInvestigationShowsTheReviewStateAndTheDecisionsNewestFirst() {
    String wh = SampleWarehouse.get().toString();
    Map<String, Object> bind = sampleBindings(wh);
    String account = (String) bind.get("account_id");
    LocalDate asOf = (LocalDate) bind.get("as_of");
    Notebook nb = notebook("04");
    assertThat(NotebookSql.optionalTables(nb)).contains("labels", "decisions");
    assertThat(NotebookSql.emptySchemas(nb)).containsKeys("labels", "decisions");

    // the sample warehouse holds no decisions: an empty history, and the state the queue gives
    assertThat(DeltaIO.exists(spark(), wh, Tables.DECISIONS)).isFalse();
    List<String> problems = new ArrayList<>();
    Map<String, Outcome> before = byTarget(runAll(nb, wh, bind, problems));
    assertThat(problems).isEmpty();
    assertThat(rows(before, "decisions_history")).isEmpty();
    Dataset<Row> all = DeltaIO.read(spark(), wh, Tables.RISK_SCORES);
    String expected =
        ReviewQueue.annotate(spark(), wh, asOf, day(wh, Tables.RISK_SCORES, asOf), all)
            .filter(col(Cols.ACCOUNT_ID).equalTo(account))
            .first()
            .getAs(Cols.REVIEW_STATE);
    assertThat(rows(before, "review_state"))
        .singleElement()
        .satisfies(r -> assertThat(r.<String>getAs("review_state")).isEqualTo(expected));

    // decisions recorded (in a warehouse of their own: the sample is read-only): newest first
    String decisions = tempDir("nb-decisions").toString();
    java.sql.Timestamp first =
        java.sql.Timestamp.from(
            asOf.plusDays(1).atStartOfDay().toInstant(java.time.ZoneOffset.UTC));
    java.sql.Timestamp second = new java.sql.Timestamp(first.getTime() + 3_600_000);
    spark()
        .createDataFrame(
            List.of(
                RowFactory.create(
                    "d1", account, "genuine", "a <b>real</b> designer", "ana", first, "cli", "r1"),
                RowFactory.create("d2", account, "unsure", null, "bo", second, "cli", "r2"),
                RowFactory.create(
                    "d3", "someone-else", "concealed", null, "bo", second, "cli", "r2")),
            Schemas.DECISIONS)
        .write()
        .format("delta")
        .save(Tables.path(decisions, Tables.DECISIONS));
    Map<String, Outcome> after =
        byTarget(runAll(nb, wh, Map.of(Tables.DECISIONS, decisions), bind, problems));
    assertThat(problems).isEmpty();
    assertThat(rows(after, "decisions_history"))
        .extracting(r -> r.<String>getAs("decision") + " " + r.getAs("decided_by"))
        .containsExactly("unsure bo", "genuine ana");
    assertThat(rows(after, "decisions_history").get(1).<String>getAs("note"))
        .isEqualTo("a <b>real</b> designer");
    Row state = rows(after, "review_state").get(0);
    assertThat(state.<String>getAs("review_state")).isEqualTo("unsure");
    assertThat(state.<String>getAs("reviewed_by")).isEqualTo("review:bo");
    assertThat(state.<java.sql.Timestamp>getAs("reviewed_at")).isEqualTo(second);
  }

  @Test
  void theQualityNotebookCountsEveryQuarantinedRowOfTheDirtySample() throws IOException {
    Path input = Processes.root().resolve("data-samples/dirty");
    String wh = tempDir("nb-dirty-wh").toString();
    IngestJob.run(
        spark(),
        new IngestJob.Options(input.toString(), wh, null, "nb-dirty", false),
        new Progress(new PrintStream(new ByteArrayOutputStream())));
    LocalDate asOf =
        DeltaIO.read(spark(), wh, Tables.INGEST_REPORT)
            .agg(max(col(Cols.AS_OF)))
            .first()
            .getDate(0)
            .toLocalDate();
    Notebook nb = notebook("01");
    List<String> problems = new ArrayList<>();
    List<Outcome> outcomes = runAll(nb, wh, Map.of("as_of", asOf), problems);
    problems.addAll(checkOutcomes(outcomes));
    assertThat(problems).isEmpty();
    Map<String, Outcome> byTarget = byTarget(outcomes);

    Map<String, Long> expected = new TreeMap<>();
    List<String> lines = Files.readAllLines(input.resolve("_truth/expected_quarantine.csv"));
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",");
      expected.put(f[0] + " " + f[1], Long.parseLong(f[2]));
    }
    Map<String, Long> shown = new TreeMap<>();
    for (Row r : rows(byTarget, "rules")) {
      shown.put(r.getAs("source_table") + " " + r.getAs("rule"), r.<Long>getAs("rows"));
    }
    assertThat(shown).isEqualTo(expected);

    Map<String, Long> examples = new TreeMap<>();
    for (Row r : rows(byTarget, "examples")) {
      examples.merge(r.getAs("source_table") + " " + r.getAs("rule"), 1L, Long::sum);
      assertThat(r.<String>getAs("raw_start")).hasSizeLessThanOrEqualTo(200);
    }
    assertThat(examples.keySet()).isEqualTo(expected.keySet());
    assertThat(examples.values()).allMatch(n -> n >= 1 && n <= 3);

    long quarantined =
        rows(byTarget, "report").stream()
            .filter(r -> asOf.equals(r.<java.sql.Date>getAs(Cols.AS_OF).toLocalDate()))
            .mapToLong(r -> r.<Long>getAs(Cols.QUARANTINED))
            .sum();
    assertThat(quarantined).isEqualTo(expected.values().stream().mapToLong(Long::longValue).sum());
  }

  // ---- running a notebook's statements ----

  /**
   * Registers the notebook's tables as its {@code register} helper does (Delta at {@code
   * <warehouse>/<name>}) and runs each statement in order with its markers bound; a statement that
   * cannot run becomes an outcome with a failure naming the notebook, cell and statement.
   */
  private static List<Outcome> runAll(
      Notebook nb, String warehouse, Map<String, Object> bindings, List<String> problems) {
    return runAll(nb, warehouse, Map.of(), bindings, problems);
  }

  /** As above, with some tables read from another warehouse ({@code table -> warehouse}). */
  private static List<Outcome> runAll(
      Notebook nb,
      String warehouse,
      Map<String, String> elsewhere,
      Map<String, Object> bindings,
      List<String> problems) {
    dropNotebookViews();
    Set<String> optional = NotebookSql.optionalTables(nb);
    Map<String, String> empty = NotebookSql.emptySchemas(nb);
    for (String table : NotebookSql.registeredTables(nb)) {
      String from = elsewhere.getOrDefault(table, warehouse);
      if (!DeltaIO.exists(spark(), from, table)) {
        if (optional.contains(table) && empty.containsKey(table)) {
          // as the notebook does: an empty view of the table's shape
          spark()
              .createDataFrame(List.of(), StructType.fromDDL(empty.get(table)))
              .createOrReplaceTempView(table);
        } else {
          problems.add(nb.name() + " registers " + table + ", which the warehouse does not hold");
        }
        continue;
      }
      spark().read().format("delta").load(Tables.path(from, table)).createOrReplaceTempView(table);
    }
    Map<String, Option<String>> before = new HashMap<>();
    NotebookSql.sessionConfs(nb)
        .forEach(
            (k, v) -> {
              before.put(k, spark().conf().getOption(k));
              spark().conf().set(k, v);
            });
    try {
      return runStatements(nb, bindings);
    } finally {
      before.forEach(
          (k, v) -> {
            if (v.isDefined()) {
              spark().conf().set(k, v.get());
            } else {
              spark().conf().unset(k);
            }
          });
    }
  }

  private static List<Outcome> runStatements(Notebook nb, Map<String, Object> bindings) {
    List<Outcome> out = new ArrayList<>();
    for (Statement s : NotebookSql.statements(nb)) {
      Map<String, Object> args = new HashMap<>();
      String failure = null;
      for (String m : s.markers()) {
        if (bindings.containsKey(m)) {
          args.put(m, bindings.get(m));
        } else {
          failure = s.where() + ": no test binding for :" + m;
        }
      }
      List<Row> rows = List.of();
      if (failure == null) {
        try {
          Dataset<Row> d = args.isEmpty() ? spark().sql(s.sql()) : spark().sql(s.sql(), args);
          rows = d.limit(MAX_ROWS + 1).collectAsList();
        } catch (Exception e) { // AnalysisException is a checked exception in Java's eyes
          failure = s.where() + ": " + firstLine(e.getMessage()) + "\n" + s.sql();
        }
      }
      out.add(new Outcome(s, rows, failure));
    }
    return out;
  }

  /** Failures, results too big for the driver, and empty results the notebook relies on. */
  private static List<String> checkOutcomes(List<Outcome> outcomes) {
    List<String> problems = new ArrayList<>();
    for (Outcome o : outcomes) {
      Statement s = o.statement();
      if (o.failure() != null) {
        problems.add(o.failure());
      } else if (o.rows().size() > MAX_ROWS) {
        problems.add(s.where() + ": more than " + MAX_ROWS + " rows for the driver");
      } else if (o.rows().isEmpty() && !s.mayBeEmpty()) {
        problems.add(
            s.where()
                + ": no rows (mark the query '"
                + NotebookSql.MAY_BE_EMPTY
                + ": why' if fine)");
      }
    }
    return problems;
  }

  private static Map<String, Outcome> byTarget(List<Outcome> outcomes) {
    Map<String, Outcome> out = new HashMap<>();
    for (Outcome o : outcomes) {
      if (o.statement().target() != null) {
        out.put(o.statement().target(), o);
      }
    }
    return out;
  }

  private static List<Row> rows(Map<String, Outcome> byTarget, String target) {
    assertThat(byTarget).as("a statement assigned to " + target).containsKey(target);
    Outcome o = byTarget.get(target);
    assertThat(o.failure()).as(o.statement().where()).isNull();
    return o.rows();
  }

  /**
   * The sample warehouse's latest as_of, its top-ranked account, a real cluster (the top account's,
   * else the largest) and the default top N.
   */
  private static Map<String, Object> sampleBindings(String wh) {
    LocalDate asOf =
        DeltaIO.read(spark(), wh, Tables.RISK_SCORES)
            .agg(max(col(Cols.AS_OF)))
            .first()
            .getDate(0)
            .toLocalDate();
    Row top = day(wh, Tables.RISK_SCORES, asOf).filter(col(Cols.RANK).equalTo(1)).first();
    String cluster = top.getAs(Cols.CLUSTER_ID);
    if (cluster == null) {
      cluster =
          day(wh, Tables.CLUSTERS, asOf)
              .orderBy(col(Cols.CLUSTER_SIZE).desc(), col(Cols.CLUSTER_ID))
              .first()
              .getAs(Cols.CLUSTER_ID);
    }
    return Map.of(
        "as_of", asOf,
        "account_id", top.<String>getAs(Cols.ACCOUNT_ID),
        "cluster_id", cluster,
        "top_n", TOP_N);
  }

  private static Dataset<Row> day(String wh, String table, LocalDate asOf) {
    return DeltaIO.read(spark(), wh, table)
        .filter(col(Cols.AS_OF).equalTo(lit(java.sql.Date.valueOf(asOf))));
  }

  private static Notebook notebook(String number) {
    return NOTEBOOKS.stream()
        .filter(nb -> nb.name().startsWith(number + "_"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no notebook " + number + "_*.ipynb"));
  }

  private static void dropNotebookViews() {
    for (Notebook nb : NOTEBOOKS) {
      NotebookSql.registeredTables(nb).forEach(t -> spark().catalog().dropTempView(t));
    }
  }

  private static boolean allText(JsonNode array) {
    for (JsonNode n : array) {
      if (!n.isTextual()) {
        return false;
      }
    }
    return true;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "(no message)";
    }
    String m = message.strip();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
