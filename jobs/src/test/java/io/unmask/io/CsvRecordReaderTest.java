package io.unmask.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvRecordReaderTest {
  private record Rec(long line, List<String> fields, String raw, boolean unterminated) {}

  private static List<Rec> read(String text) throws Exception {
    List<Rec> out = new ArrayList<>();
    try (CsvRecordReader r = new CsvRecordReader(new StringReader(text))) {
      while (r.next()) {
        out.add(new Rec(r.line(), new ArrayList<>(r.fields()), r.raw(), r.unterminatedQuote()));
      }
    }
    return out;
  }

  @Test
  void quotedFieldsHoldCommasQuotesAndNewlines() throws Exception {
    List<Rec> recs = read("a,b,c\r\n1,\"x, \"\"y\"\"\nz\",3\r\n4,,\"\"\n");
    assertThat(recs).hasSize(3);
    assertThat(recs.get(1).fields()).containsExactly("1", "x, \"y\"\nz", "3");
    assertThat(recs.get(1).line()).isEqualTo(2);
    assertThat(recs.get(1).raw()).isEqualTo("1,\"x, \"\"y\"\"\nz\",3");
    assertThat(recs.get(2).line()).isEqualTo(4);
    assertThat(recs.get(2).fields()).containsExactly("4", null, null);
  }

  @Test
  void bomAndBlankLinesAreSkippedButCounted() throws Exception {
    List<Rec> recs = read("\uFEFFid,v\n\n1,a\n\n\n2,b");
    assertThat(recs.get(0).fields()).containsExactly("id", "v");
    assertThat(recs.get(1).line()).isEqualTo(3);
    assertThat(recs.get(2).line()).isEqualTo(6);
    assertThat(recs.get(2).fields()).containsExactly("2", "b");
  }

  @Test
  void unterminatedQuoteIsReported() throws Exception {
    List<Rec> recs = read("id,v\n1,\"open\n2,b\n");
    assertThat(recs).hasSize(2);
    assertThat(recs.get(1).unterminated()).isTrue();
  }
}
