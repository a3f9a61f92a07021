package io.unmask.generate;

import java.util.Locale;

/** File format of the generated tables. */
public enum OutputFormat {
  CSV(".csv.gz"),
  JSONL(".jsonl.gz"),
  PARQUET(".parquet");

  public final String extension;

  OutputFormat(String extension) {
    this.extension = extension;
  }

  public static OutputFormat parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Unknown format '" + s + "': choose csv, jsonl or parquet");
    }
  }
}
