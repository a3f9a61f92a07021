package io.unmask.io;

import java.util.Locale;
import java.util.Optional;

/** The input formats of the contract, chosen by file ending. */
public enum SourceFormat {
  CSV,
  JSONL,
  PARQUET,
  DELTA;

  /** The format of a data file by its name, or empty for a file that is not data. */
  public static Optional<SourceFormat> ofFile(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    if (n.endsWith(".gz")) {
      n = n.substring(0, n.length() - 3);
    }
    if (n.endsWith(".csv")) {
      return Optional.of(CSV);
    }
    if (n.endsWith(".json") || n.endsWith(".jsonl") || n.endsWith(".ndjson")) {
      return Optional.of(JSONL);
    }
    if (n.endsWith(".parquet")) {
      return Optional.of(PARQUET);
    }
    return Optional.empty();
  }

  /** True for the formats ingest parses itself, line by line. */
  public boolean isText() {
    return this == CSV || this == JSONL;
  }
}
