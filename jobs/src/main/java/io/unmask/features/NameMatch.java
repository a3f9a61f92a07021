package io.unmask.features;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Whether a payout holder name is the profile's display name, as platforms and banks really show
 * names. Pure Java, no Spark; {@link PaymentFeatures} applies it to distinct (account, holder)
 * pairs.
 *
 * <p>Rules, in order:
 *
 * <ol>
 *   <li>Either side missing (null, or no letters) → {@code null}; so is a name in a non-Latin
 *       script against a Latin one (no cheap transliteration: not comparable, not a mismatch).
 *   <li>Both sides are normalised: compatibility decomposition ({@link Normalizer}), accents
 *       dropped, a few letters with no decomposition folded ({@code ß → ss}, {@code ø → o}, …),
 *       lower case, apostrophes removed, any other non-letter a word break. So case, diacritics,
 *       punctuation and spacing never make a mismatch.
 *   <li>Words of length 1 are initials. Two words agree when equal, when an initial is the first
 *       letter of the other word, or (transliteration noise) when both have at least 5 letters and
 *       are 1 edit apart (2 from 8 letters on).
 *   <li>The names match ({@link #MATCH}) when, in any word order, at least two words agree one to
 *       one (one when either side has a single word) and at least one of the agreeing pairs is two
 *       full words. Words on one side only (middle names, initials) are ignored. So {@code Indah
 *       S.} is {@code Indah Santoso}, {@code Ryan N.} is {@code Nelson, Ryan}, {@code Ryan Nelson}
 *       is {@code Ryan P. Nelson}. Two adjacent words written as one on the other side ({@code Jae
 *       Hyun} / {@code Jaehyun}) also agree. Business words ({@code LLC}, {@code Consulting}, …) on
 *       the holder side are ignored here, so a company in the person's full name (two agreeing
 *       words, or the person's only word) is the person's.
 *   <li>Otherwise a holder with a business word ({@code Inc}, {@code LLC}, {@code Consulting},
 *       {@code Solutions}, …) that carries one of the person's names, e.g. {@code Santoso
 *       Consulting LLC} for {@code Indah Santoso}, is the person's own company: weak evidence
 *       ({@link #COMPANY}).
 *   <li>Otherwise a holder that shares one full word with the person, e.g. {@code Maria Santos} for
 *       {@code Jose Santos} or {@code Ryan Smith} for {@code Ryan Nelson}, is a relative (a
 *       spouse's or parent's account, a joint account) or the person under a married name: weak
 *       evidence ({@link #RELATED}).
 *   <li>Anything else is a stranger's name: {@link #MISMATCH}.
 * </ol>
 */
public final class NameMatch {
  /** Same person. */
  public static final double MATCH = 0.0;

  /** A company carrying one of the person's names: weak evidence, half a mismatch. */
  public static final double COMPANY = 0.5;

  /**
   * A name sharing one full word with the person's (a relative, or a married name): weak evidence,
   * half a mismatch.
   */
  public static final double RELATED = 0.5;

  /** A stranger's name. */
  public static final double MISMATCH = 1.0;

  /** At most this many words per side are compared (names are short; bounds the search). */
  static final int MAX_WORDS = 8;

  /**
   * Words that make a holder a business. A holder word that is also in the display name is never
   * one (a surname such as Co stays a name).
   */
  static final Set<String> BUSINESS =
      Set.of(
          """
          inc incorporated llc pllc llp lp ltd limited corp corporation co company gmbh ug ag sa
          sas sarl srl spa bv nv oy ab plc pte pty kk tbk pt cv sdn bhd consulting consultancy
          consultants solutions services service studio studios labs lab group holdings holding
          technologies technology tech software systems digital media design designs agency
          enterprises enterprise partners associates international global trading ventures
          development dev web it freelance
          """
              .trim()
              .split("\\s+"));

  private static final Map<Character, String> FOLD = new HashMap<>();

  static {
    FOLD.put('ß', "ss");
    FOLD.put('ø', "o");
    FOLD.put('æ', "ae");
    FOLD.put('œ', "oe");
    FOLD.put('đ', "d");
    FOLD.put('ð', "d");
    FOLD.put('ł', "l");
    FOLD.put('ı', "i");
    FOLD.put('þ', "th");
    FOLD.put('ħ', "h");
  }

  private NameMatch() {}

  /**
   * Mismatch degree of a payout holder name against the profile's display name: {@link #MATCH},
   * {@link #COMPANY}, {@link #RELATED} or {@link #MISMATCH}; {@code null} when either is missing or
   * they are not comparable (see the class comment).
   */
  public static Double mismatch(String displayName, String holderName) {
    List<String> person = words(displayName);
    List<String> holder = words(holderName);
    if (person.isEmpty() || holder.isEmpty()) {
      return null;
    }
    if (latin(person) != latin(holder)) {
      return null;
    }
    List<String> holderName2 = new ArrayList<>();
    boolean business = false;
    for (String w : holder) {
      if (BUSINESS.contains(w) && !person.contains(w)) {
        business = true;
      } else {
        holderName2.add(w);
      }
    }
    if (!holderName2.isEmpty() && samePerson(person, holderName2, business)) {
      return MATCH;
    }
    if (business && carriesAName(person, holderName2)) {
      return COMPANY;
    }
    if (!business && sharesAFullWord(person, holderName2)) {
      return RELATED;
    }
    return MISMATCH;
  }

  /** Normalised words: no accents, lower case, letters only (see the class comment). */
  static List<String> words(String name) {
    if (name == null) {
      return List.of();
    }
    String d = Normalizer.normalize(name, Normalizer.Form.NFKD).replaceAll("\\p{M}+", "");
    StringBuilder b = new StringBuilder(d.length());
    for (char c : d.toLowerCase(Locale.ROOT).toCharArray()) {
      String f = FOLD.get(c);
      if (f != null) {
        b.append(f);
      } else if (c == '\'' || c == '’' || c == '`' || c == 'ʼ' || c == '‘') {
        // O'Brien, D’Souza: one word
      } else if (Character.isLetter(c)) {
        b.append(c);
      } else {
        b.append(' ');
      }
    }
    List<String> out = new ArrayList<>();
    for (String w : b.toString().trim().split("\\s+")) {
      if (!w.isEmpty() && out.size() < MAX_WORDS) {
        out.add(w);
      }
    }
    return out;
  }

  private static boolean latin(List<String> words) {
    for (String w : words) {
      for (int i = 0; i < w.length(); ) {
        int cp = w.codePointAt(i);
        if (Character.UnicodeScript.of(cp) != Character.UnicodeScript.LATIN) {
          return false;
        }
        i += Character.charCount(cp);
      }
    }
    return true;
  }

  /**
   * Two words agree one to one (one when a side has a single word; for a {@code company}, two
   * unless the person has a single word: the full name), one pair of them two full words; trying
   * also each pair of adjacent words written as one, on either side.
   */
  static boolean samePerson(List<String> a, List<String> b, boolean company) {
    for (List<String> x : withJoined(a, b)) {
      for (List<String> y : withJoined(b, a)) {
        int need = Math.min(2, company ? x.size() : Math.min(x.size(), y.size()));
        if (best(x, y, 0, 0, false, new HashMap<>()) >= need) {
          return true;
        }
      }
    }
    return false;
  }

  /** {@code w}, and {@code w} with two adjacent full words joined where {@code other} has that. */
  private static List<List<String>> withJoined(List<String> w, List<String> other) {
    List<List<String>> out = new ArrayList<>();
    out.add(w);
    for (int i = 0; i + 1 < w.size(); i++) {
      if (w.get(i).length() < 2
          || w.get(i + 1).length() < 2
          || !other.contains(w.get(i) + w.get(i + 1))) {
        continue;
      }
      List<String> j = new ArrayList<>(w.subList(0, i));
      j.add(w.get(i) + w.get(i + 1));
      j.addAll(w.subList(i + 2, w.size()));
      out.add(j);
    }
    return out;
  }

  /** Most pairs from a[i..] into the unused words of b, or -1 unless a full pair is among them. */
  private static int best(
      List<String> a, List<String> b, int i, int used, boolean full, Map<Integer, Integer> memo) {
    if (i == a.size()) {
      return full ? 0 : -1;
    }
    int key = (i * (1 << MAX_WORDS) + used) * 2 + (full ? 1 : 0);
    Integer known = memo.get(key);
    if (known != null) {
      return known;
    }
    int most = best(a, b, i + 1, used, full, memo); // a[i] on one side only
    for (int j = 0; j < b.size(); j++) {
      if ((used & (1 << j)) == 0 && wordsAgree(a.get(i), b.get(j))) {
        boolean bothFull = a.get(i).length() > 1 && b.get(j).length() > 1;
        int rest = best(a, b, i + 1, used | (1 << j), full || bothFull, memo);
        if (rest >= 0) {
          most = Math.max(most, rest + 1);
        }
      }
    }
    memo.put(key, most);
    return most;
  }

  /** Equal; an initial and a word it starts; or both ≥ 5 letters and 1 edit apart (2 from 8). */
  static boolean wordsAgree(String x, String y) {
    if (x.equals(y)) {
      return true;
    }
    if (x.length() == 1 || y.length() == 1) {
      return x.charAt(0) == y.charAt(0);
    }
    int shorter = Math.min(x.length(), y.length());
    if (shorter < 5) {
      return false;
    }
    int allowed = shorter >= 8 ? 2 : 1;
    return Math.abs(x.length() - y.length()) <= allowed && editDistance(x, y) <= allowed;
  }

  /** A company name (business words removed) holding one of the person's words. */
  private static boolean carriesAName(List<String> person, List<String> company) {
    return agreeingWord(person, company, false);
  }

  /** One full word (not an initial) of the person agrees with one of the holder's. */
  private static boolean sharesAFullWord(List<String> person, List<String> holder) {
    return agreeingWord(person, holder, true);
  }

  /**
   * A word of {@code other} (not an initial) agrees with a word of the person's (full ones only).
   */
  private static boolean agreeingWord(List<String> person, List<String> other, boolean fullOnly) {
    for (String o : other) {
      for (String p : person) {
        if (o.length() > 1 && (!fullOnly || p.length() > 1) && wordsAgree(p, o)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Levenshtein distance. */
  static int editDistance(String x, String y) {
    int[] prev = new int[y.length() + 1];
    int[] cur = new int[y.length() + 1];
    for (int j = 0; j <= y.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= x.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= y.length(); j++) {
        int sub = prev[j - 1] + (x.charAt(i - 1) == y.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[y.length()];
  }
}
