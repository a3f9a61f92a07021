package io.unmask.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CsvTest {
  @Test
  void formulaPrefixesAreNeutralisedAndQuotesDoubled() {
    assertThat(Csv.cell("=HYPERLINK(\"http://x\")")).isEqualTo("\"'=HYPERLINK(\"\"http://x\"\")\"");
    assertThat(Csv.cell("+1 555")).isEqualTo("\"'+1 555\"");
    assertThat(Csv.cell("-2")).isEqualTo("\"'-2\"");
    assertThat(Csv.cell("@SUM(A1)")).isEqualTo("\"'@SUM(A1)\"");
    assertThat(Csv.cell("plain, text")).isEqualTo("\"plain, text\"");
    assertThat(Csv.cell(null)).isEmpty();
  }

  @Test
  void tableOutputDropsControlCharacters() {
    assertThat(Csv.printable("a\u001b[31mred\nline")).isEqualTo("a [31mred line");
  }
}
