package io.unmask.notebooks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a notebook reads and queries, taken from its code cells by the conventions the notebooks
 * follow (docs/notebooks.md): tables are read only by {@code register("name", ...)}; every query is
 * {@code spark.sql("""...""")} with a literal triple-quoted query and, when it has parameter
 * markers, {@code args={"name": value, ...}}. A call written any other way (an f-string, a query in
 * a variable) is not extracted, so that {@link #sqlCalls} and {@link #statements} disagree and the
 * test fails.
 */
final class NotebookSql {
  private NotebookSql() {}

  /** A comment in a query saying that an empty result is expected on some warehouses. */
  static final String MAY_BE_EMPTY = "-- may be empty";

  /**
   * One {@code spark.sql(...)} call.
   *
   * @param ordinal 1-based position among the cell's calls
   * @param markers the named parameter markers in the query ({@code :as_of} gives {@code as_of})
   * @param argNames the keys of the call's {@code args} dict
   * @param target the Python name the result is assigned to ({@code places = spark.sql(...)}), or
   *     null
   */
  record Statement(
      Notebook notebook,
      Notebook.Cell cell,
      int ordinal,
      String sql,
      Set<String> markers,
      Set<String> argNames,
      String target) {

    boolean mayBeEmpty() {
      return sql.contains(MAY_BE_EMPTY);
    }

    String where() {
      return notebook.where(cell) + ", spark.sql #" + ordinal;
    }
  }

  private static final Pattern SQL_CALL =
      Pattern.compile(
          "spark\\.sql\\(\\s*(\"\"\"|''')(.*?)\\1\\s*(?:,\\s*args\\s*=\\s*\\{([^}]*)\\}\\s*)?\\)",
          Pattern.DOTALL);
  private static final Pattern ARG_KEY = Pattern.compile("[\"']([A-Za-z_][A-Za-z0-9_]*)[\"']\\s*:");
  private static final Pattern REGISTER_CALL = Pattern.compile("(?<![\\w.])register\\(([^)]*)\\)");
  private static final Pattern STRING_LITERAL = Pattern.compile("\"([^\"]*)\"|'([^']*)'");
  private static final Pattern TARGET = Pattern.compile("^\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*=\\s*$");
  private static final Pattern MARKER = Pattern.compile("(?<![:\\w]):([A-Za-z_][A-Za-z0-9_]*)");

  /** Occurrences of {@code spark.sql(} in the code cells, however written. */
  static int sqlCalls(Notebook nb) {
    int n = 0;
    for (Notebook.Cell c : nb.codeCells()) {
      n += count(c.source(), "spark.sql(");
    }
    return n;
  }

  static int count(String text, String what) {
    int n = 0;
    for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + what.length())) {
      n++;
    }
    return n;
  }

  /** Every extractable {@code spark.sql} call, in notebook order. */
  static List<Statement> statements(Notebook nb) {
    List<Statement> out = new ArrayList<>();
    for (Notebook.Cell c : nb.codeCells()) {
      Matcher m = SQL_CALL.matcher(c.source());
      int ordinal = 0;
      while (m.find()) {
        String sql = m.group(2);
        Set<String> args = new LinkedHashSet<>();
        if (m.group(3) != null) {
          Matcher k = ARG_KEY.matcher(m.group(3));
          while (k.find()) {
            args.add(k.group(1));
          }
        }
        String before = c.source().substring(0, m.start());
        Matcher t = TARGET.matcher(before.substring(before.lastIndexOf('\n') + 1));
        String target = t.find() ? t.group(1) : null;
        out.add(new Statement(nb, c, ++ordinal, sql.strip(), markers(sql), args, target));
      }
    }
    return out;
  }

  /**
   * Named parameter markers of a query, ignoring {@code --} comments and quoted text (so {@code
   * '09:00'} is no marker).
   */
  static Set<String> markers(String sql) {
    String bare =
        sql.replaceAll("--[^\\n]*", " ")
            .replaceAll("'(?:[^']|'')*'", "''")
            .replaceAll("`[^`]*`", "");
    Set<String> out = new LinkedHashSet<>();
    Matcher m = MARKER.matcher(bare);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  private static final Pattern CONF_SET =
      Pattern.compile("spark\\.conf\\.set\\(\\s*\"([^\"]+)\"\\s*,\\s*\"([^\"]*)\"\\s*\\)");

  /** The session settings the notebook makes ({@code spark.conf.set("key", "value")}), in order. */
  static Map<String, String> sessionConfs(Notebook nb) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Notebook.Cell c : nb.codeCells()) {
      Matcher m = CONF_SET.matcher(c.source());
      while (m.find()) {
        out.put(m.group(1), m.group(2));
      }
    }
    return out;
  }

  private static final Pattern EMPTY_SCHEMA =
      Pattern.compile("(?m)^NO_([A-Z0-9_]+)_SCHEMA = \"([^\"]+)\"");

  /**
   * The tables the notebook registers with {@code optional=True}: a warehouse may lack them, and
   * the notebook then carries on (with an empty view, see {@link #emptySchemas}).
   */
  static Set<String> optionalTables(Notebook nb) {
    Set<String> out = new LinkedHashSet<>();
    for (Notebook.Cell c : nb.codeCells()) {
      Matcher m = REGISTER_CALL.matcher(c.source());
      while (m.find()) {
        if (m.group(1).replace(" ", "").contains("optional=True")) {
          Matcher s = STRING_LITERAL.matcher(m.group(1));
          while (s.find()) {
            out.add(s.group(1) != null ? s.group(1) : s.group(2));
          }
        }
      }
    }
    return out;
  }

  /**
   * The schemas (Spark DDL) of the empty views a notebook puts in place of a missing optional
   * table: {@code NO_DECISIONS_SCHEMA = "..."} gives {@code decisions}.
   */
  static Map<String, String> emptySchemas(Notebook nb) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Notebook.Cell c : nb.codeCells()) {
      Matcher m = EMPTY_SCHEMA.matcher(c.source());
      while (m.find()) {
        out.put(m.group(1).toLowerCase(java.util.Locale.ROOT), m.group(2));
      }
    }
    return out;
  }

  /** The tables the notebook reads through its {@code register(...)} helper, in order. */
  static List<String> registeredTables(Notebook nb) {
    Set<String> out = new LinkedHashSet<>();
    for (Notebook.Cell c : nb.codeCells()) {
      Matcher m = REGISTER_CALL.matcher(c.source());
      while (m.find()) {
        Matcher s = STRING_LITERAL.matcher(m.group(1));
        while (s.find()) {
          out.add(s.group(1) != null ? s.group(1) : s.group(2));
        }
      }
    }
    return List.copyOf(out);
  }
}
