package dev.unroll.spark;

import dev.unroll.autograd.Autograd;
import dev.unroll.autograd.Variable;
import dev.unroll.nn.Context;
import dev.unroll.nn.Layer;
import dev.unroll.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import scala.Option;

/**
 * Batch scoring as a Spark ML {@code Transformer} (the {@code Model} that {@link SequenceEstimator}
 * fits): appends to a table an output column with the model's prediction for each row's sequence —
 * outputs ({@code array<float>}, or {@code array<array<float>>} per step) or the class with the
 * largest output ({@code output = "class"}). The sequence column is {@code array<array<float>>}, or
 * {@code array<float>} with {@code featuresPerStep} set; an optional lengths column gives the valid
 * steps.
 *
 * <p>The model's checkpoint bytes are broadcast once per model and session, parsed once per
 * executor JVM and shared by its tasks; rows are scored in chunks of {@code chunkSize} through the
 * fused inference path. Persistent ({@code write().save(path)}, {@link #load}) and usable in a
 * {@code Pipeline}.
 */
public final class SequenceModel extends Model<SequenceModel> implements MLWritable {
    private static final long serialVersionUID = 1L;
    private static final String MODEL_FILE = "model.safetensors";

    private final String uid;
    private final byte[] checkpoint;
    private final String digest;
    private final Param<String> inputCol;
    private final Param<String> outputCol;
    private final Param<String> lengthsCol;
    private final IntParam featuresPerStep;
    private final Param<String> output;
    private final IntParam chunkSize;
    private transient Broadcast<byte[]> broadcast;

    /** A scorer for the model of a checkpoint ({@code Checkpoint.toBytes}). */
    public SequenceModel(byte[] checkpoint) {
        this(Identifiable.randomUID("unroll_sequence"), checkpoint);
    }

    public SequenceModel(String uid, byte[] checkpoint) {
        this.uid = uid;
        this.checkpoint = checkpoint.clone();
        this.digest = sha256(checkpoint);
        this.inputCol = new Param<>(this, "inputCol", "the sequence column: array<array<float>>, or array<float> with featuresPerStep");
        this.outputCol = new Param<>(this, "outputCol", "the output column");
        this.lengthsCol = new Param<>(this, "lengthsCol", "an integer column of valid steps per sequence, or empty for none");
        this.featuresPerStep = new IntParam(this, "featuresPerStep", "features per step of a flat array<float> sequence column; 0 when nested",
                ParamValidators.gtEq(0));
        this.output = new Param<>(this, "output", "'raw' for the model's outputs, 'class' for the index of the largest",
                ParamValidators.inArray(new String[] {"raw", "class"}));
        this.chunkSize = new IntParam(this, "chunkSize", "rows per inference call", ParamValidators.gtEq(1));
        setDefault(inputCol, "sequence");
        setDefault(outputCol, "prediction");
        setDefault(lengthsCol, "");
        setDefault(featuresPerStep, 0);
        setDefault(output, "raw");
        setDefault(chunkSize, 1024);
    }

    @Override
    public String uid() {
        return uid;
    }

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

    public IntParam chunkSize() {
        return chunkSize;
    }

    public SequenceModel setInputCol(String v) {
        set(inputCol, v);
        return this;
    }

    public SequenceModel setOutputCol(String v) {
        set(outputCol, v);
        return this;
    }

    public SequenceModel setLengthsCol(String v) {
        set(lengthsCol, v);
        return this;
    }

    public SequenceModel setFeaturesPerStep(int v) {
        set(featuresPerStep, v);
        return this;
    }

    public SequenceModel setOutput(String v) {
        set(output, v);
        return this;
    }

    public SequenceModel setChunkSize(int v) {
        set(chunkSize, v);
        return this;
    }

    /** The checkpoint this model scores with. */
    public byte[] checkpoint() {
        return checkpoint.clone();
    }

    SequenceColumns columns() {
        int flat = (Integer) getOrDefault(featuresPerStep);
        String in = getOrDefault(inputCol);
        SequenceColumns c = flat == 0 ? SequenceColumns.of(in) : SequenceColumns.flat(in, flat);
        String lengths = getOrDefault(lengthsCol);
        return lengths.isEmpty() ? c : c.lengths(lengths);
    }

    private boolean classes() {
        return getOrDefault(output).equals("class");
    }

    /** This JVM's copy of the model (parsed once). */
    Layer layer() {
        return ScoringModels.get(digest, () -> checkpoint);
    }

    @Override
    public StructType transformSchema(StructType schema) {
        columns().check(schema);
        String out = getOrDefault(outputCol);
        if (java.util.Arrays.asList(schema.fieldNames()).contains(out)) {
            throw new IllegalArgumentException("output column '" + out + "' already exists");
        }
        return schema.add(out, ModelOutput.type(outputRank(), classes()), false);
    }

    /** The rank of the model's output, found by running it on one zero sequence. */
    private int outputRank() {
        int features = inputFeatures();
        try (var scope = Autograd.noGrad()) {
            return layer().forward(Variable.constant(Tensor.zeros(1, 1, features)), Context.inference()).value().rank();
        }
    }

    /**
     * The model's input features: the second dimension of its first weight, which in PyTorch's
     * layout ({@code weight_ih_l0 [G·H, I]}, {@code fc.weight [out, in]}) is what a step holds.
     */
    private int inputFeatures() {
        java.util.List<dev.unroll.nn.Parameter> params = layer().parameters();
        if (params.isEmpty() || params.get(0).shape().length != 2) {
            throw new IllegalStateException("cannot tell the model's input features: its first parameter is not a weight [out, in]");
        }
        return params.get(0).shape()[1];
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType out = transformSchema(dataset.schema());
        SequenceScorer scorer = new SequenceScorer(broadcast(dataset), digest, columns(), dataset.schema(), classes(),
                (Integer) getOrDefault(chunkSize));
        return dataset.toDF().mapPartitions(scorer, Encoders.row(out));
    }

    private synchronized Broadcast<byte[]> broadcast(Dataset<?> dataset) {
        if (broadcast == null || !broadcast.isValid()) {
            broadcast = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext()).broadcast(checkpoint);
        }
        return broadcast;
    }

    @Override
    public SequenceModel copy(ParamMap extra) {
        return copyValues(new SequenceModel(uid, checkpoint), extra).setParent(parent());
    }

    @Override
    public MLWriter write() {
        return new Writer(this);
    }

    public static MLReader<SequenceModel> read() {
        return new Reader();
    }

    public static SequenceModel load(String path) {
        return read().load(path);
    }

    /** Parameters as Spark ML metadata, the model as {@value #MODEL_FILE} beside them. */
    private static final class Writer extends MLWriter {
        private final SequenceModel model;

        Writer(SequenceModel model) {
            this.model = model;
        }

        @Override
        public void saveImpl(String path) {
            DefaultParamsWriter$.MODULE$.saveMetadata(model, path, sparkSession());
            Path file = new Path(path, MODEL_FILE);
            try {
                FileSystem fs = file.getFileSystem(sparkSession().sparkContext().hadoopConfiguration());
                try (OutputStream o = fs.create(file, true)) {
                    o.write(model.checkpoint);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("saving " + file, e);
            }
        }
    }

    private static final class Reader extends MLReader<SequenceModel> {
        @Override
        public SequenceModel load(String path) {
            DefaultParamsReader.Metadata meta = DefaultParamsReader$.MODULE$.loadMetadata(path, sparkSession(), SequenceModel.class.getName());
            Path file = new Path(path, MODEL_FILE);
            try {
                FileSystem fs = file.getFileSystem(sparkSession().sparkContext().hadoopConfiguration());
                try (InputStream in = fs.open(file); ByteArrayOutputStream bytes = new ByteArrayOutputStream()) {
                    in.transferTo(bytes);
                    SequenceModel model = new SequenceModel(meta.uid(), bytes.toByteArray());
                    meta.getAndSetParams(model, Option.empty());
                    return model;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("loading " + file, e);
            }
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
