package io.unmask.model;

import java.io.Serializable;
import org.apache.spark.ml.classification.GBTClassificationModel;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.feature.StandardScalerModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.regression.DecisionTreeRegressionModel;
import org.apache.spark.ml.tree.ContinuousSplit;
import org.apache.spark.ml.tree.InternalNode;
import org.apache.spark.ml.tree.Node;

/**
 * Per-account contributions of each feature to a model's margin: for trees, the path contributions
 * of every tree (the change of node value along the path the account takes, credited to the split's
 * feature, times the tree weight); for logistic regression, coefficient × standardised value.
 * These, not fixed strings, choose and order the reasons.
 */
public final class Contributions {
  private Contributions() {}

  /** Path contributions of a gradient-boosted model: one value per feature. */
  public static final class Trees implements Serializable {
    private static final long serialVersionUID = 1L;
    private final DecisionTreeRegressionModel[] trees;
    private final double[] weights;

    public Trees(GBTClassificationModel model) {
      this.trees = model.trees();
      this.weights = model.treeWeights();
    }

    public double[] of(Vector x) {
      double[] c = new double[x.size()];
      for (int t = 0; t < trees.length; t++) {
        Node n = trees[t].rootNode();
        while (n instanceof InternalNode in) {
          if (!(in.split() instanceof ContinuousSplit s)) {
            break; // Unmask uses continuous features only
          }
          Node next = x.apply(s.featureIndex()) <= s.threshold() ? in.leftChild() : in.rightChild();
          c[s.featureIndex()] += weights[t] * (next.prediction() - n.prediction());
          n = next;
        }
      }
      return c;
    }
  }

  /** Coefficient × standardised value of a logistic regression on scaled features. */
  public static final class Linear implements Serializable {
    private static final long serialVersionUID = 1L;
    private final double[] coefficients;
    private final double[] mean;
    private final double[] std;

    public Linear(LogisticRegressionModel lr, StandardScalerModel scaler) {
      this.coefficients = lr.coefficients().toArray();
      this.mean = scaler.mean().toArray();
      this.std = scaler.std().toArray();
    }

    /** {@code x} is the assembled (unscaled) vector. */
    public double[] of(Vector x) {
      double[] c = new double[x.size()];
      for (int i = 0; i < c.length; i++) {
        double z = std[i] > 0 ? (x.apply(i) - mean[i]) / std[i] : 0.0;
        c[i] = coefficients[i] * z;
      }
      return c;
    }
  }
}
