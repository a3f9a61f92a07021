package io.unmask.notebooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.unmask.testing.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * One notebook under {@code notebooks/} as the tests see it: its nbformat JSON and its cells with
 * their source joined into one string. Reading checks only that the file is JSON with a cell list;
 * {@link NotebooksTest} checks the rest of the format.
 */
record Notebook(Path path, JsonNode json, List<Notebook.Cell> cells) {

  /**
   * One cell.
   *
   * @param number 1-based position in the notebook, as a reader counts cells
   * @param node the cell's JSON, for format checks
   */
  record Cell(int number, String id, String type, String source, List<String> tags, JsonNode node) {
    boolean isCode() {
      return "code".equals(type);
    }
  }

  /** The folder of the notebooks in this repository. */
  static Path folder() {
    return Processes.root().resolve("notebooks");
  }

  /** Every {@code notebooks/*.ipynb}, by name. */
  static List<Notebook> all() {
    try (Stream<Path> files = Files.list(folder())) {
      return files
          .filter(p -> p.getFileName().toString().endsWith(".ipynb"))
          .sorted()
          .map(Notebook::read)
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Notebook read(Path path) {
    JsonNode json;
    try {
      json = new ObjectMapper().readTree(path.toFile());
    } catch (IOException e) {
      throw new AssertionError(path.getFileName() + " is not valid JSON: " + e.getMessage(), e);
    }
    JsonNode cells = json.path("cells");
    if (!cells.isArray()) {
      throw new AssertionError(path.getFileName() + " has no cells array");
    }
    List<Cell> out = new ArrayList<>();
    for (int i = 0; i < cells.size(); i++) {
      JsonNode c = cells.get(i);
      List<String> tags = new ArrayList<>();
      c.path("metadata").path("tags").forEach(t -> tags.add(t.asText()));
      out.add(
          new Cell(
              i + 1, c.path("id").asText(""), c.path("cell_type").asText(""), text(c), tags, c));
    }
    return new Notebook(path, json, List.copyOf(out));
  }

  /** nbformat allows a source as one string or as a list of lines. */
  private static String text(JsonNode cell) {
    JsonNode s = cell.path("source");
    if (s.isTextual()) {
      return s.asText();
    }
    StringBuilder b = new StringBuilder();
    s.forEach(line -> b.append(line.asText()));
    return b.toString();
  }

  String name() {
    return path.getFileName().toString();
  }

  List<Cell> codeCells() {
    return cells.stream().filter(Cell::isCode).toList();
  }

  /**
   * Where a cell is, for assertion messages: {@code 04_investigate_account.ipynb cell 7 (id
   * 04-07)}.
   */
  String where(Cell cell) {
    return name() + " cell " + cell.number() + " (id " + cell.id() + ")";
  }
}
