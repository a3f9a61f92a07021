package io.unmask.generate;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The countries the synthetic freelancers live in (about 40), with what a genuine resident's data
 * look like there: cities and their IANA zones, browser language, phone prefix, name style and a
 * typical hourly rate. Weights are shares of the genuine population, roughly those of large
 * freelancing platforms.
 */
public final class Countries {

  /**
   * One country.
   *
   * @param cities city names, each with its IANA zone at the same index of {@code zones}
   */
  public record Country(
      String code,
      double weight,
      String language,
      String dial,
      String names,
      double rateMedian,
      List<String> cities,
      List<String> zones)
      implements Serializable {

    public String zoneOf(int city) {
      return zones.get(city);
    }
  }

  private static final Map<String, Country> BY_CODE = new LinkedHashMap<>();

  private static void add(
      String code,
      double weight,
      String lang,
      String dial,
      String names,
      double rate,
      String... cityZones) {
    List<String> cities = new ArrayList<>();
    List<String> zones = new ArrayList<>();
    for (String cz : cityZones) {
      int bar = cz.indexOf('|');
      cities.add(cz.substring(0, bar));
      zones.add(cz.substring(bar + 1));
    }
    BY_CODE.put(
        code,
        new Country(
            code, weight, lang, dial, names, rate, List.copyOf(cities), List.copyOf(zones)));
  }

  static {
    add(
        "US",
        20,
        "en-US",
        "1",
        "anglo",
        55,
        "New York|America/New_York",
        "Columbus|America/New_York",
        "Atlanta|America/New_York",
        "Miami|America/New_York",
        "Chicago|America/Chicago",
        "Austin|America/Chicago",
        "Dallas|America/Chicago",
        "Denver|America/Denver",
        "Phoenix|America/Phoenix",
        "Seattle|America/Los_Angeles",
        "San Francisco|America/Los_Angeles",
        "Los Angeles|America/Los_Angeles");
    add(
        "GB",
        5,
        "en-GB",
        "44",
        "anglo",
        45,
        "London|Europe/London",
        "Manchester|Europe/London",
        "Leeds|Europe/London",
        "Bristol|Europe/London",
        "Glasgow|Europe/London");
    add(
        "CA",
        3,
        "en-CA",
        "1",
        "anglo",
        50,
        "Toronto|America/Toronto",
        "Vancouver|America/Vancouver",
        "Montreal|America/Toronto",
        "Calgary|America/Edmonton");
    add(
        "AU",
        2,
        "en-AU",
        "61",
        "anglo",
        50,
        "Sydney|Australia/Sydney",
        "Melbourne|Australia/Melbourne",
        "Brisbane|Australia/Brisbane",
        "Perth|Australia/Perth");
    add("IE", 0.5, "en-IE", "353", "anglo", 45, "Dublin|Europe/Dublin", "Cork|Europe/Dublin");
    add(
        "DE",
        3,
        "de-DE",
        "49",
        "german",
        50,
        "Berlin|Europe/Berlin",
        "Munich|Europe/Berlin",
        "Hamburg|Europe/Berlin",
        "Cologne|Europe/Berlin");
    add(
        "FR",
        2,
        "fr-FR",
        "33",
        "french",
        45,
        "Paris|Europe/Paris",
        "Lyon|Europe/Paris",
        "Toulouse|Europe/Paris");
    add(
        "NL",
        1,
        "nl-NL",
        "31",
        "dutch",
        50,
        "Amsterdam|Europe/Amsterdam",
        "Rotterdam|Europe/Amsterdam",
        "Utrecht|Europe/Amsterdam");
    add(
        "ES",
        2,
        "es-ES",
        "34",
        "spanish",
        35,
        "Madrid|Europe/Madrid",
        "Barcelona|Europe/Madrid",
        "Valencia|Europe/Madrid");
    add(
        "IT",
        1.5,
        "it-IT",
        "39",
        "italian",
        35,
        "Milan|Europe/Rome",
        "Rome|Europe/Rome",
        "Turin|Europe/Rome");
    add("PT", 1, "pt-PT", "351", "portuguese", 30, "Lisbon|Europe/Lisbon", "Porto|Europe/Lisbon");
    add(
        "SE",
        0.7,
        "sv-SE",
        "46",
        "nordic",
        55,
        "Stockholm|Europe/Stockholm",
        "Gothenburg|Europe/Stockholm");
    add(
        "PL",
        2,
        "pl-PL",
        "48",
        "slavic",
        35,
        "Warsaw|Europe/Warsaw",
        "Krakow|Europe/Warsaw",
        "Wroclaw|Europe/Warsaw");
    add(
        "UA",
        3,
        "uk-UA",
        "380",
        "slavic",
        30,
        "Kyiv|Europe/Kyiv",
        "Lviv|Europe/Kyiv",
        "Kharkiv|Europe/Kyiv",
        "Odesa|Europe/Kyiv");
    add(
        "RO",
        1.5,
        "ro-RO",
        "40",
        "romanian",
        30,
        "Bucharest|Europe/Bucharest",
        "Cluj-Napoca|Europe/Bucharest",
        "Iasi|Europe/Bucharest");
    add(
        "RU",
        1.5,
        "ru-RU",
        "7",
        "russian",
        30,
        "Moscow|Europe/Moscow",
        "Saint Petersburg|Europe/Moscow",
        "Novosibirsk|Asia/Novosibirsk",
        "Vladivostok|Asia/Vladivostok");
    add(
        "TR",
        1.5,
        "tr-TR",
        "90",
        "turkish",
        25,
        "Istanbul|Europe/Istanbul",
        "Ankara|Europe/Istanbul",
        "Izmir|Europe/Istanbul");
    add("IL", 0.5, "he-IL", "972", "hebrew", 55, "Tel Aviv|Asia/Jerusalem", "Haifa|Asia/Jerusalem");
    add("AE", 0.5, "en-AE", "971", "arabic", 40, "Dubai|Asia/Dubai", "Abu Dhabi|Asia/Dubai");
    add("EG", 1.5, "ar-EG", "20", "arabic", 15, "Cairo|Africa/Cairo", "Alexandria|Africa/Cairo");
    add(
        "NG",
        3,
        "en-NG",
        "234",
        "nigerian",
        15,
        "Lagos|Africa/Lagos",
        "Abuja|Africa/Lagos",
        "Ibadan|Africa/Lagos");
    add("KE", 2, "en-KE", "254", "kenyan", 15, "Nairobi|Africa/Nairobi", "Mombasa|Africa/Nairobi");
    add(
        "ZA",
        1,
        "en-ZA",
        "27",
        "anglo",
        25,
        "Cape Town|Africa/Johannesburg",
        "Johannesburg|Africa/Johannesburg");
    add(
        "IN",
        12,
        "en-IN",
        "91",
        "indian",
        15,
        "Bengaluru|Asia/Kolkata",
        "Mumbai|Asia/Kolkata",
        "Delhi|Asia/Kolkata",
        "Hyderabad|Asia/Kolkata",
        "Pune|Asia/Kolkata",
        "Chennai|Asia/Kolkata");
    add(
        "PK",
        5,
        "en-PK",
        "92",
        "pakistani",
        12,
        "Lahore|Asia/Karachi",
        "Karachi|Asia/Karachi",
        "Islamabad|Asia/Karachi");
    add("BD", 4, "bn-BD", "880", "bangladeshi", 10, "Dhaka|Asia/Dhaka", "Chittagong|Asia/Dhaka");
    add("LK", 1, "si-LK", "94", "srilankan", 12, "Colombo|Asia/Colombo", "Kandy|Asia/Colombo");
    add(
        "NP",
        0.8,
        "ne-NP",
        "977",
        "nepali",
        10,
        "Kathmandu|Asia/Kathmandu",
        "Pokhara|Asia/Kathmandu");
    add(
        "PH",
        5,
        "en-PH",
        "63",
        "filipino",
        10,
        "Manila|Asia/Manila",
        "Cebu City|Asia/Manila",
        "Davao|Asia/Manila");
    add(
        "VN",
        2,
        "vi-VN",
        "84",
        "vietnamese",
        15,
        "Ho Chi Minh City|Asia/Ho_Chi_Minh",
        "Hanoi|Asia/Bangkok",
        "Da Nang|Asia/Ho_Chi_Minh");
    add(
        "ID",
        2,
        "id-ID",
        "62",
        "indonesian",
        12,
        "Jakarta|Asia/Jakarta",
        "Bandung|Asia/Jakarta",
        "Denpasar|Asia/Makassar");
    add(
        "MY",
        1,
        "ms-MY",
        "60",
        "malay",
        20,
        "Kuala Lumpur|Asia/Kuala_Lumpur",
        "Penang|Asia/Kuala_Lumpur");
    add("TH", 0.8, "th-TH", "66", "thai", 18, "Bangkok|Asia/Bangkok", "Chiang Mai|Asia/Bangkok");
    add("SG", 0.5, "en-SG", "65", "chinese", 55, "Singapore|Asia/Singapore");
    add(
        "KR",
        1.5,
        "ko-KR",
        "82",
        "korean",
        40,
        "Seoul|Asia/Seoul",
        "Busan|Asia/Seoul",
        "Incheon|Asia/Seoul");
    add(
        "JP",
        1.5,
        "ja-JP",
        "81",
        "japanese",
        45,
        "Tokyo|Asia/Tokyo",
        "Osaka|Asia/Tokyo",
        "Fukuoka|Asia/Tokyo");
    add(
        "CN",
        2,
        "zh-CN",
        "86",
        "chinese",
        25,
        "Shanghai|Asia/Shanghai",
        "Shenzhen|Asia/Shanghai",
        "Beijing|Asia/Shanghai",
        "Chengdu|Asia/Shanghai");
    add("TW", 0.7, "zh-TW", "886", "chinese", 35, "Taipei|Asia/Taipei", "Kaohsiung|Asia/Taipei");
    add(
        "BR",
        3,
        "pt-BR",
        "55",
        "portuguese",
        25,
        "Sao Paulo|America/Sao_Paulo",
        "Rio de Janeiro|America/Sao_Paulo",
        "Belo Horizonte|America/Sao_Paulo",
        "Recife|America/Recife");
    add(
        "MX",
        2,
        "es-MX",
        "52",
        "spanish",
        25,
        "Mexico City|America/Mexico_City",
        "Guadalajara|America/Mexico_City",
        "Monterrey|America/Monterrey");
    add(
        "AR",
        2,
        "es-AR",
        "54",
        "spanish",
        25,
        "Buenos Aires|America/Argentina/Buenos_Aires",
        "Cordoba|America/Argentina/Cordoba");
    add(
        "CO",
        1.5,
        "es-CO",
        "57",
        "spanish",
        22,
        "Bogota|America/Bogota",
        "Medellin|America/Bogota");
    // Where concealed-identity teams actually sit (never a claimed home for them).
    add("HK", 0, "zh-HK", "852", "chinese", 40, "Hong Kong|Asia/Hong_Kong");
    add("KP", 0, "ko-KP", "850", "korean", 10, "Pyongyang|Asia/Pyongyang");
    add("LA", 0, "lo-LA", "856", "thai", 10, "Vientiane|Asia/Vientiane");
  }

  /** Countries genuine freelancers live in (weight above zero), in a fixed order. */
  public static final List<Country> HOMES =
      BY_CODE.values().stream().filter(c -> c.weight() > 0).toList();

  static final double[] HOME_WEIGHTS = HOMES.stream().mapToDouble(Country::weight).toArray();

  /** Countries a laptop-farm ring claims to be in, with weights. */
  static final String[] RING_CLAIMS = {
    "US", "US", "US", "US", "US", "US", "JP", "GB", "CA", "DE", "NL", "AU"
  };

  /** South Asian countries where Payoneer payouts to one's own country are usual. */
  static final List<String> SOUTH_ASIA = List.of("IN", "PK", "BD", "LK", "NP");

  /** Where the freelancers of the look-alike "lives in East Asia and says so" come from. */
  static final List<String> EAST_ASIA = List.of("KR", "JP", "CN", "TW");

  public static Country of(String code) {
    Country c = BY_CODE.get(code);
    if (c == null) {
      throw new IllegalArgumentException("No synthetic country " + code);
    }
    return c;
  }

  /** Every country code any generated IP may come from. */
  public static List<String> allCodes() {
    return List.copyOf(BY_CODE.keySet());
  }

  static Country home(Rng rng) {
    return HOMES.get(rng.weighted(HOME_WEIGHTS));
  }

  private Countries() {}
}
