package io.unmask.linking;

import static io.unmask.common.Cols.*;
import static org.apache.spark.sql.functions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.spark.ml.feature.HashingTF;
import org.apache.spark.ml.feature.MinHashLSH;
import org.apache.spark.ml.feature.MinHashLSHModel;
import org.apache.spark.ml.feature.NGram;
import org.apache.spark.ml.feature.RegexTokenizer;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Typed, weighted links between accounts ({@code account_links}): shared device, non-hub
 * non-anonymiser IP, payout account, normalised phone, near-identical photo (banded LSH over the
 * 64-bit perceptual hash) and near-duplicate headline+bio (MinHash LSH over word 3-grams).
 *
 * <p>Skew safety: every key is first reduced to one row per (key, account); a key shared by more
 * accounts than its cap is a hub, produces no link and is reported; only keys under the cap enter
 * the pair self-join, so the pairs of one key are bounded by cap&sup2; whatever the data.
 *
 * <p>Output columns of {@link Result#links()}: {@code account_a < account_b, link_type, weight,
 * shared_value, shared_keys, evidence_count, shared_days, first_seen, last_seen, same_agency,
 * in_graph} (one row per pair and type); of {@link Result#hubs()}: {@code key_type, hub_key,
 * account_count}.
 */
public final class Links {

  /**
   * Links and the hub keys that were too widely shared to link on; {@code kept} are the per-key
   * usages both are computed from, cached so that writing the links and then the hubs reads the
   * sign-ins once: free them with {@link #release} once both are written.
   */
  public record Result(Dataset<Row> links, Dataset<Row> hubs, List<Dataset<Row>> kept) {
    public Result(Dataset<Row> links, Dataset<Row> hubs) {
      this(links, hubs, List.of());
    }

    /** Frees the cached usages. */
    public void release() {
      kept.forEach(Dataset::unpersist);
    }
  }

  private static final String KEY = "_key";
  private static final String SHOWN = "_shown";
  private static final String N = "_n";
  private static final String FIRST = "_first";
  private static final String LAST = "_last";
  private static final String DAYS = "_days";
  private static final String AGENCY_A = "_agency_a";
  private static final String AGENCY_B = "_agency_b";

  private Links() {}

  /**
   * Every link type at once.
   *
   * @param profiles clean profiles (account_id, display_name, phone, photo_hash, headline, bio,
   *     agency_id)
   * @param logins sign-ins with account_id, ts, ip, ip_bytes, device_id and is_anonymizer (and
   *     optionally success: failed sign-ins are ignored, so that credential stuffing from one
   *     attacker does not link its victims)
   * @param payments clean payments (withdrawals with payout_account link)
   */
  public static Result build(
      Dataset<Row> profiles, Dataset<Row> logins, Dataset<Row> payments, LinkingConfig cfg) {
    Dataset<Row> ok = successful(logins);
    // The links and the hubs are two plans over the same per-key usage: cached, the sign-ins,
    // payments and bios are aggregated (and tokenised) once for both, not once per plan.
    List<Dataset<Row>> kept = new ArrayList<>();
    UnaryOperator<Dataset<Row>> once =
        d -> {
          Dataset<Row> cached = d.persist(StorageLevel.MEMORY_AND_DISK());
          kept.add(cached);
          return cached;
        };
    List<Result> parts =
        List.of(
            keyLinks(once.apply(deviceUsage(ok)), LinkType.DEVICE, cfg.deviceCap()),
            keyLinks(once.apply(ipUsage(ok)), LinkType.IP, cfg.ipCap()),
            keyLinks(once.apply(payoutUsage(payments)), LinkType.PAYOUT, cfg.payoutCap()),
            keyLinks(phoneUsage(profiles), LinkType.PHONE, cfg.phoneCap()),
            photoLinks(profiles, cfg),
            bioLinks(profiles, cfg, once));
    Dataset<Row> pairs = null;
    Dataset<Row> hubs = null;
    for (Result r : parts) {
      pairs = pairs == null ? r.links() : pairs.unionByName(r.links());
      hubs = hubs == null ? r.hubs() : hubs.unionByName(r.hubs());
    }
    return new Result(withAgencies(withWeight(pairs), profiles), hubs, List.copyOf(kept));
  }

  // ---------------------------------------------------------------- key usage (one row per key and
  // account: _key, _shown, account_id, _n events, _first, _last, _days)

  static Dataset<Row> successful(Dataset<Row> logins) {
    boolean hasSuccess = List.of(logins.columns()).contains(SUCCESS);
    return hasSuccess ? logins.filter(coalesce(col(SUCCESS), lit(true))) : logins;
  }

  private static Dataset<Row> eventUsage(Dataset<Row> events, Column key, Column shown) {
    return events
        .select(key.as(KEY), shown.as(SHOWN), col(ACCOUNT_ID), col(TS))
        .filter(col(KEY).isNotNull())
        .groupBy(KEY, ACCOUNT_ID)
        .agg(
            min(SHOWN).as(SHOWN),
            count(lit(1)).as(N),
            min(TS).as(FIRST),
            max(TS).as(LAST),
            collect_set(to_date(col(TS))).as(DAYS));
  }

  /** Sign-ins per device_id. */
  static Dataset<Row> deviceUsage(Dataset<Row> logins) {
    Column d = nullIfBlank(col(DEVICE_ID));
    return eventUsage(logins, d, d);
  }

  /**
   * Sign-ins per IP address, leaving out VPN and hosting exits ({@code is_anonymizer}; null counts
   * as not known to be one). The key is the 16-byte address, so that two spellings of one IPv6
   * address are one key.
   */
  static Dataset<Row> ipUsage(Dataset<Row> logins) {
    Dataset<Row> direct = logins.filter(not(coalesce(col(IS_ANONYMIZER), lit(false))));
    return eventUsage(direct, coalesce(hex(col(IP_BYTES)), col(IP)), col(IP));
  }

  /** Withdrawals per payout_account. */
  static Dataset<Row> payoutUsage(Dataset<Row> payments) {
    Column p = nullIfBlank(col(PAYOUT_ACCOUNT));
    return eventUsage(payments.filter(lower(col(KIND)).equalTo("withdrawal")), p, p);
  }

  /** Normalised phone: digits only (E.164 without '+'); fewer than 7 digits is no phone. */
  static Column normalisedPhone(Column phone) {
    Column digits = regexp_replace(phone, "[^0-9]", "");
    return when(length(digits).geq(7), digits);
  }

  static Dataset<Row> phoneUsage(Dataset<Row> profiles) {
    Column p = normalisedPhone(col(PHONE));
    return profiles
        .select(p.as(KEY), col(ACCOUNT_ID))
        .filter(col(KEY).isNotNull())
        .distinct()
        .select(
            col(KEY),
            concat(lit("+"), col(KEY)).as(SHOWN),
            col(ACCOUNT_ID),
            lit(1L).as(N),
            lit(null).cast(DataTypes.TimestampType).as(FIRST),
            lit(null).cast(DataTypes.TimestampType).as(LAST),
            lit(null).cast(DataTypes.createArrayType(DataTypes.DateType)).as(DAYS));
  }

  private static Column nullIfBlank(Column c) {
    return when(length(trim(c)).gt(0), c);
  }

  // ------------------------------------------------------------------------------- exact keys

  /**
   * Links the accounts that share a key, after capping: keys on more than {@code cap} accounts are
   * returned as hubs and link nobody. One row per pair: the smallest shared key as shared_value,
   * the number of shared keys, the events of both accounts on them, the most days on which both
   * used one same key, and the first and last use by either.
   */
  static Result keyLinks(Dataset<Row> usage, LinkType type, int cap) {
    Dataset<Row> perKey =
        usage.groupBy(KEY).agg(count(lit(1)).as(ACCOUNT_COUNT), min(SHOWN).as(HUB_KEY));
    Dataset<Row> hubs =
        perKey
            .filter(col(ACCOUNT_COUNT).gt(cap))
            .select(lit(type.code).as(KEY_TYPE), col(HUB_KEY), col(ACCOUNT_COUNT));
    Dataset<Row> linkable =
        usage.join(
            perKey.filter(col(ACCOUNT_COUNT).between(2, cap)).select(KEY), seq(KEY), "left_semi");
    Dataset<Row> a = side(linkable, "a");
    Dataset<Row> b = side(linkable, "b");
    Dataset<Row> pairs =
        a.join(b, col("key_a").equalTo(col("key_b")).and(col("a").lt(col("b"))))
            .select(
                col("a").as(ACCOUNT_A),
                col("b").as(ACCOUNT_B),
                shorter(col("shown_a"), col("shown_b")).as(SHOWN),
                col("n_a").plus(col("n_b")).as(N),
                size(array_intersect(col("days_a"), col("days_b"))).as(DAYS),
                least(col("first_a"), col("first_b")).as(FIRST),
                greatest(col("last_a"), col("last_b")).as(LAST));
    Dataset<Row> links =
        pairs
            .groupBy(ACCOUNT_A, ACCOUNT_B)
            .agg(
                min_by(col(SHOWN), struct(length(col(SHOWN)), col(SHOWN))).as(SHARED_VALUE),
                count(lit(1)).as(SHARED_KEYS),
                sum(N).as(EVIDENCE_COUNT),
                max(when(col(DAYS).geq(0), col(DAYS))).as(SHARED_DAYS),
                min(FIRST).as(FIRST_SEEN),
                max(LAST).as(LAST_SEEN))
            .withColumn(LINK_TYPE, lit(type.code));
    return new Result(pairCols(links), hubs);
  }

  /** The shorter spelling of one key (then the smaller): "2001:db8::1" over its long form. */
  private static Column shorter(Column x, Column y) {
    return when(
            length(x).lt(length(y)).or(length(x).equalTo(length(y)).and(x.leq(y))).or(y.isNull()),
            x)
        .otherwise(y);
  }

  /** Column names for a using-columns join. */
  static scala.collection.immutable.Seq<String> seq(String... names) {
    return scala.jdk.javaapi.CollectionConverters.asScala(List.of(names)).toList();
  }

  private static Dataset<Row> side(Dataset<Row> usage, String s) {
    return usage.select(
        col(KEY).as("key_" + s),
        col(SHOWN).as("shown_" + s),
        col(ACCOUNT_ID).as(s),
        col(N).as("n_" + s),
        col(FIRST).as("first_" + s),
        col(LAST).as("last_" + s),
        col(DAYS).as("days_" + s));
  }

  // ------------------------------------------------------------------------------- photos

  /**
   * Near-identical photos: Hamming distance of the 64-bit hashes at most {@code photoMaxDistance},
   * found by banded LSH instead of all pairs. The 16 hex digits are split into {@code photoBands}
   * bands; by pigeonhole a pair within the distance has a band with at most {@code r =
   * photoMaxDistance / photoBands} differing bits. Each account is filed under (band, value) of
   * each band; it probes its own value and, when r = 1, every one-bit change of it. Buckets holding
   * more than {@code photoBucketCap} accounts are hubs (default avatars, stock pictures).
   * Candidates then get their exact distance: bit_count of the XOR of both 32-bit halves.
   */
  static Result photoLinks(Dataset<Row> profiles, LinkingConfig cfg) {
    int bands = cfg.photoBands();
    int bits = cfg.photoBandBits();
    int hexPerBand = bits / 4;
    Dataset<Row> hashes =
        profiles
            .select(col(ACCOUNT_ID), lower(trim(col(PHOTO_HASH))).as(PHOTO_HASH))
            .filter(col(PHOTO_HASH).rlike("^[0-9a-f]{16}$"));
    Column[] bandStructs = new Column[bands];
    for (int i = 0; i < bands; i++) {
      bandStructs[i] =
          struct(
              lit(i).as("band"),
              conv(substring(col(PHOTO_HASH), i * hexPerBand + 1, hexPerBand), 16, 10)
                  .cast(DataTypes.IntegerType)
                  .as("value"));
    }
    Dataset<Row> own =
        hashes
            .select(col(ACCOUNT_ID), explode(array(bandStructs)).as("b"))
            .select(col(ACCOUNT_ID), col("b.band").as("band"), col("b.value").as("value"));
    Dataset<Row> perBucket = own.groupBy("band", "value").agg(count(lit(1)).as(ACCOUNT_COUNT));
    Dataset<Row> hubs =
        perBucket
            .filter(col(ACCOUNT_COUNT).gt(cfg.photoBucketCap()))
            .select(
                lit(LinkType.PHOTO.code).as(KEY_TYPE),
                format_string(
                        "band %d = 0x%s",
                        col("band"),
                        lpad(lower(conv(col("value").cast("string"), 10, 16)), hexPerBand, "0"))
                    .as(HUB_KEY),
                col(ACCOUNT_COUNT));
    Dataset<Row> filed =
        own.join(
                perBucket.filter(col(ACCOUNT_COUNT).leq(cfg.photoBucketCap())),
                seq("band", "value"),
                "left_semi")
            .select(col(ACCOUNT_ID).as("b"), col("band").as("band_b"), col("value").as("value_b"));
    List<Column> probeValues = new ArrayList<>();
    probeValues.add(col("value"));
    if (cfg.photoProbeRadius() == 1) {
      for (int k = 0; k < bits; k++) {
        probeValues.add(col("value").bitwiseXOR(lit(1 << k)));
      }
    }
    Dataset<Row> probes =
        own.select(
            col(ACCOUNT_ID).as("a"),
            col("band"),
            explode(array(probeValues.toArray(Column[]::new))).as("probe"));
    // Both directions are kept (a probe into a hub bucket is dropped, its mirror may not be).
    Dataset<Row> candidates =
        probes
            .join(
                filed,
                col("band")
                    .equalTo(col("band_b"))
                    .and(col("probe").equalTo(col("value_b")))
                    .and(col("a").notEqual(col("b"))))
            .select(
                least(col("a"), col("b")).as(ACCOUNT_A), greatest(col("a"), col("b")).as(ACCOUNT_B))
            .distinct();
    Dataset<Row> ha = hashes.select(col(ACCOUNT_ID).as(ACCOUNT_A), col(PHOTO_HASH).as("h_a"));
    Dataset<Row> hb = hashes.select(col(ACCOUNT_ID).as(ACCOUNT_B), col(PHOTO_HASH).as("h_b"));
    Column distance =
        bit_count(half(col("h_a"), 0).bitwiseXOR(half(col("h_b"), 0)))
            .plus(bit_count(half(col("h_a"), 1).bitwiseXOR(half(col("h_b"), 1))));
    Dataset<Row> links =
        candidates
            .join(ha, ACCOUNT_A)
            .join(hb, ACCOUNT_B)
            .withColumn("d", distance)
            .filter(col("d").leq(cfg.photoMaxDistance()))
            .select(
                col(ACCOUNT_A),
                col(ACCOUNT_B),
                lit(LinkType.PHOTO.code).as(LINK_TYPE),
                concat(lit("photo hash distance "), col("d").cast("string")).as(SHARED_VALUE),
                lit(1L).as(SHARED_KEYS),
                lit(1L).as(EVIDENCE_COUNT),
                lit(null).cast(DataTypes.IntegerType).as(SHARED_DAYS),
                lit(null).cast(DataTypes.TimestampType).as(FIRST_SEEN),
                lit(null).cast(DataTypes.TimestampType).as(LAST_SEEN));
    return new Result(links, hubs);
  }

  /** One 32-bit half of a 16-hex-digit hash as a long. */
  private static Column half(Column hash, int i) {
    return conv(substring(hash, i * 8 + 1, 8), 16, 10).cast(DataTypes.LongType);
  }

  // ------------------------------------------------------------------------------- bios

  /**
   * Near-duplicate headline+bio: lower-cased words (letters and digits of any script), texts of
   * fewer than {@code bioMinWords} words skipped, word 3-grams hashed (binary HashingTF) and
   * MinHashed by MLlib's {@link MinHashLSH}. Instead of {@code approxSimilarityJoin}, which has no
   * cap and turns a template shared by thousands into a quadratic join, each (hash table, MinHash
   * value) is a bucket capped like any key ({@code bioBucketCap}); candidates in one bucket get
   * their exact Jaccard distance on the 3-gram sets.
   */
  static Result bioLinks(Dataset<Row> profiles, LinkingConfig cfg) {
    return bioLinks(profiles, cfg, UnaryOperator.identity());
  }

  /**
   * @param once applied to the shingled documents and to their MinHash buckets, which the links and
   *     the hubs both read (a cache)
   */
  static Result bioLinks(
      Dataset<Row> profiles, LinkingConfig cfg, UnaryOperator<Dataset<Row>> once) {
    Dataset<Row> texts =
        profiles
            .select(
                col(ACCOUNT_ID),
                concat_ws(" ", coalesce(col(HEADLINE), lit("")), coalesce(col(BIO), lit("")))
                    .as("text"))
            .filter(length(trim(col("text"))).gt(0));
    RegexTokenizer words =
        new RegexTokenizer()
            .setInputCol("text")
            .setOutputCol("words")
            .setPattern("[^\\p{L}\\p{N}]+")
            .setToLowercase(true)
            .setMinTokenLength(1);
    NGram shingles = new NGram().setN(3).setInputCol("words").setOutputCol("shingles_raw");
    Dataset<Row> docs =
        once.apply(
            shingles
                .transform(words.transform(texts).filter(size(col("words")).geq(cfg.bioMinWords())))
                .select(col(ACCOUNT_ID), array_distinct(col("shingles_raw")).as("shingles")));
    HashingTF tf =
        new HashingTF()
            .setInputCol("shingles")
            .setOutputCol("tf")
            .setBinary(true)
            .setNumFeatures(1 << 18);
    MinHashLSH lsh =
        new MinHashLSH()
            .setInputCol("tf")
            .setOutputCol("hashes")
            .setNumHashTables(cfg.bioHashTables())
            .setSeed(20260501L);
    Dataset<Row> vectors = tf.transform(docs);
    // MinHashLSH.fit reads only the vector size from its input (its hash functions come from the
    // seed): fitting on one local row gives the same model without a Spark job over the profiles.
    MinHashLSHModel model = lsh.fit(oneVector(profiles.sparkSession(), tf.getNumFeatures()));
    Dataset<Row> filed =
        once.apply(
            model
                .transform(vectors)
                .select(col(ACCOUNT_ID), posexplode(col("hashes")).as(new String[] {"tbl", "vec"}))
                .select(
                    col(ACCOUNT_ID),
                    col("tbl"),
                    org.apache
                        .spark
                        .ml
                        .functions
                        .vector_to_array(col("vec"), "float64")
                        .getItem(0)
                        .cast(DataTypes.LongType)
                        .as("value")));
    Dataset<Row> perBucket = filed.groupBy("tbl", "value").agg(count(lit(1)).as(ACCOUNT_COUNT));
    Dataset<Row> hubs =
        perBucket
            .filter(col(ACCOUNT_COUNT).gt(cfg.bioBucketCap()))
            .select(
                lit(LinkType.BIO.code).as(KEY_TYPE),
                format_string("minhash table %d = %d", col("tbl"), col("value")).as(HUB_KEY),
                col(ACCOUNT_COUNT));
    Dataset<Row> ok =
        filed.join(
            perBucket.filter(col(ACCOUNT_COUNT).between(2, cfg.bioBucketCap())),
            seq("tbl", "value"),
            "left_semi");
    Dataset<Row> a = ok.select(col(ACCOUNT_ID).as(ACCOUNT_A), col("tbl"), col("value"));
    Dataset<Row> b =
        ok.select(col(ACCOUNT_ID).as(ACCOUNT_B), col("tbl").as("tbl_b"), col("value").as("v_b"));
    Dataset<Row> candidates =
        a.join(
                b,
                col("tbl")
                    .equalTo(col("tbl_b"))
                    .and(col("value").equalTo(col("v_b")))
                    .and(col(ACCOUNT_A).lt(col(ACCOUNT_B))))
            .select(ACCOUNT_A, ACCOUNT_B)
            .distinct();
    Dataset<Row> da = docs.select(col(ACCOUNT_ID).as(ACCOUNT_A), col("shingles").as("s_a"));
    Dataset<Row> db = docs.select(col(ACCOUNT_ID).as(ACCOUNT_B), col("shingles").as("s_b"));
    Column jaccardDistance =
        lit(1.0)
            .minus(
                size(array_intersect(col("s_a"), col("s_b")))
                    .cast(DataTypes.DoubleType)
                    .divide(size(array_union(col("s_a"), col("s_b")))));
    Dataset<Row> links =
        candidates
            .join(da, ACCOUNT_A)
            .join(db, ACCOUNT_B)
            .withColumn("d", jaccardDistance)
            .filter(col("d").leq(cfg.bioMaxJaccardDistance()))
            .select(
                col(ACCOUNT_A),
                col(ACCOUNT_B),
                lit(LinkType.BIO.code).as(LINK_TYPE),
                format_string("bio jaccard distance %.2f", col("d")).as(SHARED_VALUE),
                lit(1L).as(SHARED_KEYS),
                lit(1L).as(EVIDENCE_COUNT),
                lit(null).cast(DataTypes.IntegerType).as(SHARED_DAYS),
                lit(null).cast(DataTypes.TimestampType).as(FIRST_SEEN),
                lit(null).cast(DataTypes.TimestampType).as(LAST_SEEN));
    return new Result(links, hubs);
  }

  // ------------------------------------------------------------------------------- assembly

  private static Dataset<Row> pairCols(Dataset<Row> links) {
    return links.select(
        col(ACCOUNT_A),
        col(ACCOUNT_B),
        col(LINK_TYPE),
        col(SHARED_VALUE),
        col(SHARED_KEYS),
        col(EVIDENCE_COUNT),
        col(SHARED_DAYS).cast(DataTypes.IntegerType).as(SHARED_DAYS),
        col(FIRST_SEEN),
        col(LAST_SEEN));
  }

  /** One row holding one sparse vector of the given size in column {@code tf}. */
  private static Dataset<Row> oneVector(SparkSession spark, int size) {
    return spark.createDataFrame(
        List.of(RowFactory.create(Vectors.sparse(size, new int[] {0}, new double[] {1.0}))),
        new StructType().add("tf", SQLDataTypes.VectorType()));
  }

  static Dataset<Row> withWeight(Dataset<Row> pairs) {
    Column w = null;
    for (LinkType t : LinkType.values()) {
      w =
          w == null
              ? when(col(LINK_TYPE).equalTo(t.code), lit(t.weight))
              : w.when(col(LINK_TYPE).equalTo(t.code), lit(t.weight));
    }
    return pairs.withColumn(WEIGHT, w);
  }

  /**
   * Adds same_agency (both accounts under one non-null agency_id) and in_graph (false when a shared
   * agency explains the link type, see {@link LinkType#explainedByAgency}).
   */
  static Dataset<Row> withAgencies(Dataset<Row> links, Dataset<Row> profiles) {
    Dataset<Row> agA =
        profiles.select(col(ACCOUNT_ID).as(ACCOUNT_A), nullIfBlank(col(AGENCY_ID)).as(AGENCY_A));
    Dataset<Row> agB =
        profiles.select(col(ACCOUNT_ID).as(ACCOUNT_B), nullIfBlank(col(AGENCY_ID)).as(AGENCY_B));
    Column same = coalesce(col(AGENCY_A).equalTo(col(AGENCY_B)), lit(false));
    Column explained = col(LINK_TYPE).isin(LinkType.agencyExplainedCodes().toArray());
    return links
        .join(agA, seq(ACCOUNT_A), "left")
        .join(agB, seq(ACCOUNT_B), "left")
        .select(
            col(ACCOUNT_A),
            col(ACCOUNT_B),
            col(LINK_TYPE),
            col(WEIGHT),
            col(SHARED_VALUE),
            col(SHARED_KEYS),
            col(EVIDENCE_COUNT),
            col(SHARED_DAYS),
            col(FIRST_SEEN),
            col(LAST_SEEN),
            same.as(SAME_AGENCY),
            not(same.and(explained)).as(IN_GRAPH));
  }
}
