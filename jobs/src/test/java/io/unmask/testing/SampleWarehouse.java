package io.unmask.testing;

import io.unmask.common.Progress;
import io.unmask.features.FeatureConfig;
import io.unmask.ingest.IngestJob;
import io.unmask.model.ModelJob;
import io.unmask.model.Trainer;
import io.unmask.pipeline.PipelineJob;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * A warehouse built once per test JVM by the whole pipeline on {@code data-samples/standard}, with
 * a trained model (minimum positives lowered to 5, so the 10 confirmed accounts train GBT and
 * logistic regression instead of falling back to the rule score). For tests that read what a user
 * reads: notebooks, the report, the quality gate. Takes about three minutes on two cores; callers
 * must not write to it.
 */
public final class SampleWarehouse extends SparkTest {
  private static Path warehouse;
  private static PipelineJob.Result result;

  private SampleWarehouse() {}

  /** The warehouse folder, built on first use. */
  public static synchronized Path get() {
    if (warehouse == null) {
      Path wh = tempDir("sample-wh");
      Path input = Processes.root().resolve("data-samples/standard");
      result =
          PipelineJob.run(
              spark(),
              new IngestJob.Options(input.toString(), wh.toString(), null, "sample-run", false),
              FeatureConfig.defaults(),
              new ModelJob.Options(false, null, 5, Trainer.Settings.defaults()),
              new Progress(new PrintStream(new ByteArrayOutputStream())));
      warehouse = wh;
    }
    return warehouse;
  }

  /** What the pipeline run that built the warehouse reported. */
  public static synchronized PipelineJob.Result result() {
    get();
    return result;
  }
}
