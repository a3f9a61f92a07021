package io.unmask.linking;

import java.util.Arrays;
import java.util.List;

/**
 * The kinds of evidence that link two accounts, with the weight each link carries.
 *
 * <p>Weights order the evidence by how hard it is to share innocently: one payout account is the
 * money itself ({@code 1.0}); one device fingerprint means the same machine ({@code 0.9}); the same
 * photo or phone number is a copied identity element ({@code 0.8}); a copied bio is common with
 * templates and AI text ({@code 0.5}); one residential IP is shared by families, flatmates and
 * co-working spaces ({@code 0.3}).
 */
public enum LinkType {
  DEVICE("device", 0.9, true),
  IP("ip", 0.3, true),
  PAYOUT("payout", 1.0, true),
  PHONE("phone", 0.8, false),
  PHOTO("photo", 0.8, false),
  BIO("bio", 0.5, true);

  /** The value stored in {@code account_links.link_type}. */
  public final String code;

  /** The weight of one link of this type. */
  public final double weight;

  /**
   * Whether a shared agency_id explains this link (agencies share devices, networks and payout
   * accounts by design, and write their members' bios from one template): such links stay in {@code
   * account_links} but are kept out of the clustering graph.
   */
  public final boolean explainedByAgency;

  LinkType(String code, double weight, boolean explainedByAgency) {
    this.code = code;
    this.weight = weight;
    this.explainedByAgency = explainedByAgency;
  }

  /** Codes of the types a shared agency explains. */
  public static List<String> agencyExplainedCodes() {
    return Arrays.stream(values()).filter(t -> t.explainedByAgency).map(t -> t.code).toList();
  }
}
