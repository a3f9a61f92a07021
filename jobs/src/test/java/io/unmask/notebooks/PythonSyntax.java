package io.unmask.notebooks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.unmask.testing.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Checks that code cells are valid Python by handing them to {@code python3} ({@code ast.parse},
 * then {@code compile}, which also rejects e.g. {@code return} outside a function). Sources travel
 * in a temporary JSON file, never on the command line; nothing is executed.
 */
final class PythonSyntax {
  private PythonSyntax() {}

  private static final String CHECKER =
      """
      import ast, json, sys

      cells = json.load(open(sys.argv[1], encoding="utf-8"))
      bad = 0
      for c in cells:
          try:
              compile(ast.parse(c["source"], filename=c["where"]), c["where"], "exec")
          except (SyntaxError, ValueError) as e:
              bad += 1
              print(f'{c["where"]}: {type(e).__name__}: {e}')
      print(f"checked {len(cells)} cells, {bad} invalid")
      sys.exit(1 if bad else 0)
      """;

  /** The result of one check: python's exit status and what it printed. */
  record Result(int exit, String output) {}

  static Result check(List<Notebook> notebooks) {
    try {
      Path dir = Files.createTempDirectory("unmask-nb-syntax");
      Path script = Files.writeString(dir.resolve("check_cells.py"), CHECKER);
      ObjectMapper om = new ObjectMapper();
      ArrayNode cells = om.createArrayNode();
      for (Notebook nb : notebooks) {
        for (Notebook.Cell c : nb.codeCells()) {
          cells.addObject().put("where", nb.where(c)).put("source", c.source());
        }
      }
      Path json = dir.resolve("cells.json");
      Files.writeString(json, om.writeValueAsString(cells), StandardCharsets.UTF_8);
      Processes.Result r =
          Processes.run(List.of("python3", script.toString(), json.toString()), Map.of(), 60);
      return new Result(r.exit(), r.output());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
