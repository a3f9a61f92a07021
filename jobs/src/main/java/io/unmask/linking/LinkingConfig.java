package io.unmask.linking;

import java.util.List;

/**
 * Caps and thresholds of the linking stage. {@link #defaults()} documents the defaults; every value
 * is checked here so that a bad setting fails before any Spark work.
 *
 * @param deviceCap a device_id seen on more accounts than this is a hub (default 20: a shared
 *     office or lab machine, a default fingerprint); it links nobody and is reported
 * @param ipCap a residential IP on more accounts than this is a hub (default 30: carrier-grade NAT,
 *     campus or mobile gateways)
 * @param payoutCap a payout account used by more accounts than this is a hub (default 50: a payroll
 *     service or exchange deposit address)
 * @param phoneCap a normalised phone on more accounts than this is a hub (default 20: placeholder
 *     numbers such as +10000000000)
 * @param photoBucketCap an LSH bucket of photo hashes holding more accounts than this is a hub
 *     (default 50: default avatars, stock pictures)
 * @param bioBucketCap a MinHash bucket holding more accounts than this is a hub (default 50:
 *     boiler-plate phrases shared by many bios)
 * @param photoMaxDistance photos whose 64-bit hashes differ in at most this many bits link (default
 *     6)
 * @param photoBands how many equal bands the 64 hash bits are split into for LSH: 4 (16-bit bands),
 *     8 (8-bit bands) or 16 (default 4). A pair within the distance has at least one band with at
 *     most {@code photoMaxDistance / photoBands} differing bits (pigeonhole); that radius must be 0
 *     or 1 (with radius 1 each account also probes the one-bit neighbours of its band)
 * @param bioMaxJaccardDistance headline+bio texts whose word-3-gram sets have at most this Jaccard
 *     distance link (default 0.5)
 * @param bioMinWords texts with fewer words are skipped (default 8: too short to be a copy)
 * @param bioHashTables MinHash functions (LSH tables) per text (default 6: a pair at Jaccard
 *     similarity 0.5 is missed with probability 0.5^6 &asymp; 1.6%)
 * @param maxClusterSize a connected component larger than this is too big to be one operator
 *     (default 500): its weakest link types are dropped in turn ({@link #giantDropOrder}) and the
 *     component is recomputed; what is still too big stays unclustered and is reported
 * @param giantDropOrder link types dropped, one more at each step, from an oversized component
 *     (default ip, then bio)
 * @param maxIterations connected-components iterations before giving up (default 40)
 * @param checkpointInterval components checkpoint their labels every this many iterations so that
 *     the plan's lineage stays short (default 4)
 */
public record LinkingConfig(
    int deviceCap,
    int ipCap,
    int payoutCap,
    int phoneCap,
    int photoBucketCap,
    int bioBucketCap,
    int photoMaxDistance,
    int photoBands,
    double bioMaxJaccardDistance,
    int bioMinWords,
    int bioHashTables,
    int maxClusterSize,
    List<LinkType> giantDropOrder,
    int maxIterations,
    int checkpointInterval) {

  public LinkingConfig {
    positive("deviceCap", deviceCap);
    positive("ipCap", ipCap);
    positive("payoutCap", payoutCap);
    positive("phoneCap", phoneCap);
    positive("photoBucketCap", photoBucketCap);
    positive("bioBucketCap", bioBucketCap);
    positive("maxClusterSize", maxClusterSize);
    positive("maxIterations", maxIterations);
    positive("checkpointInterval", checkpointInterval);
    positive("bioMinWords", bioMinWords);
    positive("bioHashTables", bioHashTables);
    if (photoMaxDistance < 0 || photoMaxDistance > 63) {
      throw new IllegalArgumentException(
          "Invalid photoMaxDistance: " + photoMaxDistance + " (0..63)");
    }
    if (photoBands != 4 && photoBands != 8 && photoBands != 16) {
      throw new IllegalArgumentException("Invalid photoBands: " + photoBands + " (4, 8 or 16)");
    }
    if (photoMaxDistance / photoBands > 1) {
      throw new IllegalArgumentException(
          "Invalid photoMaxDistance "
              + photoMaxDistance
              + " for "
              + photoBands
              + " bands: at most "
              + (2 * photoBands - 1));
    }
    if (!(bioMaxJaccardDistance >= 0 && bioMaxJaccardDistance < 1)) {
      throw new IllegalArgumentException(
          "Invalid bioMaxJaccardDistance: " + bioMaxJaccardDistance + " ([0, 1))");
    }
    giantDropOrder = List.copyOf(giantDropOrder);
  }

  private static void positive(String name, int v) {
    if (v < 1) {
      throw new IllegalArgumentException("Invalid " + name + ": " + v + " (must be >= 1)");
    }
  }

  /** The documented defaults. */
  public static LinkingConfig defaults() {
    return new LinkingConfig(
        20, 30, 50, 20, 50, 50, 6, 4, 0.5, 8, 6, 500, List.of(LinkType.IP, LinkType.BIO), 40, 4);
  }

  /** Bits of one photo band. */
  public int photoBandBits() {
    return 64 / photoBands;
  }

  /** Differing bits tolerated inside the band that matches (0 or 1). */
  public int photoProbeRadius() {
    return photoMaxDistance / photoBands;
  }

  public LinkingConfig withCaps(int device, int ip, int payout, int phone, int photoBucket) {
    return new LinkingConfig(
        device,
        ip,
        payout,
        phone,
        photoBucket,
        bioBucketCap,
        photoMaxDistance,
        photoBands,
        bioMaxJaccardDistance,
        bioMinWords,
        bioHashTables,
        maxClusterSize,
        giantDropOrder,
        maxIterations,
        checkpointInterval);
  }

  public LinkingConfig withPhoto(int maxDistance, int bands) {
    return new LinkingConfig(
        deviceCap,
        ipCap,
        payoutCap,
        phoneCap,
        photoBucketCap,
        bioBucketCap,
        maxDistance,
        bands,
        bioMaxJaccardDistance,
        bioMinWords,
        bioHashTables,
        maxClusterSize,
        giantDropOrder,
        maxIterations,
        checkpointInterval);
  }

  public LinkingConfig withMaxClusterSize(int max) {
    return new LinkingConfig(
        deviceCap,
        ipCap,
        payoutCap,
        phoneCap,
        photoBucketCap,
        bioBucketCap,
        photoMaxDistance,
        photoBands,
        bioMaxJaccardDistance,
        bioMinWords,
        bioHashTables,
        max,
        giantDropOrder,
        maxIterations,
        checkpointInterval);
  }

  public LinkingConfig withIterations(int max, int checkpointEvery) {
    return new LinkingConfig(
        deviceCap,
        ipCap,
        payoutCap,
        phoneCap,
        photoBucketCap,
        bioBucketCap,
        photoMaxDistance,
        photoBands,
        bioMaxJaccardDistance,
        bioMinWords,
        bioHashTables,
        maxClusterSize,
        giantDropOrder,
        max,
        checkpointEvery);
  }
}
