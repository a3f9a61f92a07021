package io.unmask.features;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link NameMatch}: the profile's display name against a payout holder name. */
class NameMatchTest {
  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        // "First L." against the full name, in either word order
        "Indah S.             | Indah Santoso",
        "Ryan N.              | Nelson, Ryan",
        "Ryan N.              | RYAN NELSON",
        "I. Santoso           | Indah Santoso",
        // case, diacritics, punctuation, spacing, word order
        "José Álvarez         | JOSE ALVAREZ",
        "Zoë  O'Brien-Núñez   | obrien nunez,   zoe",
        "Søren Kierkegaard    | SOREN KIERKEGAARD",
        "İlker Çelik          | ILKER CELIK",
        "Ann Lee              | Lee Ann",
        "Bob Ray              | Ray, Bob",
        // middle names and initials on one side only
        "Ryan Nelson          | Ryan P. Nelson",
        "Maria Garcia         | Maria del Carmen Garcia Lopez",
        "Nguyen Van An        | Nguyen An",
        // transliteration noise on long words; two words written as one
        "Jürgen Groß          | Juergen Gross",
        "Mohammed Rahman      | Muhammad Rahman",
        "Oleksandr Shevchenko | Oleksandr Shevchenco",
        "Jae Hyun Kim         | Jaehyun Kim",
        // one word on one side
        "Budi                 | Budi Santoso",
        // a company in the person's full name is the person's; a surname like a business word
        "Indah Santoso        | Indah Santoso Consulting LLC",
        "Maria Co             | CO, MARIA",
      })
  void samePersonEitherWayRound(String display, String holder) {
    assertThat(NameMatch.mismatch(display, holder)).isEqualTo(NameMatch.MATCH);
    assertThat(NameMatch.mismatch(holder, display)).isEqualTo(NameMatch.MATCH);
  }

  @ParameterizedTest(name = "{0} is not {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "Ryan Nelson | Wei Zhang",
        "Ryan N.     | Wei Zhang",
        "Ann Lee     | Kim Chol",
        "Indah S.    | Ivan Santoso", // same initial and surname, another first name
        "Ryan Nelson | R. N.", // initials alone are not a name
        "Mark Jones  | Mike Jonson", // two edits apart: another name
        "Ryan Nelson | Nelly Ryann", // nor between a name and another name alike
      })
  void strangerEitherWayRound(String display, String holder) {
    assertThat(NameMatch.mismatch(display, holder)).isEqualTo(NameMatch.MISMATCH);
    assertThat(NameMatch.mismatch(holder, display)).isEqualTo(NameMatch.MISMATCH);
  }

  @ParameterizedTest(name = "{1} for {0} is a relative or a married name")
  @CsvSource(
      delimiter = '|',
      value = {
        "Jose Santos | Maria Santos", // a spouse's or a joint account
        "Mark Jones  | Mike Jones",
        "Ryan Nelson | Ryan Smith", // one word in common: not the same person, not a stranger
        "Indah S.    | Indah Wibowo",
        "Alan Smith  | Alana Smithe",
        "Kim Min-jun | KIM SEO YEON",
      })
  void oneSharedFullWordIsWeakEvidence(String display, String holder) {
    assertThat(NameMatch.mismatch(display, holder)).isEqualTo(NameMatch.RELATED);
    assertThat(NameMatch.mismatch(holder, display)).isEqualTo(NameMatch.RELATED);
  }

  @ParameterizedTest(name = "{1} for {0} is the person's company")
  @CsvSource(
      delimiter = '|',
      value = {
        "Indah Santoso | Santoso Consulting LLC",
        "Maria Cruz    | Cruz Solutions Inc.",
        "Maria Cruz    | CRUZ SOLUTIONS S.A.",
        "Ryan Nelson   | Nelson Web Studio",
        "Indah S.      | Santoso Consulting LLC", // the initial may stand for the company's name
      })
  void companyCarryingTheNameIsWeakEvidence(String display, String holder) {
    assertThat(NameMatch.mismatch(display, holder)).isEqualTo(NameMatch.COMPANY);
  }

  @ParameterizedTest(name = "{1} for {0} is a stranger's company")
  @CsvSource(
      delimiter = '|',
      value = {
        "Ryan Nelson   | Zhang Trading Ltd",
        "Indah Santoso | Acme Solutions Inc",
        "Ken Sato      | Agency One Ltd",
        "Ryan Nelson   | Consulting LLC",
      })
  void companyWithoutTheNameIsAMismatch(String display, String holder) {
    assertThat(NameMatch.mismatch(display, holder)).isEqualTo(NameMatch.MISMATCH);
  }

  @Test
  void missingOrIncomparableIsNull() {
    assertThat(NameMatch.mismatch(null, "Ryan Nelson")).isNull();
    assertThat(NameMatch.mismatch("Ryan Nelson", null)).isNull();
    assertThat(NameMatch.mismatch("Ryan Nelson", "   ")).isNull();
    assertThat(NameMatch.mismatch(" . ", "Ryan Nelson")).isNull();
    // another script than the Latin one: no cheap transliteration, so no verdict
    assertThat(NameMatch.mismatch("Kim Jong Un", "김정은")).isNull();
    assertThat(NameMatch.mismatch("김정은", "김정은")).isEqualTo(NameMatch.MATCH);
  }

  @Test
  void wordsAreNormalised() {
    assertThat(NameMatch.words("  Zoë O'Brien-Núñez, Jr. "))
        .containsExactly("zoe", "obrien", "nunez", "jr");
    assertThat(NameMatch.words("ŁUKASZ Ørsted")).containsExactly("lukasz", "orsted");
    assertThat(NameMatch.words(null)).isEmpty();
  }

  @Test
  void wordsAgreeOnInitialsAndSmallEditsOfLongWords() {
    assertThat(NameMatch.wordsAgree("s", "santoso")).isTrue();
    assertThat(NameMatch.wordsAgree("santos", "santoso")).isTrue();
    assertThat(NameMatch.wordsAgree("muhammad", "mohammed")).isTrue(); // 2 edits, 8 letters
    assertThat(NameMatch.wordsAgree("lee", "lei")).isFalse(); // short
    assertThat(NameMatch.wordsAgree("nelson", "wilson")).isFalse(); // 2 edits, 6 letters
    assertThat(NameMatch.editDistance("kitten", "sitting")).isEqualTo(3);
  }
}
