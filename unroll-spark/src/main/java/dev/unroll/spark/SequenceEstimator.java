package dev.unroll.spark;

import dev.unroll.io.Checkpoint;
import dev.unroll.nn.Layer;
import dev.unroll.optim.Adam;
import dev.unroll.optim.GradientClipping;
import dev.unroll.train.Loss;
import dev.unroll.train.Metric;
import dev.unroll.train.Trainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Map;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * A Spark ML {@code Estimator} that trains an Unroll model on a table with {@link SparkTrainer}
 * (synchronous, exact) and returns the {@link SequenceModel} that scores with it. The architecture
 * and starting weights are an untrained model ({@link #setInitialModel}); labels (an integer
 * column) train it with softmax cross-entropy, per-step targets with mean squared error; Adam with
 * an optional global-norm clip. Persistent and usable in a {@code Pipeline}.
 */
public final class SequenceEstimator extends Estimator<SequenceModel> implements DefaultParamsWritable {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final Param<String> inputCol;
    private final Param<String> outputCol;
    private final Param<String> lengthsCol;
    private final IntParam featuresPerStep;
    private final Param<String> output;
    private final Param<String> labelCol;
    private final Param<String> targetCol;
    private final IntParam targetFeaturesPerStep;
    private final Param<String> initialModel;
    private final IntParam epochs;
    private final IntParam batchSize;
    private final DoubleParam learningRate;
    private final DoubleParam clipNorm;
    private final LongParam seed;
    private final IntParam chunks;

    public SequenceEstimator() {
        this(Identifiable.randomUID("unroll_sequence_estimator"));
    }

    public SequenceEstimator(String uid) {
        this.uid = uid;
        inputCol = new Param<>(this, "inputCol", "the sequence column: array<array<float>>, or array<float> with featuresPerStep");
        outputCol = new Param<>(this, "outputCol", "the fitted model's output column");
        lengthsCol = new Param<>(this, "lengthsCol", "an integer column of valid steps per sequence, or empty for none");
        featuresPerStep = new IntParam(this, "featuresPerStep", "features per step of a flat array<float> sequence column; 0 when nested",
                ParamValidators.gtEq(0));
        output = new Param<>(this, "output", "the fitted model's output: 'raw' or 'class'", ParamValidators.inArray(new String[] {"raw", "class"}));
        labelCol = new Param<>(this, "labelCol", "an integer class per sequence (cross-entropy), or empty");
        targetCol = new Param<>(this, "targetCol", "per-step targets (mean squared error), or empty");
        targetFeaturesPerStep = new IntParam(this, "targetFeaturesPerStep", "values per step of a flat array<float> target column; 0 when nested",
                ParamValidators.gtEq(0));
        initialModel = new Param<>(this, "initialModel", "the untrained model: its checkpoint bytes, base64");
        epochs = new IntParam(this, "epochs", "epochs", ParamValidators.gtEq(1));
        batchSize = new IntParam(this, "batchSize", "sequences per global batch", ParamValidators.gtEq(1));
        learningRate = new DoubleParam(this, "learningRate", "Adam's learning rate", ParamValidators.gt(0));
        clipNorm = new DoubleParam(this, "clipNorm", "global-norm gradient clipping, 0 for none", ParamValidators.gtEq(0));
        seed = new LongParam(this, "seed", "batch order and dropout seed");
        chunks = new IntParam(this, "chunks", "blocks the table is cut into (fixes the bits of the result)", ParamValidators.gtEq(1));
        setDefault(inputCol, "sequence");
        setDefault(outputCol, "prediction");
        setDefault(lengthsCol, "");
        setDefault(featuresPerStep, 0);
        setDefault(output, "raw");
        setDefault(labelCol, "label");
        setDefault(targetCol, "");
        setDefault(targetFeaturesPerStep, 0);
        setDefault(initialModel, "");
        setDefault(epochs, 10);
        setDefault(batchSize, 256);
        setDefault(learningRate, 0.001);
        setDefault(clipNorm, 0.0);
        setDefault(seed, 42L);
        setDefault(chunks, 16);
    }

    @Override
    public String uid() {
        return uid;
    }

    // ------------------------------------------------------------------ parameters

    public Param<String> inputCol() {
        return inputCol;
    }

    public Param<String> outputCol() {
        return outputCol;
    }

    public Param<String> lengthsCol() {
        return lengthsCol;
    }

    public IntParam featuresPerStep() {
        return featuresPerStep;
    }

    public Param<String> output() {
        return output;
    }

    public Param<String> labelCol() {
        return labelCol;
    }

    public Param<String> targetCol() {
        return targetCol;
    }

    public IntParam targetFeaturesPerStep() {
        return targetFeaturesPerStep;
    }

    public Param<String> initialModel() {
        return initialModel;
    }

    public IntParam epochs() {
        return epochs;
    }

    public IntParam batchSize() {
        return batchSize;
    }

    public DoubleParam learningRate() {
        return learningRate;
    }

    public DoubleParam clipNorm() {
        return clipNorm;
    }

    public LongParam seed() {
        return seed;
    }

    public IntParam chunks() {
        return chunks;
    }

    public SequenceEstimator setInputCol(String v) {
        return with(inputCol, v);
    }

    public SequenceEstimator setOutputCol(String v) {
        return with(outputCol, v);
    }

    public SequenceEstimator setLengthsCol(String v) {
        return with(lengthsCol, v);
    }

    public SequenceEstimator setFeaturesPerStep(int v) {
        return with(featuresPerStep, v);
    }

    public SequenceEstimator setOutput(String v) {
        return with(output, v);
    }

    /** Trains a classifier on this integer column (and forgets a target column). */
    public SequenceEstimator setLabelCol(String v) {
        return with(labelCol, v).with(targetCol, "");
    }

    /** Trains a per-step regression on this column (and forgets a label column). */
    public SequenceEstimator setTargetCol(String v) {
        return with(targetCol, v).with(labelCol, "");
    }

    public SequenceEstimator setTargetFeaturesPerStep(int v) {
        return with(targetFeaturesPerStep, v);
    }

    /** The architecture and starting weights to train. */
    public SequenceEstimator setInitialModel(Layer model) {
        return with(initialModel, Base64.getEncoder().encodeToString(Checkpoint.toBytes(model, Map.of())));
    }

    public SequenceEstimator setEpochs(int v) {
        return with(epochs, v);
    }

    public SequenceEstimator setBatchSize(int v) {
        return with(batchSize, v);
    }

    public SequenceEstimator setLearningRate(double v) {
        return with(learningRate, v);
    }

    public SequenceEstimator setClipNorm(double v) {
        return with(clipNorm, v);
    }

    public SequenceEstimator setSeed(long v) {
        return with(seed, v);
    }

    public SequenceEstimator setChunks(int v) {
        return with(chunks, v);
    }

    private <T> SequenceEstimator with(Param<T> p, T value) {
        set(p, value);
        return this;
    }

    // ------------------------------------------------------------------ fitting

    private SequenceColumns columns() {
        int flat = (Integer) getOrDefault(featuresPerStep);
        SequenceColumns c = flat == 0 ? SequenceColumns.of(getOrDefault(inputCol)) : SequenceColumns.flat(getOrDefault(inputCol), flat);
        if (!getOrDefault(lengthsCol).isEmpty()) {
            c = c.lengths(getOrDefault(lengthsCol));
        }
        if (!getOrDefault(targetCol).isEmpty()) {
            int targetFlat = (Integer) getOrDefault(targetFeaturesPerStep);
            return targetFlat == 0 ? c.targets(getOrDefault(targetCol)) : c.flatTargets(getOrDefault(targetCol), targetFlat);
        }
        if (getOrDefault(labelCol).isEmpty()) {
            throw new IllegalArgumentException("set a label column (classification) or a target column (per-step regression)");
        }
        return c.labels(getOrDefault(labelCol));
    }

    @Override
    public SequenceModel fit(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        Layer model;
        try {
            model = Checkpoint.read(initialCheckpoint(), "initialModel").model();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SequenceColumns columns = columns();
        boolean classify = columns.hasLabels();
        Adam adam = new Adam(model, (Double) getOrDefault(learningRate));
        double clip = (Double) getOrDefault(clipNorm);
        if (clip > 0) {
            adam.clipping(GradientClipping.byGlobalNorm((float) clip));
        }
        Trainer trainer = Trainer.builder(model, classify ? Loss.softmaxCrossEntropy() : Loss.meanSquaredError(), adam)
                .batchSize((Integer) getOrDefault(batchSize)).epochs((Integer) getOrDefault(epochs)).seed((Long) getOrDefault(seed))
                .metrics(classify ? Metric.accuracy() : Metric.meanSquaredError()).build();
        SparkTrainer.builder(dataset.sparkSession(), trainer).chunks((Integer) getOrDefault(chunks)).build()
                .fit(dataset.toDF(), columns, null);
        return scorer(Checkpoint.toBytes(model, Map.of())).setParent(this);
    }

    /** A scorer for {@code checkpoint} with this estimator's column and output settings. */
    private SequenceModel scorer(byte[] checkpoint) {
        return new SequenceModel(uid, checkpoint)
                .setInputCol(getOrDefault(inputCol)).setOutputCol(getOrDefault(outputCol)).setLengthsCol(getOrDefault(lengthsCol))
                .setFeaturesPerStep((Integer) getOrDefault(featuresPerStep)).setOutput(getOrDefault(output));
    }

    private byte[] initialCheckpoint() {
        if (getOrDefault(initialModel).isEmpty()) {
            throw new IllegalArgumentException("set the model to train with setInitialModel");
        }
        return Base64.getDecoder().decode(getOrDefault(initialModel));
    }

    /** The input's schema with the fitted model's output column (whose type the initial model's output shape decides). */
    @Override
    public StructType transformSchema(StructType schema) {
        columns().check(schema);
        return scorer(initialCheckpoint()).transformSchema(schema);
    }

    @Override
    public SequenceEstimator copy(ParamMap extra) {
        return (SequenceEstimator) defaultCopy(extra);
    }

    public static MLReader<SequenceEstimator> read() {
        return new DefaultParamsReader<>();
    }

    public static SequenceEstimator load(String path) {
        return read().load(path);
    }
}
