package io.unmask.model;

import static io.unmask.common.FeatureCols.*;
import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.unmask.common.Cols;
import io.unmask.testing.SparkTest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * The same features give the same models however their rows arrive: in one partition in account
 * order, or reversed and dealt over five partitions. Trees subsample and pick split candidates per
 * partition in row order, so without one training layout ({@link Trainer#laidOut}) the two runs
 * grow different trees.
 */
class TrainingLayoutTest extends SparkTest {
  private static final StructType FEATURES =
      new StructType()
          .add(Cols.ACCOUNT_ID, DataTypes.StringType)
          .add(TZ_MISMATCH_SHARE, DataTypes.DoubleType)
          .add(VPN_SHARE, DataTypes.DoubleType)
          .add(NIGHT_SHARE, DataTypes.DoubleType)
          .add(N_LOGINS, DataTypes.LongType);

  private static final StructType LABELS =
      new StructType()
          .add(Cols.ACCOUNT_ID, DataTypes.StringType)
          .add(ModelInputs.LABEL, DataTypes.IntegerType);

  @Test
  void theSameFeaturesInAnotherLayoutGiveTheSameModels() {
    Random rnd = new Random(5);
    List<Row> rows = new ArrayList<>();
    List<Row> labels = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      String id = String.format("a%04d", i);
      boolean concealed = i % 10 == 0;
      // noisy, overlapping classes: which rows a tree's subsample holds changes its splits
      rows.add(
          RowFactory.create(
              id,
              Math.min(1.0, (concealed ? 0.4 : 0.0) + 0.6 * rnd.nextDouble()),
              rnd.nextDouble(),
              Math.min(1.0, (concealed ? 0.2 : 0.0) + 0.8 * rnd.nextDouble()),
              (long) (20 + rnd.nextInt(200))));
      if (concealed && i % 20 == 0) {
        labels.add(RowFactory.create(id, 1));
      } else if (i % 37 == 1) {
        labels.add(RowFactory.create(id, 0));
      }
    }
    List<Row> reversed = new ArrayList<>(rows);
    Collections.reverse(reversed);
    Dataset<Row> inOrder = spark().createDataFrame(rows, FEATURES).coalesce(1);
    Dataset<Row> dealt = spark().createDataFrame(reversed, FEATURES).repartition(5);
    assertThat(dealt.rdd().getNumPartitions()).isEqualTo(5);

    List<Row> first = oof(inOrder, labels);
    List<Row> second = oof(dealt, labels);
    assertThat(first).hasSize(2 * 600);
    assertThat(second).isEqualTo(first);
  }

  /** Each first-stage model's out-of-fold margin per account, in account order. */
  private List<Row> oof(Dataset<Row> features, List<Row> labels) {
    Dataset<Row> latest = spark().createDataFrame(labels, LABELS);
    List<String> cols = List.of(TZ_MISMATCH_SHARE, VPN_SHARE, NIGHT_SHARE, N_LOGINS);
    ModelJob.Candidates c =
        ModelJob.train(
            features,
            latest,
            null,
            cols,
            labels.stream().filter(r -> r.getInt(1) == 1).count(),
            new Trainer.Settings(3, 10, 3, 5.0, 3L));
    try {
      List<Row> out = new ArrayList<>();
      for (Trainer.Fitted f : List.of(c.gbt(), c.lr())) {
        out.addAll(
            f.oof()
                .select(col(Cols.ACCOUNT_ID), col(Trainer.OOF_MARGIN))
                .orderBy(Cols.ACCOUNT_ID)
                .collectAsList());
      }
      return out;
    } finally {
      c.release();
    }
  }
}
